package rewrite

import (
	"os"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
)

// benchInput pins wallet-current against the lock of wallet-0.12.0, the
// release before it: both reply callbacks and the cleanup callbacks move,
// so the whole rewrite runs (relocation, wrappers, remapped call_indirect).
func benchInput(b testing.TB) ([]byte, Options) {
	b.Helper()
	old, err := os.ReadFile(shared.CorpusDir() + "/ic/wallet-0.12.0.wasm")
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(shared.CorpusDir() + "/ic/wallet-current.wasm")
	if err != nil {
		b.Fatal(err)
	}
	m, err := core.Decode(old)
	if err != nil {
		b.Fatal(err)
	}
	a, err := callbacks.Analyze(m, nil)
	if err != nil {
		b.Fatal(err)
	}
	lock, err := LockFromAnalysis(a)
	if err != nil {
		b.Fatal(err)
	}
	// wallet-current registers two reply callbacks where 0.12.0 had one:
	// say which one inherits slot 70 (and its cleanup slot 71).
	return src, Options{Lock: lock, Map: map[uint32]string{70: "func[616]", 71: "func[636]"}}
}

// BenchmarkPin measures Pin (decode, analysis, rewrite, encode) on the
// 2.5 MB wallet; validation with wazero is not included.
func BenchmarkPin(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	src, opts := benchInput(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		res, err := Pin(src, opts)
		if err != nil {
			b.Fatal(err)
		}
		if !res.Changed() {
			b.Fatal("nothing pinned")
		}
	}
}
