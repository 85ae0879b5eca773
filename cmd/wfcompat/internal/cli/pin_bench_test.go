package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkPinCLI runs the whole pin command in process (everything but
// the process start): wallet-0.12.0 against wallet-0.10.0, written to a
// temporary directory.
func BenchmarkPinCLI(b *testing.B) {
	newer, older := corpus+"ic/wallet-0.12.0.wasm", corpus+"ic/wallet-0.10.0.wasm"
	if _, err := os.Stat(newer); err != nil {
		b.Skipf("corpus not available: %v", err)
	}
	out := filepath.Join(b.TempDir(), "out.wasm")
	st, _ := os.Stat(newer)
	b.ReportAllocs()
	b.SetBytes(st.Size())
	for b.Loop() {
		io, _, errb := Test()
		if code := Main([]string{"pin", newer, "--against", older, "-o", out}, io); code != 0 {
			b.Fatalf("exit %d: %s", code, errb)
		}
	}
}
