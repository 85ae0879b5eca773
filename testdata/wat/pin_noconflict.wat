;; A rebuild of pin_old where the handlers moved to slots 3 and 4 and
;; slots 1 and 2 are empty: nothing is displaced, but indirect calls of the
;; empty slots must still trap.
(module
  (type $cb (func (param i32)))
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory 1)
  (table 5 funcref)
  (elem (i32.const 0) $helper)
  (elem (i32.const 3) $reply $reject)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 3) (i32.const 100) (i32.const 4) (i32.const 100)))
  (func (export "canister_query empty")
    (call_indirect (type $cb) (i32.const 5) (i32.const 1))))
