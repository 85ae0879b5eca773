;; The element segment's offset is an imported global: slot contents are
;; unknown.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "env" "base" (global $base i32))
  (table 4 funcref)
  (elem (global.get $base) $k1)
  (func $k1 (param i32))
  (func (export "go")
    (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 1) (i32.const 0) (i32.const -1) (i32.const 0))))
