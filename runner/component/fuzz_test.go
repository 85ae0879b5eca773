package component

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	ast "github.com/wfcompat/wfcompat/analyze/component"
)

func seeds(f *testing.F, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 1<<16 {
				f.Add(b)
			}
		}
	}
}

// FuzzScanCore: the core-module scanner never panics, and linking with the
// imports renamed gives a module the scanner reads back with the same
// imports (renamed) and exports.
func FuzzScanCore(f *testing.F) {
	seeds(f, "../testdata/*-core.wasm", "../testdata/reactor.wasm", "../testdata/command.wasm", "../testdata/needs-host.wasm")
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := scanCore(b, 0)
		if err != nil {
			return
		}
		targets := make([]coreRef, len(m.imports))
		for i := range targets {
			targets[i] = coreRef{mod: "m1", name: "x" + string(rune('a'+i%26))}
		}
		m2, err := scanCore(m.link(targets), 0)
		if err != nil {
			t.Fatalf("linked module does not scan: %v", err)
		}
		if len(m2.imports) != len(m.imports) || len(m2.exports) != len(m.exports) {
			t.Fatalf("linking changed the module: %d/%d imports, %d/%d exports", len(m2.imports), len(m.imports), len(m2.exports), len(m.exports))
		}
		for i, im := range m2.imports {
			if im.Module != "m1" || im.Name != targets[i].name || im.Kind != m.imports[i].Kind {
				t.Fatalf("import %d is %q %q", i, im.Module, im.Name)
			}
		}
	})
}

type nohost struct{}

func (nohost) Instance(string) *HostInstance { return nil }
func (nohost) Func(string) HostFunc          { return nil }

// FuzzInstantiate: instantiating any decodable component never panics; it
// succeeds or returns an error.
func FuzzInstantiate(f *testing.F) {
	seeds(f, "../testdata/bench.wasm", "../../analyze/component/testdata/wit/*.wasm")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ast.Decode(b)
		if err != nil {
			return
		}
		// Start functions may loop forever: bound them.
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithMemoryLimitPages(64).WithCloseOnContextDone(true))
		defer rt.Close(ctx)
		inst, err := Instantiate(cctx, c, b, Config{Runtime: rt, Host: nohost{}, StubMissing: true})
		if err == nil {
			inst.Close(ctx)
		}
	})
}
