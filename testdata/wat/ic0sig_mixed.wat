;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; 32-bit module mixing widths: i64 pointers for msg_reply_data_append, an i32 size
;; for msg_arg_data_size; each fits some width, together none.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "msg_reply_data_append" (func (param i64 i64)))
  (import "ic0" "msg_arg_data_size" (func (result i32)))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
