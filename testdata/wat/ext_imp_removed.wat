;; ext_imp_old defining its memory instead of importing it: safe (CORE_IMPORT_REMOVED).
(module
  (import "env" "table" (table 10 funcref))
  (import "env" "g" (global i32))
  (memory 17 256)
  (func (export "canister_query get"))
)
