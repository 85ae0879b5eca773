;; A component whose import the runner's host does not provide:
;; wasi:cli/exit's exit-with-code (unstable in WASI 0.2; the host has only
;; exit). Run with StubMissing, the stub fails when called: quit(x) calls
;; it with x, then traps (unreachable) if the call returns, as an old build
;; on a host that had it might have; div(x) = 100 / x traps on 0 by the
;; program's own division.
(component
  (type $exit (instance
    (export "exit-with-code" (func (param "status-code" u8)))))
  (import "wasi:cli/exit@0.2.0" (instance $exit (type $exit)))
  (core func $exit-with-code (canon lower (func $exit "exit-with-code")))
  (core module $m
    (import "host" "exit-with-code" (func $exit (param i32)))
    (func (export "quit") (param i32) (result i32)
      (call $exit (local.get 0))
      unreachable)
    (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  )
  (core instance $host (export "exit-with-code" (func $exit-with-code)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (func (export "quit") (param "x" u8) (result u32) (canon lift (core func $i "quit")))
  (func (export "div") (param "x" u32) (result u32) (canon lift (core func $i "div")))
)
