;; The Motoko runtime's canister_pre_upgrade guard in a wasm64 build:
;; ic0.trap takes i64 address and length, the data segment is at an i64
;; offset of a 64-bit memory, beyond 4 GiB.
(module
  (import "ic0" "trap" (func $trap (param i64 i64)))
  (import "ic0" "canister_status" (func $status (result i32)))
  (memory i64 1)
  (global $outstanding (mut i32) (i32.const 0))
  (data (i64.const 0x100000400) "canister_pre_upgrade attempted with outstanding message callbacks (try stopping the canister before upgrade)")
  (func (export "canister_pre_upgrade")
    (if (i32.ne (call $status) (i32.const 3))
      (then (if (global.get $outstanding)
        (then (call $trap (i64.const 0x100000400) (i64.const 108)) (unreachable)))))))
