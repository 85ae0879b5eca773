;; Imports a memory, a table and a global: the old build of the ext_imp_ pairs.
(module
  (import "env" "memory" (memory 17 256))
  (import "env" "table" (table 10 funcref))
  (import "env" "g" (global i32))
  (func (export "canister_query get"))
)
