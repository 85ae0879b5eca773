;; ic0 System API signature fixtures (compat/ic0.go, ic0sig_test.go): a canister
;; whose ic0 imports the ic platform provides only with the right signature.
;; old build: imports msg_reply only; the new builds add functions to ic0.
(module
  (import "ic0" "msg_reply" (func $reply))
  (memory 1)
  (func (export "canister_query q") (call $reply)))
