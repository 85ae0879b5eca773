;; Near miss of cb_role_dropped: the reply role is dropped and slot 1 holds
;; a function with $reply's fingerprint, but the new module has two such
;; functions ($reply and $reply2, the same body): which of them stands for
;; the old $reply cannot be told, so the slot is not proven kept.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (table (export "table") 4 funcref)
  (elem (i32.const 0) $helper $reply $reject $reply2)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func $reply2 (param i32) (call $print (local.get 0) (i32.const 1)))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const -1) (i32.const 100) (i32.const 2) (i32.const 100))))
