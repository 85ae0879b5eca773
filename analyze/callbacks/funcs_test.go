package callbacks

import (
	"slices"
	"testing"
)

// TestFuncs checks that Funcs fingerprints any function as the analysis
// fingerprints callbacks, and finds the functions sharing a fingerprint.
func TestFuncs(t *testing.T) {
	for _, tc := range []struct {
		file string
		fn   uint32   // a function Funcs is asked about
		same []uint32 // the functions with fn's fingerprint
	}{
		// $a (func 6) and $b (func 7) differ only two calls deep.
		{"cb_twins_old", 6, []uint32{6, 7}},
		// $reply (func 3) and $reply2 (func 5) have the same body.
		{"cb_role_dropped_twin", 3, []uint32{3, 5}},
		{"cb_role_dropped", 3, []uint32{3}},
		// An import is fingerprinted by its name.
		{"cb_role_dropped", 1, []uint32{1}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a := analyzeFile(t, wat+tc.file+".wasm", nil)
			for _, cb := range a.Callbacks {
				if fp, ok := a.Funcs.Fingerprint(cb.Func); !ok || fp != cb.Fingerprint {
					t.Errorf("Fingerprint(%d) = %q, %v; the callback's is %q", cb.Func, fp, ok, cb.Fingerprint)
				}
			}
			fp, ok := a.Funcs.Fingerprint(tc.fn)
			if !ok {
				t.Fatalf("no fingerprint for func %d", tc.fn)
			}
			if got, ok := a.Funcs.WithFingerprint(fp); !ok || !slices.Equal(got, tc.same) {
				t.Errorf("WithFingerprint = %v, %v, want %v", got, ok, tc.same)
			}
			if _, ok := a.Funcs.Fingerprint(1 << 20); ok {
				t.Error("a fingerprint for a function the module lacks")
			}
		})
	}
	var none *Funcs // an analysis rebuilt from a manifest
	if _, ok := none.Fingerprint(0); ok {
		t.Error("nil Funcs has a fingerprint")
	}
	if _, ok := none.WithFingerprint("sha256:00"); ok {
		t.Error("nil Funcs finds functions")
	}
}
