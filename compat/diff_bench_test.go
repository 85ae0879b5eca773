package compat

import (
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/shared"
)

// BenchmarkDiffWorlds diffs the worlds of update-test-v1 and -v2 (Golem
// 1.1.0), decoded once: the cost of compat.Diff alone.
func BenchmarkDiffWorlds(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	ob, nb := readPair(b)
	o, err := analyze.Decode(ob)
	if err != nil {
		b.Fatal(err)
	}
	n, err := analyze.Decode(nb)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Diff(o.World, n.World, Options{})
	}
}
