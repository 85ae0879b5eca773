;; ext_base with the exported table's element type changed: CORE_EXPORT_TYPE_CHANGED.
(module
  (memory (export "memory") 17 256)
  (table (export "table") 10 20 externref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
