;; Two reply callbacks, $a at slot 1 and $b at slot 2, whose bodies differ
;; only two calls deep ($a calls $h1 calls $x1, $b calls $h2 calls $x2):
;; their fingerprints are equal, so only the slots tell them apart.
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
      (i32.const 1) (i32.const 0) (i32.const 3) (i32.const 0)))
  (func (export "canister_update b")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 2) (i32.const 0) (i32.const 3) (i32.const 0))))
