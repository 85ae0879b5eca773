;; ext_imp_old asking less: a lower memory minimum and no maximum, a lower table minimum: safe (CORE_IMPORT_TYPE_RELAXED).
(module
  (import "env" "memory" (memory 1))
  (import "env" "table" (table 5 funcref))
  (import "env" "g" (global i32))
  (func (export "canister_query get"))
)
