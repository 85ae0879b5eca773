;; ext_base with a 64-bit exported memory: CORE_EXPORT_TYPE_CHANGED.
(module
  (memory (export "memory") i64 17 256)
  (table (export "table") 10 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
