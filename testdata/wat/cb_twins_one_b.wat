;; cb_twins_one with a new reject body: one function, $a, at slots 1 and 2,
;; both registered as reply callbacks, as before (safe against cb_twins_one).
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 1) $a $a $reject)
  (func $x1 (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $h1 (param i32) (call $x1 (local.get 0)))
  (func $a (param i32) (call $h1 (local.get 0)))
  (func $reject (param i32) (call $print (i32.const 3) (local.get 0)))
  (func (export "canister_update a")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 0) (i32.const 3) (i32.const 0)))
  (func (export "canister_update b")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 2) (i32.const 0) (i32.const 3) (i32.const 0))))
