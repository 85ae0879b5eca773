;; Functions with named parameters and locals. wat2wasm only writes a name
;; section with --debug-names, which the Makefile does not pass, so
;; core_test.go appends a hand-encoded name section (and a producers
;; section) describing these names to the compiled module.
(module $names
  (import "env" "log" (func $log (param i32)))
  (func $add (param $a i32) (param $b i32) (result i32) (local $sum i32)
    local.get $a
    local.get $b
    i32.add
    local.tee $sum
    call $log
    local.get $sum
  )
  (func $unnamed_in_test (result i32)
    i32.const 42
  )
  (export "add_export" (func $add))
  (export "answer" (func $unnamed_in_test))
)
