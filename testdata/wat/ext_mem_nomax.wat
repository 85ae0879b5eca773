;; ext_base with the exported memory's maximum dropped: no maximum does not match one of 256 (CORE_EXPORT_TYPE_CHANGED).
(module
  (memory (export "memory") 17)
  (table (export "table") 10 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
