;; The callback table is imported: its contents are not the module's.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "env" "table" (table 6 funcref))
  (elem (i32.const 0) $helper $other $fmt $reply $reject)
  (func $helper (param i32)) (func $other (param i32)) (func $fmt (param i32))
  (func $reply (param i32)) (func $reject (param i32))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 3) (i32.const 100) (i32.const 4) (i32.const 100))))
