;; Two reply callbacks, $a at slot 1 and $b at slot 2, with different
;; bodies. compat's TestInFlightDuplicateNames appends a name section that
;; names both "cb" (names in name sections need not be unique), so the
;; name tells neither apart.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 1) $a $b $reject)
  (func $a (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $b (param i32) (call $print (local.get 0) (i32.const 2)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 3)))
  (func (export "canister_update a")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 0) (i32.const 3) (i32.const 0)))
  (func (export "canister_update b")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 2) (i32.const 0) (i32.const 3) (i32.const 0))))
