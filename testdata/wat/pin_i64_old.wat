;; 64-bit System API, running build: reply at slot 1.
(module
  (import "ic0" "call_new" (func $call_new (param i64 i64 i64 i64 i64 i64 i64 i64)))
  (import "ic0" "debug_print" (func $print (param i64 i64)))
  (table 3 funcref)
  (elem (i32.const 0) $helper $reply)
  (func $helper (param i64) (call $print (local.get 0) (i64.const 0)))
  (func $reply (param i64) (call $print (local.get 0) (i64.const 1)))
  (func (export "canister_update go")
    (call $call_new (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const 1) (i64.const 100) (i64.const -1) (i64.const 0))))
