package callbacks

import (
	"slices"
	"sync"
	"testing"
)

// TestFuncs checks that Funcs fingerprints any function as the analysis
// fingerprints callbacks, and finds the functions sharing a fingerprint.
func TestFuncs(t *testing.T) {
	for _, tc := range []struct {
		file string
		same []uint32 // functions with one fingerprint, which no other has
	}{
		// $a (func 6) and $b (func 7) differ only two calls deep.
		{"cb_twins_old", []uint32{6, 7}},
		// $reply (func 3) and $reply2 (func 5) have the same body.
		{"cb_role_dropped_twin", []uint32{3, 5}},
		// $helper, $reply and $reject have one signature, not one body.
		{"cb_role_dropped", []uint32{3}},
		// An import is fingerprinted by its name.
		{"cb_role_dropped", []uint32{1}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a := analyzeFile(t, wat+tc.file+".wasm", nil)
			for _, cb := range a.Callbacks {
				if fp, ok := a.Funcs.Fingerprint(cb.Func); !ok || fp != cb.Fingerprint {
					t.Errorf("Fingerprint(%d) = %q, %v; the callback's is %q", cb.Func, fp, ok, cb.Fingerprint)
				}
			}
			for _, fn := range tc.same {
				if got, ok := a.Funcs.SameFingerprint(fn); !ok || !slices.Equal(got, tc.same) {
					t.Errorf("SameFingerprint(%d) = %v, %v, want %v", fn, got, ok, tc.same)
				}
			}
			if _, ok := a.Funcs.Fingerprint(1 << 20); ok {
				t.Error("a fingerprint for a function the module lacks")
			}
			if _, ok := a.Funcs.SameFingerprint(1 << 20); ok {
				t.Error("functions sharing the fingerprint of a function the module lacks")
			}
		})
	}
	// One analysis may serve several checks at once.
	a := analyzeFile(t, wat+"cb_twins_old.wasm", nil)
	var wg sync.WaitGroup
	for fn := range uint32(8) {
		wg.Go(func() {
			if _, ok := a.Funcs.SameFingerprint(fn); !ok {
				t.Errorf("SameFingerprint(%d) failed", fn)
			}
		})
	}
	wg.Wait()
	var none *Funcs // an analysis rebuilt from a manifest
	if _, ok := none.Fingerprint(0); ok {
		t.Error("nil Funcs has a fingerprint")
	}
	if _, ok := none.SameFingerprint(0); ok {
		t.Error("nil Funcs finds functions")
	}
}

// BenchmarkFuncsSameFingerprint measures the first SameFingerprint of
// an analysis for the signature of the wallet's callbacks, which
// fingerprints every function of the module with it (the in-flight check
// pays it at most once per side, and only when a slot's new holder has the
// old callback's fingerprint), against BenchmarkAnalyze.
func BenchmarkFuncsSameFingerprint(b *testing.B) {
	src, m := walletModule(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		b.StopTimer()
		a, err := Analyze(m, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(a.Callbacks) == 0 {
			b.Fatal("no callbacks")
		}
		b.StartTimer()
		if _, ok := a.Funcs.SameFingerprint(a.Callbacks[0].Func); !ok {
			b.Fatal("no Funcs")
		}
	}
}
