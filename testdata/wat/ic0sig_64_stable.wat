;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; memory64 module importing stable_size, which exists only for 32-bit modules.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "stable_size" (func (result i32)))
  (memory i64 1)
  (func (export "canister_query q") (call $reply)))
