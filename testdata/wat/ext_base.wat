;; Exports a memory, a table and a global: the old build of the ext_ pairs (compat/coreexterns_test.go).
(module
  (memory (export "memory") 17 256)
  (table (export "table") 10 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
