;; ext_base exporting one more global and memory: safe.
(module
  (memory (export "memory") 17 256) (memory (export "memory2") 1)
  (table (export "table") 10 20 funcref)
  (global (export "g") i32 (i32.const 1)) (global (export "h") i64 (i64.const 2))
  (func (export "canister_query get"))
)
