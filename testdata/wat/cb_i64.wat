;; The 64-bit System API: callback indices are i64; -1 and u64::MAX are
;; one-way sentinels.
(module
  (import "ic0" "call_new" (func $call_new (param i64 i64 i64 i64 i64 i64 i64 i64)))
  (import "ic0" "call_on_cleanup" (func $cleanup (param i64 i64)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 0) $k0 $k1 $k2 $k3)
  (func $k0 (param i64)) (func $k1 (param i64)) (func $k2 (param i64)) (func $k3 (param i64))
  (func (export "canister_update go") (param $p i64)
    (call $call_new (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const 2) (i64.add (local.get $p) (i64.const 16)) (i64.const 1) (i64.const 0))
    (call $cleanup (i64.const 3) (i64.const 0))
    (call $call_new (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const -1) (i64.const 0) (i64.const 0xFFFFFFFF) (i64.const 0))))
