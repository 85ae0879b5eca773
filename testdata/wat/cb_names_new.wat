;; cb_names_old after a rebuild that dropped $a: slots 1 and 2 both hold
;; copies of $b's body. TestInFlightDuplicateNames names the one at slot 1
;; "cb", as both old callbacks were named: a call made before the upgrade
;; with slot 1 expected $a and gets $b's body (unsafe).
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 1) $x $y $reject)
  (func $x (param i32) (call $print (local.get 0) (i32.const 2)))
  (func $y (param i32) (call $print (local.get 0) (i32.const 2)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 3)))
  (func (export "canister_update a")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 0) (i32.const 3) (i32.const 0)))
  (func (export "canister_update b")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 2) (i32.const 0) (i32.const 3) (i32.const 0))))
