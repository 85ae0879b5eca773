;; As pin_grow, but the module reads table.size: growing the table would
;; change what it sees.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (table 3 funcref)
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i32)) (func $reply (param i32)) (func $reject (param i32))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 100) (i32.const 2) (i32.const 100)))
  (func (export "canister_query size")
    (call $print (table.size 0) (i32.const 0))))
