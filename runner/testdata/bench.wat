;; A component for the runner's benchmarks and tests: a trivial u64 -> u64
;; export, a 100k-element list<record> in and out, a string echo, a loop that
;; never ends (timeouts) and a memory that grows (the memory limit).
(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    ;; A bump allocator: realloc(old, old_size, align, new_size).
    (func $realloc (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32) (local $end i32)
      (local.set $p (i32.and
        (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get 2))))
      (local.set $end (i32.add (local.get $p) (local.get 3)))
      (block $ok
        (br_if $ok (i32.le_u (local.get $end) (i32.mul (memory.size) (i32.const 65536))))
        (br_if $ok (i32.ne (memory.grow
          (i32.add (i32.shr_u (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1)))
          (i32.const -1)))
        unreachable)
      (global.set $next (local.get $end))
      (local.get $p))
    (func (export "reset") (global.set $next (i32.const 1024)))
    (func (export "id") (param i64) (result i64) (local.get 0))
    ;; count(list<point>) -> u32: the number of elements.
    (func (export "count") (param i32 i32) (result i32)
      (global.set $next (i32.const 1024))
      (local.get 1))
    ;; points(n) -> list<point>: n points {x: i, y: 2i}, returned through a
    ;; return area at 16.
    (func (export "points") (param $n i32) (result i32)
      (local $p i32) (local $i i32)
      (global.set $next (i32.const 1024))
      (local.set $p (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.mul (local.get $n) (i32.const 8))))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (i32.store (i32.add (local.get $p) (i32.mul (local.get $i) (i32.const 8))) (local.get $i))
          (i32.store offset=4 (i32.add (local.get $p) (i32.mul (local.get $i) (i32.const 8))) (i32.mul (local.get $i) (i32.const 2)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (i32.store (i32.const 16) (local.get $p))
      (i32.store (i32.const 20) (local.get $n))
      (i32.const 16))
    ;; echo(string) -> string, through the return area.
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16))
    (func (export "post") (param i32) (global.set $next (i32.const 1024)))
    (func (export "spin") (loop $l (br $l)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (type $point (record (field "x" u32) (field "y" u32)))
  (func (export "id") (param "x" u64) (result u64) (canon lift (core func $i "id")))
  (func (export "count") (param "l" (list $point)) (result u32)
    (canon lift (core func $i "count") (memory $mem) (realloc $realloc)))
  (func (export "points") (param "n" u32) (result (list $point))
    (canon lift (core func $i "points") (memory $mem) (realloc $realloc) (post-return (core func $i "post"))))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) (post-return (core func $i "post"))))
  (func (export "spin") (canon lift (core func $i "spin")))
  (func (export "grow") (param "pages" u32) (result s32) (canon lift (core func $i "grow")))
)
