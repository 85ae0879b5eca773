;; As cb_table_old, but the (still exported) table is imported: its
;; element segment puts the callbacks at slots 1 and 2, and code outside
;; the module may change them at any time (CALLBACK_UNRESOLVED).
(module
  (table (export "table") (import "env" "table") 4 funcref)
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 100) (i32.const 2) (i32.const 100))))
