;; ext_imp_old asking more: a higher memory minimum, a table maximum: unproven (CORE_IMPORT_TYPE_TIGHTENED).
(module
  (import "env" "memory" (memory 20 256))
  (import "env" "table" (table 10 100 funcref))
  (import "env" "g" (global i32))
  (func (export "canister_query get"))
)
