;; The new build of host-trap.wat: quit(x) calls exit-with-code(x) as the
;; old build does, but returns x + 1 if the call returns, where the old
;; build traps. On the runner's host (StubMissing) it traps only because
;; the stub fails: the host's doing, which proves nothing about the build.
(component
  (type $exit (instance
    (export "exit-with-code" (func (param "status-code" u8)))))
  (import "wasi:cli/exit@0.2.0" (instance $exit (type $exit)))
  (core func $exit-with-code (canon lower (func $exit "exit-with-code")))
  (core module $m
    (import "host" "exit-with-code" (func $exit (param i32)))
    (func (export "quit") (param i32) (result i32)
      (call $exit (local.get 0))
      (i32.add (local.get 0) (i32.const 1)))
    (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  )
  (core instance $host (export "exit-with-code" (func $exit-with-code)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (func (export "quit") (param "x" u8) (result u32) (canon lift (core func $i "quit")))
  (func (export "div") (param "x" u32) (result u32) (canon lift (core func $i "div")))
)
