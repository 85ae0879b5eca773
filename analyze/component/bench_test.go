package component

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// BenchmarkComponentWorld decodes update-test-v1 (660 KB, mostly its core
// module, which is located but not decoded) and extracts its world.
// Compare with BenchmarkLoadWIT in package wit/wasmtools, which gets the same world
// through the embedded wasm-tools.
func BenchmarkComponentWorld(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	data, err := os.ReadFile(filepath.Join(shared.CorpusDir(), "golem-v1.1.0", "update-test-v1.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.World(); err != nil {
			b.Fatal(err)
		}
	}
}
