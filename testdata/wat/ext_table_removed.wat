;; ext_base without the table export: CORE_EXPORT_REMOVED.
(module
  (memory (export "memory") 17 256)
  (table 10 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
