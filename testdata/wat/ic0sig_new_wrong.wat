;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; Near miss of ic0sig_new32: env_var_count returning i64 in a 32-bit module (the
;; wasm64 form): not provided, the replica would refuse the module.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "env_var_count" (func (result i64)))
  (import "ic0" "env_var_name_exists" (func (param i32 i32) (result i32)))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
