;; Version 1 of a small Internet Computer canister (the README's quick
;; start): "transfer" calls another canister and registers its reply and
;; reject callbacks by table slot (1 and 2) with ic0.call_new.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "call_perform" (func $call_perform (result i32)))
  (import "ic0" "msg_reply" (func $msg_reply))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory 1)
  (data (i32.const 0) "ledgertransfer")
  (table 3 funcref)
  (elem (i32.const 1) $on_reply $on_reject)
  (func $on_reply (param $env i32) (call $print (i32.const 0) (i32.const 6)) (call $msg_reply))
  (func $on_reject (param $env i32) (call $print (i32.const 6) (i32.const 8)))
  (func (export "canister_update transfer")
    (call $call_new (i32.const 0) (i32.const 6) (i32.const 6) (i32.const 8)
      (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 0))
    (drop (call $call_perform))))
