;; ext_base with the exported global made mutable: CORE_EXPORT_TYPE_CHANGED.
(module
  (memory (export "memory") 17 256)
  (table (export "table") 10 20 funcref)
  (global (export "g") (mut i32) (i32.const 1))
  (func (export "canister_query get"))
)
