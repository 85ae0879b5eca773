;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; 32-bit module adding the newer System API functions (environment variables,
;; caller info, cost_http_request_v2) in their wasm32 forms: provided.
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "env_var_count" (func (result i32)))
  (import "ic0" "env_var_name_exists" (func (param i32 i32) (result i32)))
  (import "ic0" "env_var_value_copy" (func (param i32 i32 i32 i32 i32)))
  (import "ic0" "msg_caller_info_data_size" (func (result i32)))
  (import "ic0" "cost_http_request_v2" (func (param i32 i32 i32)))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
