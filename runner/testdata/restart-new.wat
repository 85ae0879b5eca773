;; The new build of the restart tests (runner/upgrade): div(x) traps on 0 by
;; another trap than the old build (unreachable, not a division by zero) and
;; on 7, where the old build returns 14; fix(x) returns 0 for 0, where the
;; old build trapped; spin never returns.
(component
  (core module $m
    (func (export "div") (param i32) (result i32)
      (if (i32.or (i32.eqz (local.get 0)) (i32.eq (local.get 0) (i32.const 7))) (then unreachable))
      (i32.div_u (i32.const 100) (local.get 0)))
    (func (export "fix") (param i32) (result i32)
      (if (i32.eqz (local.get 0)) (then (return (i32.const 0))))
      (i32.div_u (i32.const 100) (local.get 0)))
    (func (export "spin") (param i32) (result i32) (loop $l (br $l)) unreachable)
  )
  (core instance $i (instantiate $m))
  (func (export "div") (param "x" u32) (result u32) (canon lift (core func $i "div")))
  (func (export "fix") (param "x" u32) (result u32) (canon lift (core func $i "fix")))
  (func (export "spin") (param "x" u32) (result u32) (canon lift (core func $i "spin")))
)
