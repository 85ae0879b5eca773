;; cb_table_old rebuilt for wasm64 (memory64, the 64-bit System API): the
;; callbacks keep slots 1 and 2 and take (env : i64), as wasm64 canisters'
;; callbacks do. Whether calls the wasm32 build made are answered is not
;; proven (CALLBACK_UNRESOLVED), not a signature mismatch.
(module
  (import "ic0" "call_new" (func $call_new (param i64 i64 i64 i64 i64 i64 i64 i64)))
  (import "ic0" "debug_print" (func $print (param i64 i64)))
  (memory (export "memory") i64 1)
  (table (export "table") 4 funcref)
  (elem (i32.const 0) $helper $reply $reject)
  (func $helper (param i64) (call $print (local.get 0) (i64.const 0)))
  (func $reply (param i64) (call $print (local.get 0) (i64.const 1)))
  (func $reject (param i64) (call $print (local.get 0) (i64.const 2)))
  (func (export "canister_update go")
    (call $call_new (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const 1) (i64.const 100) (i64.const 2) (i64.const 100))))
