;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; 32-bit module, every import in its wasm32 form (fixed-width ones with i64): provided.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "msg_reply_data_append" (func (param i32 i32)))
  (import "ic0" "msg_arg_data_size" (func (result i32)))
  (import "ic0" "stable64_read" (func (param i64 i64 i64)))
  (import "ic0" "msg_cycles_accept128" (func (param i64 i64 i32)))
  (import "ic0" "call_perform" (func (result i32)))
  (import "ic0" "stable_size" (func (result i32)))
  (import "ic0" "call_cycles_add" (func (param i64)))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
