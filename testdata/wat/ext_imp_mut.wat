;; ext_imp_old importing its global as mutable: nothing matching the old import matches (CORE_IMPORT_TYPE_CHANGED).
(module
  (import "env" "memory" (memory 17 256))
  (import "env" "table" (table 10 funcref))
  (import "env" "g" (global (mut i32)))
  (func (export "canister_query get"))
)
