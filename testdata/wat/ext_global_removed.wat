;; ext_base without the global export: CORE_EXPORT_REMOVED.
(module
  (memory (export "memory") 17 256)
  (table (export "table") 10 20 funcref)
  (global i32 (i32.const 1))
  (func (export "canister_query get"))
)
