;; As cb_table_old, but canister_init puts $helper (slot 0) into the reply
;; slot 1 at run time: the calls this build makes name slot 1, which then
;; holds $helper, not the $reply its element segment put there. Diffed as
;; the old build (CALLBACK_TABLE_WRITTEN), and pin refuses to take a lock
;; from it.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (table (export "table") 4 funcref)
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func (export "canister_init")
    (table.set 0 (i32.const 1) (table.get 0 (i32.const 0))))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 100) (i32.const 2) (i32.const 100))))
