;; A host API of its own: env.register(callback, env, error_callback).
(module
  (import "env" "register" (func $register (param i32 i32 i32)))
  (table 3 funcref)
  (elem (i32.const 0) $k0 $k1 $k2)
  (func $k0 (param i32)) (func $k1 (param i32)) (func $k2 (param i32))
  (func (export "go") (call $register (i32.const 1) (i32.const 0) (i32.const 2))))
