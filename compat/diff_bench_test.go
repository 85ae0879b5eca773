package compat

import (
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// BenchmarkDiffWorlds diffs the worlds of update-test-v1 and -v2 (Golem
// 1.1.0), decoded once: the cost of compat.Diff alone.
func BenchmarkDiffWorlds(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	ob, nb := readPair(b)
	o, n := decodePair(b, ob, nb)
	b.ReportAllocs()
	for b.Loop() {
		Diff(o, n, Options{})
	}
}
