;; A core module that traps when memory.grow is refused, as a program whose
;; allocator fails does (Rust's alloc error, C's abort: unreachable). Its
;; memory starts at 1 page and declares a maximum of 4 (runner tests: under
;; a 2-page memory limit the runner refuses the grow to 3 pages, which the
;; memory's own maximum allows; growing past 4 the module's maximum refuses
;; it, whatever the limit).
;; grow(n) grows the memory by n pages and returns the old size in pages,
;; trapping (unreachable) when the grow is refused; size() is the size;
;; spin never returns.
(module
  (memory 1 4)
  (func (export "grow") (param i32) (result i32)
    (local i32)
    (local.set 1 (memory.grow (local.get 0)))
    (if (i32.eq (local.get 1) (i32.const -1)) (then unreachable))
    (local.get 1))
  (func (export "size") (result i32) (memory.size))
  (func (export "spin") (param i32) (result i32) (loop $l (br $l)) unreachable)
)
