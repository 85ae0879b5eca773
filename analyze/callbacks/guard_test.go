package callbacks

import (
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// TestPreUpgradeGuard checks that the Motoko runtime's refusal to upgrade
// with outstanding callbacks is found in every Motoko canister of the
// corpus and in the WAT fixture that copies its shape, and in nothing
// else: the Rust canisters, and fixtures where the message is present but
// not what the exported canister_pre_upgrade traps with.
func TestPreUpgradeGuard(t *testing.T) {
	for _, tc := range []struct {
		path  string
		guard bool
	}{
		{wat + "cb_env_call_guard.wasm", true},
		{wat + "cb_env_call.wasm", false},
		{wat + "cb_env_call_guard_unexported.wasm", false},
		{wat + "cb_env_call_guard_wrong_len.wasm", false},
		{wat + "cb_env_call_guard_wrong_addr.wasm", false},
		{wat + "cb_guard64.wasm", true}, // i64 arguments, memory64 data beyond 4 GiB
		{"corpus:motoko-call.wasm", true},
		{"corpus:motoko-counter.wasm", true},
		{"corpus:motoko-counter-region.wasm", true},
		{"corpus:rust-counter.wasm", false},
		{"corpus:wallet-0.7.0.wasm", false},
		{"corpus:wallet-current.wasm", false},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			p := tc.path
			if rel, ok := cutPrefix(p, "corpus:"); ok {
				p = shared.Corpus(t, "ic/"+rel)
			}
			a := analyzeFile(t, p, nil)
			if got := a.PreUpgradeGuard != ""; got != tc.guard {
				t.Fatalf("PreUpgradeGuard = %q, want a guard: %v", a.PreUpgradeGuard, tc.guard)
			}
		})
	}
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return s, false
}
