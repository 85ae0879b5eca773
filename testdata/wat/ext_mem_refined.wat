;; ext_base with the exported memory's and table's limits narrowed (minimum up, maximum down): still a match, safe (CORE_EXPORT_TYPE_REFINED).
(module
  (memory (export "memory") 20 128)
  (table (export "table") 12 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
