;; ic0.call_new is itself in the table: calls through call_indirect escape
;; the analysis.
(module
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (table 2 funcref)
  (elem (i32.const 0) $call_new $k1)
  (func $k1 (param i32)))
