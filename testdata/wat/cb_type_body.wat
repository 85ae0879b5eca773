;; Near miss of cb_type_changed: the reply callback at slot 1 has a new
;; body but the old signature, so the slot keeps an answerable callback.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (table (export "table") 4 funcref)
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32) (call $print (i32.const 7) (local.get 0)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 100) (i32.const 2) (i32.const 100))))
