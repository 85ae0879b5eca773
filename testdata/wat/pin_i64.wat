;; 64-bit System API, next build: reply moved to slot 2; slot 1 holds
;; $other, called through a pointer.
(module
  (type $cb (func (param i64)))
  (import "ic0" "call_new" (func $call_new (param i64 i64 i64 i64 i64 i64 i64 i64)))
  (import "ic0" "debug_print" (func $print (param i64 i64)))
  (table 3 funcref)
  (elem (i32.const 0) $helper $other $reply)
  (func $helper (param i64) (call $print (local.get 0) (i64.const 0)))
  (func $other (param i64) (call $print (local.get 0) (i64.const 10)))
  (func $reply (param i64) (call $print (local.get 0) (i64.const 1)))
  (func (export "canister_update go")
    (call $call_new (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const 2) (i64.const 100) (i64.const -1) (i64.const 0)))
  (func (export "canister_update ptr")
    (call_indirect (type $cb) (i64.const 7) (i32.const 1))))
