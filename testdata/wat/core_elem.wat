;; All eight element segment encodings (flags 0-7), checked by core_test.go.
(module
  (type $v (func))
  (import "env" "g" (global $g i32))
  (func $f0 (type $v))
  (func $f1 (type $v))
  (table $t0 4 funcref)
  (table $t1 4 externref)
  (table $t2 4 funcref)
  ;; 0: active, table 0, i32 offset, function indices
  (elem (i32.const 0) $f0 $f1)
  ;; 1: passive, elemkind, function indices
  (elem func $f1 $f0)
  ;; 2: active, explicit table, elemkind, function indices
  (elem (table $t2) (i32.const 1) func $f0)
  ;; 3: declarative, elemkind, function indices
  (elem declare func $f1)
  ;; 4: active, table 0, expressions
  (elem (i32.const 2) funcref (ref.func $f0) (ref.null func))
  ;; 5: passive, reftype, expressions
  (elem externref (ref.null extern))
  ;; 6: active, explicit table, reftype, expressions
  (elem (table $t1) (global.get $g) externref (ref.null extern))
  ;; 7: declarative, reftype, expressions
  (elem declare funcref (ref.func $f1) (ref.null func))
)
