package manifest_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/manifest"
)

// TestDiffManifestsLikeBinaries checks that a platform keeping manifests
// instead of binaries loses nothing: comparing two manifests (written to
// JSON and read back) gives the same verdicts and findings as comparing
// the binaries they came from, for every ordered pair of the corpus.
func TestDiffManifestsLikeBinaries(t *testing.T) {
	files := corpus(t)
	type side struct {
		bin, man compat.Artifact
		binW     *analyze.Artifact
		m        *manifest.Manifest
	}
	sides := make([]side, len(files))
	for i, path := range files {
		m, wasm := build(t, path)
		enc, err := manifest.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := manifest.Read(enc)
		if err != nil {
			t.Fatal(err)
		}
		a, err := analyze.Decode(wasm)
		if err != nil {
			t.Fatal(err)
		}
		sides[i] = side{
			bin:  compat.Artifact{Path: path, Kind: string(a.Kind), SHA256: a.SHA256},
			man:  compat.Artifact{Path: path, Kind: back.Artifact.Kind, SHA256: back.Artifact.SHA256},
			binW: a,
			m:    back,
		}
	}
	pairs := 0
	for i, o := range sides {
		for j, n := range sides {
			fromBin := compat.Diff(o.binW.World, n.binW.World, compat.Options{Old: o.bin, New: n.bin})
			fromMan := compat.Diff(o.m.World, n.m.World, compat.Options{Old: o.man, New: n.man})
			// The reports name their inputs; everything else must agree.
			fromMan.Old, fromMan.New = fromBin.Old, fromBin.New
			if diff := cmp.Diff(fromBin, fromMan); diff != "" {
				t.Errorf("%s → %s: manifests and binaries disagree (-binaries +manifests):\n%s",
					filepath.Base(files[i]), filepath.Base(files[j]), diff)
			}
			pairs++
		}
	}
	t.Logf("%d pairs compared", pairs)
}
