package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/externs"
)

// TestInspectAgreesWithCoreExterns: the tables and memories `inspect
// --json` lists carry the same limits, element types and memory64 flags
// as the memories, tables and globals a manifest records (core_externs),
// under the same JSON names.
func TestInspectAgreesWithCoreExterns(t *testing.T) {
	root := repoRoot(t)
	fixtures, _ := filepath.Glob(filepath.Join(root, "testdata", "wat", "ext_*.wasm"))
	if len(fixtures) == 0 {
		t.Fatal("no fixtures")
	}
	type limits struct {
		Type     string  `json:"type"`
		Min      *uint64 `json:"min"`
		Max      *uint64 `json:"max"`
		Memory64 bool    `json:"memory64"`
		Imported bool    `json:"imported"`
		Export   string  `json:"export"`
	}
	compared := 0
	for _, f := range fixtures {
		code, out, stderr := run(t, "inspect", "--json", f)
		if code != ExitOK {
			t.Fatalf("inspect %s: exit %d: %s", f, code, stderr)
		}
		var doc struct {
			Core struct {
				Tables   []limits `json:"tables"`
				Memories []limits `json:"memories"`
			} `json:"core"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		code, out, stderr = run(t, "manifest", f)
		if code != ExitOK {
			t.Fatalf("manifest %s: exit %d: %s", f, code, stderr)
		}
		var m struct {
			CoreExterns *externs.Set `json:"core_externs"`
		}
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		if m.CoreExterns == nil {
			t.Fatalf("%s: the manifest has no core_externs", f)
		}
		same := func(what string, e externs.Extern, l limits) {
			compared++
			if e.Kind == externs.Table && e.Type != l.Type || *e.Min != *l.Min || (e.Max == nil) != (l.Max == nil) ||
				e.Max != nil && *e.Max != *l.Max || e.Memory64 != l.Memory64 {
				t.Errorf("%s: %s %+v, inspect %+v", filepath.Base(f), what, e, l)
			}
		}
		// Exports: by name. Imports: in order, the imported entries of
		// inspect's lists come first.
		imported := map[string]int{}
		for _, e := range m.CoreExterns.Imports {
			list := doc.Core.Memories
			if e.Kind == externs.Table {
				list = doc.Core.Tables
			} else if e.Kind != externs.Memory {
				continue // inspect does not list globals
			}
			i := imported[e.Kind]
			imported[e.Kind]++
			if i >= len(list) || !list[i].Imported {
				t.Errorf("%s: imported %s %s.%s not in inspect's list", filepath.Base(f), e.Kind, e.Module, e.Name)
				continue
			}
			same("import "+e.Name, e, list[i])
		}
		for _, e := range m.CoreExterns.Exports {
			list := doc.Core.Memories
			if e.Kind == externs.Table {
				list = doc.Core.Tables
			} else if e.Kind != externs.Memory {
				continue
			}
			found := false
			for _, l := range list {
				if l.Export == e.Name {
					found = true
					same("export "+e.Name, e, l)
				}
			}
			if !found {
				t.Errorf("%s: exported %s %q not in inspect's list", filepath.Base(f), e.Kind, e.Name)
			}
		}
	}
	if compared < len(fixtures) {
		t.Errorf("only %d memories and tables compared", compared)
	}
}
