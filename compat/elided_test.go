package compat

import (
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

// TestElidedImports: a world read from WIT lists type-only interfaces that a
// component built from it does not import (nothing uses their types); they
// are not compared, so the WIT and the binary of a build judge alike. A
// type-only interface whose type a function uses stays an import.
func TestElidedImports(t *testing.T) {
	const types, used = "foo:dep/types", "foo:dep/used"
	money := record(used, "money", field("cents", prim(wit.U64)))
	fromWIT := world(sides{
		exports: []*wit.Item{iface(api, fn("pay", nil, param("m", money)))},
		imports: []*wit.Item{
			withTypes(iface(types), record(types, "unused", field("x", prim(wit.U8)))),
			withTypes(iface(used), money),
		},
	})
	// The component built from it imports only what its functions use.
	fromComp := world(sides{
		exports: []*wit.Item{iface(api, fn("pay", nil, param("m", money)))},
		imports: []*wit.Item{withTypes(iface(used), money)},
	})
	witA, compA := Artifact{Kind: "wit"}, Artifact{Kind: "component"}
	for _, tc := range []struct {
		name       string
		old, new   *wit.World
		oldA, newA Artifact
		want       []string
	}{
		{"wit to component", fromWIT, fromComp, witA, compA, nil},
		{"component to wit", fromComp, fromWIT, compA, witA, nil},
		// Two binaries: nothing is elided, the import is a real one.
		{"component to component", fromComp, fromWIT, compA, compA, []string{"IMPORT_ADDED " + types}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Diff(tc.old, tc.new, Options{Old: tc.oldA, New: tc.newA})
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Rule+" "+f.Subject)
			}
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Errorf("findings: got %v, want %v", got, tc.want)
			}
		})
	}
	// The used interface is never elided.
	if e := elidedImports(fromWIT); len(e) != 1 || !e[fromWIT.Imports[0]] {
		t.Errorf("elidedImports = %v, want only %s", e, types)
	}
}
