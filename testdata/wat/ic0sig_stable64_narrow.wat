;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; stable64_size narrowed to i32 in a 32-bit module (stable64_* are i64 at every width).
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "stable64_size" (func (result i32)))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
