;; A core module importing functions no host provides; reply() calls one
;; (with StubMissing, the stub fails: the host's doing, not the program's).
(module
  (import "ic0" "msg_reply" (func $reply (param)))
  (import "env" "log" (func (param i32 i32)))
  (func (export "f") (result i32) (i32.const 1))
  (func (export "reply") (result i32) (call $reply) (i32.const 2)))
