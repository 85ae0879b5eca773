;; As cb_twins_old, but calls are one-way (reply -1): no reply callbacks,
;; and slots 1 and 2 still hold $a and $b, whose fingerprints are equal.
;; Slot 1 holds a function with the fingerprint of the old $a, but so did
;; the old $b: by fingerprint it cannot be told which one slot 1 stands
;; for (they may have swapped), so the slots are not proven kept.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 1) $a $b $reject)
  (func $x1 (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $x2 (param i32) (call $print (local.get 0) (i32.const 2)))
  (func $h1 (param i32) (call $x1 (local.get 0)))
  (func $h2 (param i32) (call $x2 (local.get 0)))
  (func $a (param i32) (call $h1 (local.get 0)))
  (func $b (param i32) (call $h2 (local.get 0)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 3)))
  (func (export "canister_update a")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const -1) (i32.const 0) (i32.const 3) (i32.const 0)))
  (func (export "canister_update b")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const -1) (i32.const 0) (i32.const 3) (i32.const 0))))
