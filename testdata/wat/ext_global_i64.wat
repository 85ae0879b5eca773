;; ext_base with the exported global retyped to i64: CORE_EXPORT_TYPE_CHANGED.
(module
  (memory (export "memory") 17 256)
  (table (export "table") 10 20 funcref)
  (global (export "g") i64 (i64.const 1))
  (func (export "canister_query get"))
)
