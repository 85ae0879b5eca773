;; Callbacks registered through forwarders: $send passes its parameter on
;; as the reply index (and registers reject 3 itself); the exported
;; forwarder "send2" can be called with anything.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (table 4 funcref)
  (elem (i32.const 0) $k0 $k1 $k2 $k3)
  (func $k0 (param i32)) (func $k1 (param i32)) (func $k2 (param i32)) (func $k3 (param i32))
  (func $send (param $cb i32) (param $env i32)
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (local.get $cb) (local.get $env) (i32.const 3) (local.get $env)))
  (func (export "a") (call $send (i32.const 1) (i32.const 100)))
  (func (export "b") (param $p i32) (call $send (i32.const 2) (i32.add (local.get $p) (i32.const 16))))
  (func (export "send2") (param $cb i32)
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (local.get $cb) (i32.const 0) (i32.const -1) (i32.const 0))))
