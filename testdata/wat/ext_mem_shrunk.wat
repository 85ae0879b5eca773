;; ext_base with the exported memory's minimum lowered: CORE_EXPORT_TYPE_CHANGED.
(module
  (memory (export "memory") 16 256)
  (table (export "table") 10 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
