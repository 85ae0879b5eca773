package core

import (
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// BenchmarkDecodeCore decodes wallet-current.wasm (2.5 MB) including every
// instruction of every body.
func BenchmarkDecodeCore(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	data := readFile(b, filepath.Join(corpusDir, "wallet-current.wasm"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var r InstrReader
	for b.Loop() {
		m, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		for i := range m.Code {
			r.ResetCode(&m.Code[i])
			for r.Next() {
			}
			if err := r.Err(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDecodeCoreSectionsOnly decodes the sections of the same module
// without decoding instructions.
func BenchmarkDecodeCoreSectionsOnly(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	data := readFile(b, filepath.Join(corpusDir, "wallet-current.wasm"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInstructions measures the convenience slice form.
func BenchmarkInstructions(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	data := readFile(b, filepath.Join(corpusDir, "wallet-current.wasm"))
	m, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for i := range m.Code {
			if _, err := m.Code[i].Instructions(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
