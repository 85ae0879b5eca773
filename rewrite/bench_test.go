package rewrite

import (
	"context"
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
	src, lock := pinPair(b, "wallet-0.12.0.wasm", "wallet-current.wasm")
	// wallet-current registers two reply callbacks where 0.12.0 had one:
	// say which one inherits slot 70 (and its cleanup slot 71).
	return src, Options{Lock: lock, Map: map[uint32]string{70: "func[616]", 71: "func[636]"}}
}

// pinPair reads two wallets of the IC corpus: the new one's bytes, and
// the lock of the old one's callback slots.
func pinPair(b testing.TB, oldName, newName string) ([]byte, *Lock) {
	b.Helper()
	old, err := os.ReadFile(shared.CorpusDir() + "/ic/" + oldName)
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(shared.CorpusDir() + "/ic/" + newName)
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
	return src, lock
}

// BenchmarkPin measures Pin (decode, analysis, rewrite, encode) on the
// 2.5 MB wallet; the output checks (Check) are not included: see
// BenchmarkPinCommand.
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

// BenchmarkPinCommand measures everything `wfcompat pin NEW --against OLD`
// does after reading the files, one step after the other (the command
// overlaps OLD's analysis with NEW's): the lock from OLD's analysis,
// PrepareValidated of NEW (decode, validation and callback analysis in
// one pass over the code), Pin, and Check (the re-analysis and validation
// of the output, which reuse NEW's), on wallet-0.12.0 against
// wallet-0.10.0.
func BenchmarkPinCommand(b *testing.B) {
	old, err := os.ReadFile(shared.CorpusDir() + "/ic/wallet-0.10.0.wasm")
	if err != nil {
		b.Skip(err)
	}
	src, err := os.ReadFile(shared.CorpusDir() + "/ic/wallet-0.12.0.wasm")
	if err != nil {
		b.Skip(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
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
		pr, err := PrepareValidated(src, nil)
		if err != nil {
			b.Fatal(err)
		}
		res, err := pr.Pin(Options{Lock: lock})
		if err != nil {
			b.Fatal(err)
		}
		if err := Check(ctx, res, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate measures the validator on the pinned wallet.
func BenchmarkValidate(b *testing.B) {
	src, opts := benchInput(b)
	res, err := Pin(src, opts)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(res.Wasm)))
	for b.Loop() {
		if err := Validate(ctx, res.Wasm); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPinCheck measures Check alone, as the command runs it: the
// output of BenchmarkPinCommand's pin, its input validated, so that only
// the rewritten bodies are type-checked and scanned again.
func BenchmarkPinCheck(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	src, lock := pinPair(b, "wallet-0.10.0.wasm", "wallet-0.12.0.wasm")
	pr, err := PrepareValidated(src, nil)
	if err != nil {
		b.Fatal(err)
	}
	res, err := pr.Pin(Options{Lock: lock})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(res.Wasm)))
	for b.Loop() {
		if err := Check(ctx, res, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepareValidated measures the command's first pass over NEW:
// decode, validation and the callback analysis riding on it.
func BenchmarkPrepareValidated(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	src, err := os.ReadFile(shared.CorpusDir() + "/ic/wallet-0.12.0.wasm")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := PrepareValidated(src, nil); err != nil {
			b.Fatal(err)
		}
	}
}
