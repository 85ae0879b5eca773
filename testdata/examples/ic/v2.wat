;; Version 2: a new "audit" helper reached through the table was added
;; first, so the linker put it at slot 1 and the callbacks moved to slots
;; 2 and 3. A reply to a call "transfer" made before the upgrade would run
;; whatever now sits at slot 1. `wfcompat pin v2.wasm --against v1.wasm`
;; puts the callbacks back.
(module
  (type $cb (func (param i32)))
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "call_perform" (func $call_perform (result i32)))
  (import "ic0" "msg_reply" (func $msg_reply))
  (import "ic0" "debug_print" (func $print (param i32 i32)))
  (memory 1)
  (data (i32.const 0) "ledgertransferaudit")
  (table 4 funcref)
  (elem (i32.const 1) $audit $on_reply $on_reject)
  (func $audit (param $env i32) (call $print (i32.const 14) (i32.const 5)))
  (func $on_reply (param $env i32) (call $print (i32.const 0) (i32.const 6)) (call $msg_reply))
  (func $on_reject (param $env i32) (call $print (i32.const 6) (i32.const 8)))
  (func (export "canister_update transfer")
    (call $call_new (i32.const 0) (i32.const 6) (i32.const 6) (i32.const 8)
      (i32.const 2) (i32.const 0) (i32.const 3) (i32.const 0))
    (drop (call $call_perform)))
  (func (export "canister_update audit")
    (call_indirect (type $cb) (i32.const 0) (i32.const 1))))
