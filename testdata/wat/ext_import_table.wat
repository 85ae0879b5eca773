;; ext_base importing its table from env (with the old type) instead of defining it: CORE_IMPORT_ADDED.
(module
  (import "env" "table" (table 10 20 funcref))
  (memory (export "memory") 17 256)
  (export "table" (table 0))
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
