;; As cb_role_dropped, but the function at old reply slot 1 is $reply with
;; a second parameter: not the same function (its fingerprint covers the
;; signature), and the host's call of the slot would trap.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (table (export "table") 4 funcref)
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32 i32) (call $print (local.get 0) (i32.const 1)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const -1) (i32.const 100) (i32.const 2) (i32.const 100))))
