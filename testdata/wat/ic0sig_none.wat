;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; old build: no ic0 import at all (a new ic0 import module is judged whole).
(module
  (memory 1)
  (func (export "canister_query q")))
