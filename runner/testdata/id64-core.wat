;; The core function behind bench.wat's "id", for calling it directly with
;; wazero (the runner's call-overhead benchmark).
(module
  (func (export "id") (param i64) (result i64) (local.get 0)))
