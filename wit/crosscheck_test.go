package wit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

// corpusComponents lists every component binary of the Golem corpus.
func corpusComponents(t testing.TB) []string {
	var files []string
	for _, dir := range []string{"golem-v1.1.0", "golem-v1.3.0"} {
		m, err := filepath.Glob(filepath.Join(shared.CorpusDir(), dir, "*.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("third-party corpus not available in %s (set WFCOMPAT_SHARED)", shared.CorpusDir())
	}
	return files
}

// The normalizations of the cross-check, each for a difference the two
// sources legitimately have:
//
//   - Docs (of worlds, interfaces, types, functions, fields, cases) are
//     dropped: component binaries carry docs only in an optional custom
//     section (package-docs) that the native decoder does not read.
//   - World.Package is dropped: a binary does not record its world's
//     package; wasm-tools invents "root:component" for it, the native
//     decoder leaves it empty. (World.Name is compared: both say "root".)
//
// Nothing else is normalized: names, owners, kinds, order of items, types
// and functions, and the structure of every type must agree.
var crossCheckOpts = []cmp.Option{
	cmpopts.IgnoreFields(wit.World{}, "Docs", "Package"),
	cmpopts.IgnoreFields(wit.Interface{}, "Docs"),
	cmpopts.IgnoreFields(wit.TypeDef{}, "Docs"),
	cmpopts.IgnoreFields(wit.Function{}, "Docs"),
	cmpopts.IgnoreFields(wit.Field{}, "Docs"),
	cmpopts.IgnoreFields(wit.Case{}, "Docs"),
}

// TestCrossCheckCorpus proves the native component decoder against
// wasm-tools: for every corpus component, the world decoded natively must
// equal the world wasm-tools (through go.bytecodealliance.org) extracts
// from the same binary.
func TestCrossCheckCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools on every corpus component")
	}
	crossCheck(t, corpusComponents(t))
}

// TestCrossCheckSynthetic does the same for the synthetic fixtures of
// analyze/component (see testdata/wit/gen.sh there), which exercise what
// the corpus lacks: exported resources, aliases, renamed uses, world-level
// functions and types, inline interfaces, async functions, futures and
// streams.
func TestCrossCheckSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	dir := filepath.Join("..", "analyze", "component", "testdata", "wit")
	var files []string
	for _, f := range []string{"rich.wasm", "async-callback.wasm", "async-stackful.wasm"} {
		files = append(files, filepath.Join(dir, f))
	}
	crossCheck(t, files)
}

func crossCheck(t *testing.T, files []string) {
	for _, path := range files {
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c, err := component.Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			native, err := c.World()
			if err != nil {
				t.Fatalf("World: %v", err)
			}
			ref, err := wasmtools.LoadWIT(path, "")
			if err != nil {
				t.Fatalf("LoadWIT: %v", err)
			}
			if ref.Name != "root" || ref.Package != "root:component" {
				t.Errorf("LoadWIT world %s in %q, want root in root:component", ref.Name, ref.Package)
			}
			if diff := cmp.Diff(ref, native, crossCheckOpts...); diff != "" {
				t.Errorf("native world differs from wasm-tools' (-wasm-tools +native):\n%s", diff)
			}
			if len(native.Imports)+len(native.Exports) == 0 {
				t.Errorf("empty world")
			}
		})
	}
}
