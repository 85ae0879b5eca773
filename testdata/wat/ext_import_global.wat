;; ext_base importing a global from env: CORE_IMPORT_ADDED (CORE_IMPORT_NOT_PROVIDED on the Internet Computer, which refuses global imports).
(module
  (import "env" "base" (global $b i32))
  (memory (export "memory") 17 256)
  (table (export "table") 10 20 funcref)
  (global (export "g") i32 (i32.const 1))
  (func (export "canister_query get"))
)
