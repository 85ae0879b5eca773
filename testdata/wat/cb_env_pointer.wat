;; As cb_table_old, but the env of both callbacks is a heap address: a
;; run-time value (the stack pointer global) plus a constant, as the cycles
;; wallet passes local + 8 (CALLBACK_ENV_HEAP_POINTER).
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (table (export "table") 4 funcref)
  (global $sp (mut i32) (i32.const 4096))
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func (export "canister_update go")
    (local $state i32)
    (local.set $state (global.get $sp))
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.add (local.get $state) (i32.const 8))
      (i32.const 2) (i32.add (local.get $state) (i32.const 8)))))
