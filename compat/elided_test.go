package compat

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/witparse"
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
	if e := elidedImports(fromWIT, nil); len(e) != 1 || !e[fromWIT.Imports[0]] {
		t.Errorf("elidedImports = %v, want only %s", e, types)
	}
}

// TestElidedImportsTable: which imports of a world read from WIT a
// component built from it leaves out. Each case was checked against the
// dummy component the embedded wasm-tools builds from the same WIT.
func TestElidedImportsTable(t *testing.T) {
	const pkg = `package t:x;
interface a { type t = u32; }
interface b { use a.{t}; resource x; }
interface c { use a.{t}; }
interface r { resource y; }
interface f { use a.{t}; g: func(v: t); }
interface u { use r.{y as z}; }
`
	for _, tc := range []struct {
		name, world string
		want        []string // elided, in import order
	}{
		{"type-only interface", `import a;`, []string{"t:x/a"}},
		{"type-only interface using another", `import c;`, []string{"t:x/a", "t:x/c"}},
		{"resource-only interface", `import r;`, nil},
		// b is imported for its resource; t, which no function uses, is
		// left out of b's instance, and with it a.
		{"resource interface using another's unused type", `import b;`, []string{"t:x/a"}},
		{"function using another's type", `import f;`, nil},
		{"exported interface's types", `export c;`, nil},
		{"world-level use", `use a.{t}; import g: func();`, nil},
		// A renamed use of another interface's resource is no resource of
		// u's own: r is imported for its resource, u is not.
		{"renamed use of a resource", `import u;`, []string{"t:x/u"}},
		{"world-level use of an interface exported too", `use a.{t}; export a;`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := witparse.LoadString("x.wit", pkg+"world w { "+tc.world+" }\n", witparse.Options{})
			if err != nil {
				t.Fatal(err)
			}
			w, err := res.World("w")
			if err != nil {
				t.Fatal(err)
			}
			elided := elidedImports(w, nil)
			var got []string
			for _, it := range w.Imports {
				if elided[it] {
					got = append(got, it.Name)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("elided imports (-want +got):\n%s", diff)
			}
		})
	}
}
