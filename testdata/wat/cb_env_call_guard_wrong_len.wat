;; As cb_env_call_guard, but the trap names only part of the message: no guard.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "trap" (func $trap (param i32 i32)))
  (import "ic0" "canister_status" (func $status (result i32)))
  (memory 1)
  (table (export "table") 4 funcref)
  (elem (i32.const 1) $reply $reject)
  (global $heap (mut i32) (i32.const 4096))
  (global $outstanding (mut i32) (i32.const 0))
  (data (i32.const 1024) "canister_pre_upgrade attempted with outstanding message callbacks (try stopping the canister before upgrade)")
  ;; A bump allocator: the env is its result, passed on unchanged
  ;; (Rust's Box::into_raw), a heap address the analysis cannot classify.
  (func $alloc (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $n)))
    (local.get $p))
  (func $reply (param $env i32) (drop (i32.load (local.get $env))))
  (func $reject (param $env i32) (drop (i32.load (local.get $env))))
  (func (export "canister_update go")
    (local $env i32)
    (local.set $env (call $alloc (i32.const 16)))
    (global.set $outstanding (i32.add (global.get $outstanding) (i32.const 1)))
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (local.get $env) (i32.const 2) (local.get $env)))
  ;; The Motoko runtime's guard: unless the canister is stopped, trap
  ;; with its message while callbacks are outstanding.
  (func $pre_upgrade (export "canister_pre_upgrade")
    (if (i32.ne (call $status) (i32.const 3))
      (then (if (global.get $outstanding)
        (then (call $trap (i32.const 1024) (i32.const 107)) (unreachable))))))
)
