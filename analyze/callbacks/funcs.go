package callbacks

import (
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
	mu   sync.Mutex
	z    *analyzer           // only m, nimp and fps are set
	byFP map[string][]uint32 // every function by fingerprint, on first use
}

func newFuncs(m *core.Module, nimp uint32, fps map[uint32]string) *Funcs {
	return &Funcs{z: &analyzer{m: m, nimp: nimp, fps: fps}}
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

// WithFingerprint returns every function of the module, imported or
// defined, whose fingerprint is fp, in index order, and false when f is nil.
// The first call fingerprints every function of the module.
func (f *Funcs) WithFingerprint(fp string) ([]uint32, bool) {
	if f == nil {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byFP == nil {
		f.byFP = map[string][]uint32{}
		for fn := range uint32(f.z.m.NumFuncs()) {
			k := f.z.fingerprint(fn)
			f.byFP[k] = append(f.byFP[k], fn)
		}
	}
	return append([]uint32(nil), f.byFP[fp]...), true
}
