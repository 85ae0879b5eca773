;; Data segments in all three encodings, a data count section, imported and
;; defined memories, globals, a start function and exports of every kind.
(module
  (type $v (func))
  (import "env" "mem" (memory $m0 1))
  (import "env" "base" (global $base i32))
  (import "env" "f" (func $f (param i64)))
  (import "env" "tab" (table $tab 1 funcref))
  (memory $m1 2 3)
  (global $counter (mut i64) (i64.const -7))
  (global $plus i32 (i32.add (global.get $base) (i32.const 16)))
  (global $fref funcref (ref.null func))
  ;; flags 0: active, memory 0, i32.const offset
  (data (i32.const 8) "hello")
  ;; flags 1: passive
  (data $p "\00\01\02")
  ;; flags 2: active, explicit memory 1, global.get offset
  (data (memory $m1) (global.get $base) "world")
  ;; flags 0 again, with an extended-const offset
  (data (i32.sub (global.get $base) (i32.const 4)) "")
  (func $init (type $v)
    data.drop $p
  )
  (start $init)
  (export "init" (func $init))
  (export "f" (func $f))
  (export "mem1" (memory $m1))
  (export "counter" (global $counter))
  (export "tab" (table $tab))
)
