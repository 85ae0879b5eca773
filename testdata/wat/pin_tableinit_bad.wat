;; table.init writes slot 1, which pinning gives to the reply handler.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (table 6 funcref)
  (elem (i32.const 0) $helper $other $fmt $reply $reject)
  (elem $late func $helper)
  (func $helper (param i32)) (func $other (param i32)) (func $fmt (param i32))
  (func $reply (param i32)) (func $reject (param i32))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 3) (i32.const 100) (i32.const 4) (i32.const 100)))
  (func (export "canister_update init")
    (table.init 0 $late (i32.const 1) (i32.const 0) (i32.const 1))))
