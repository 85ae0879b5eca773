package callbacks

import (
	"slices"
	"sync"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// Funcs answers, for an analysed module, what the analysis records only for
// callbacks: the fingerprint of any of its functions (as
// Callback.Fingerprint), and which functions share one. Compat's in-flight
// check uses it to tell whether a callback slot still holds the very
// function the old build's callback was, though the new build no longer
// registers it as a callback. It is safe for concurrent use.
type Funcs struct {
	mu    sync.Mutex
	z     *analyzer           // only m, nimp and fps are set
	bySig map[string]bool     // signatures whose functions byFP holds
	byFP  map[string][]uint32 // functions by fingerprint, one signature at a time
}

func newFuncs(m *core.Module, nimp uint32, fps map[uint32]string) *Funcs {
	return &Funcs{z: &analyzer{m: m, nimp: nimp, fps: fps}, bySig: map[string]bool{}, byFP: map[string][]uint32{}}
}

// Equal reports true for any two Funcs: they are derived from the module,
// not facts of the analysis, so an analysis rebuilt from a record (without
// Funcs) equals the one it was recorded from.
func (f *Funcs) Equal(*Funcs) bool { return true }

// Fingerprint returns the fingerprint of function fn, computed as for
// Callback.Fingerprint, and false when f is nil (the analysis was not
// made from the module) or the module has no function fn.
func (f *Funcs) Fingerprint(fn uint32) (string, bool) {
	if f == nil || uint64(fn) >= uint64(f.z.m.NumFuncs()) {
		return "", false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.z.fingerprint(fn), true
}

// SameFingerprint returns every function of the module, imported or
// defined, whose fingerprint is fn's (fn among them), in index order, and
// false when f is nil or the module has no function fn. The fingerprint
// covers the signature, so the first call for a signature fingerprints
// every function of the module with that signature, and only those.
func (f *Funcs) SameFingerprint(fn uint32) ([]uint32, bool) {
	if f == nil || uint64(fn) >= uint64(f.z.m.NumFuncs()) {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if sig := f.z.typeString(fn); !f.bySig[sig] {
		f.bySig[sig] = true
		for g := range uint32(f.z.m.NumFuncs()) {
			if f.z.typeString(g) == sig {
				k := f.z.fingerprint(g)
				f.byFP[k] = append(f.byFP[k], g)
			}
		}
	}
	return slices.Clone(f.byFP[f.z.fingerprint(fn)]), true
}
