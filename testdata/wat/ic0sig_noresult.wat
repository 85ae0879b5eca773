;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; call_perform without its i32 result.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "call_perform" (func))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
