;; A core module importing functions no host provides.
(module
  (import "ic0" "msg_reply" (func (param)))
  (import "env" "log" (func (param i32 i32)))
  (func (export "f") (result i32) (i32.const 1)))
