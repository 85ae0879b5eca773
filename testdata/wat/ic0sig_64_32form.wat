;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; memory64 module importing msg_reply_data_append in its wasm32 form.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "msg_reply_data_append" (func (param i32 i32)))
  (memory i64 1)
  (func (export "canister_query q") (call $reply)))
