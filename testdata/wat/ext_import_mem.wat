;; ext_base importing its memory from env (with the old type) instead of defining it: CORE_IMPORT_ADDED.
(module
  (import "env" "memory" (memory 17 256)) (export "memory" (memory 0))
  (table (export "table") 10 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
