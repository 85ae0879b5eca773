;; As cb_table_old, but calls are one-way (reply -1): the new build has no
;; reply callback, yet keeps $reply, unchanged, at old reply slot 1. A
;; response to a call the old build made still reaches $reply.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (table (export "table") 4 funcref)
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i32) (call $print (local.get 0) (i32.const 0)))
  (func $reply (param i32) (call $print (local.get 0) (i32.const 1)))
  (func $reject (param i32) (call $print (local.get 0) (i32.const 2)))
  (func (export "canister_update go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const -1) (i32.const 100) (i32.const 2) (i32.const 100))))
