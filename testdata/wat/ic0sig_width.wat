;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; 32-bit module importing msg_reply_data_append with i64 pointers: the wrong width.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "msg_reply_data_append" (func (param i64 i64)))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
