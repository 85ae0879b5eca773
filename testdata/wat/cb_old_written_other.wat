;; Near miss of cb_old_written: canister_init writes slot 3, which holds no
;; callback, so the callback slots are what the element segment put there.
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
    (table.set 0 (i32.const 3) (table.get 0 (i32.const 0))))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 100) (i32.const 2) (i32.const 100))))
