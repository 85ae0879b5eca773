;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; memory64 module adding the newer System API functions in their wasm64 forms
;; (env_var_name_exists still returns i32): provided.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "env_var_count" (func (result i64)))
  (import "ic0" "env_var_name_exists" (func (param i64 i64) (result i32)))
  (import "ic0" "env_var_value_copy" (func (param i64 i64 i64 i64 i64)))
  (import "ic0" "msg_caller_info_data_size" (func (result i64)))
  (import "ic0" "cost_http_request_v2" (func (param i64 i64 i64)))
  (memory i64 1)
  (func (export "canister_query q") (call $reply)))
