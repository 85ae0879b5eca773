;; The old build of the restart tests (runner/upgrade): div(x) = 100 / x, an
;; integer division that traps on 0; fix(x) = 100 / x, trapping on 0 too;
;; spin never returns.
(component
  (core module $m
    (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
    (func (export "spin") (param i32) (result i32) (loop $l (br $l)) unreachable)
  )
  (core instance $i (instantiate $m))
  (func (export "div") (param "x" u32) (result u32) (canon lift (core func $i "div")))
  (func (export "fix") (param "x" u32) (result u32) (canon lift (core func $i "div")))
  (func (export "spin") (param "x" u32) (result u32) (canon lift (core func $i "spin")))
)
