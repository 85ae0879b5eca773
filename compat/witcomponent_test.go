package compat

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/wit"
	bawit "go.bytecodealliance.org/wit"
)

var witParserWorlds = flag.Bool("wit-parser-worlds", false, "run TestWITAndComponentWorlds (minutes: builds a component per world)")

// TestWITAndComponentWorlds asks that the world read from WIT and the world
// read from a component built from it (a dummy component, by the embedded
// wasm-tools) give identical verdicts: diffing one against the other finds
// nothing but documentation (components carry docs only optionally), so
// every verdict either side gets against a third world is the same. The
// worlds are those of wasm-tools' wit-parser UI suite in ../shared. It
// builds two components per world with the wasm-tools binary and takes
// more than ten minutes on the shared machines, so it runs only with
// -wit-parser-worlds (and -timeout 30m); TestSemverCheckConformance makes
// the same WIT-versus-component check on every semver-check case by default.
func TestWITAndComponentWorlds(t *testing.T) {
	if testing.Short() || !*witParserWorlds {
		t.Skip("builds a component per wit-parser world (minutes); run with -wit-parser-worlds -timeout 30m")
	}
	dir := shared.Path(t, "conformance/wit-parser-ui")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	wasmTools(t)
	type world struct{ input, name string }
	var worlds []world
	for _, e := range entries {
		name := e.Name()
		if name == "parse-fail" || strings.HasSuffix(name, ".json") || strings.HasPrefix(name, "LICENSE") || strings.HasSuffix(name, ".md") {
			continue
		}
		res, err := bawit.LoadWIT(filepath.Join(dir, name))
		if err != nil {
			continue // a construct the embedded wasm-tools predates (see the suite's README)
		}
		for _, w := range res.Worlds {
			if w.Package != nil {
				worlds = append(worlds, world{name, w.Package.Name.String() + "/" + w.Name})
			}
		}
	}
	if len(worlds) < 50 {
		t.Fatalf("only %d worlds in %s", len(worlds), dir)
	}
	t.Logf("%d worlds", len(worlds))
	for _, w := range worlds {
		t.Run(w.input+"/"+w.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			src := filepath.Join(dir, w.input)
			if err := os.CopyFS(filepath.Join(tmp, "in"), os.DirFS(filepath.Dir(src))); err != nil {
				t.Fatal(err)
			}
			in := filepath.Join("in", w.input)
			fromWIT, err := wit.LoadWIT(filepath.Join(tmp, in), w.name)
			if err != nil {
				t.Skipf("LoadWIT: %v", err)
			}
			fromComp := dummyComponent(t, tmp, in, w.name)
			witA, compA := Artifact{Kind: "wit"}, Artifact{Kind: "component"}
			for _, pair := range []struct {
				old, new   *wit.World
				oldA, newA Artifact
			}{{fromWIT, fromComp, witA, compA}, {fromComp, fromWIT, compA, witA}} {
				r := Diff(pair.old, pair.new, Options{Old: pair.oldA, New: pair.newA})
				var other []string
				for _, f := range r.Findings {
					if f.Rule != RuleDocsChanged {
						other = append(other, f.Rule+" "+f.Subject)
					}
				}
				if len(other) > 0 || slices.ContainsFunc(AllModes(), func(m Mode) bool { return r.Modes[m].Verdict == Unsafe }) {
					t.Errorf("the WIT and the component world differ: %v", other)
				}
			}
		})
	}
}
