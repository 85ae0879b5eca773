package compat

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/externs"
)

// openCore decodes a core-module fixture of testdata/wat.
func openCore(t *testing.T, name string) *analyze.Artifact {
	t.Helper()
	b, err := os.ReadFile("../testdata/wat/" + name + ".wasm")
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Decode(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if a.CoreExterns == nil {
		t.Fatalf("%s: no memories, tables and globals recorded", name)
	}
	return a
}

func diffCore(t *testing.T, old, new string, host *Host) *Report {
	t.Helper()
	o, n := openCore(t, old), openCore(t, new)
	core := Artifact{Kind: "core"}
	return Diff(o.World, n.World, Options{Old: core, New: core, OldExterns: o.CoreExterns, NewExterns: n.CoreExterns, Host: host})
}

// TestCoreExterns: memories, tables and globals of core modules, which
// their worlds leave out, are compared with Wasm import matching. Each
// pair of fixtures differs in them alone (the exported function is the
// same), so before the comparison existed every pair was api safe.
func TestCoreExterns(t *testing.T) {
	ic, err := NewHost("ic", nil)
	if err != nil {
		t.Fatal(err)
	}
	custom, err := NewHost("", []string{"env#memory", "env"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, old, new       string
		host                 *Host
		api, restart, replay Verdict
		rules                []string // the findings, "RULE subject", in order
	}{
		// Exports removed or no longer matching the old type.
		{"memory export removed", "ext_base", "ext_mem_removed", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_REMOVED world#memory"}},
		{"table export removed", "ext_base", "ext_table_removed", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_REMOVED world#table"}},
		{"global export removed", "ext_base", "ext_global_removed", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_REMOVED world#g"}},
		{"global i32 to i64", "ext_base", "ext_global_i64", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#g"}},
		{"global made mutable", "ext_base", "ext_global_mut", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#g"}},
		{"global made immutable", "ext_global_mut", "ext_base", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#g"}},
		{"memory maximum dropped", "ext_base", "ext_mem_nomax", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#memory"}},
		{"memory maximum raised", "ext_base", "ext_mem_maxup", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#memory"}},
		{"memory minimum lowered", "ext_base", "ext_mem_shrunk", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#memory"}},
		{"memory made 64-bit", "ext_base", "ext_mem64", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#memory"}},
		{"table minimum lowered", "ext_base", "ext_table_shrunk", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#table"}},
		{"table element type", "ext_base", "ext_table_externref", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#table"}},
		{"memory limits widened back", "ext_mem_refined", "ext_base", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#memory", "CORE_EXPORT_TYPE_CHANGED world#table"}},
		// Near misses: still a match.
		{"memory and table limits narrowed", "ext_base", "ext_mem_refined", nil, Safe, Safe, Unproven, []string{"CORE_EXPORT_TYPE_REFINED world#memory", "CORE_EXPORT_TYPE_REFINED world#table"}},
		{"memory maximum added", "ext_mem_nomax", "ext_base", nil, Safe, Safe, Unproven, []string{"CORE_EXPORT_TYPE_REFINED world#memory"}},
		{"more exports", "ext_base", "ext_more_exports", nil, Safe, Safe, Unproven, nil},
		{"fewer exports of another build", "ext_more_exports", "ext_base", nil, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_REMOVED world#memory2", "CORE_EXPORT_REMOVED world#h"}},
		{"same", "ext_base", "ext_base", nil, Safe, Safe, Unproven, nil},
		// New imports: the host must supply them.
		{"memory newly imported", "ext_base", "ext_import_mem", nil, Unproven, Unproven, Unproven, []string{"CORE_IMPORT_ADDED env#memory"}},
		{"table newly imported", "ext_base", "ext_import_table", nil, Unproven, Unproven, Unproven, []string{"CORE_IMPORT_ADDED env#table"}},
		{"global newly imported", "ext_base", "ext_import_global", nil, Unproven, Unproven, Unproven, []string{"CORE_IMPORT_ADDED env#base"}},
		// The IC links nothing against a canister's memories, tables and
		// globals: a change is noted, and lowers nothing. Another host
		// (patterns of host_provides) is strict.
		{"memory minimum lowered on ic", "ext_base", "ext_mem_shrunk", ic, Safe, Safe, Unproven, []string{"CORE_EXPORT_UNLINKED world#memory"}},
		{"global export removed on ic", "ext_base", "ext_global_removed", ic, Safe, Safe, Unproven, []string{"CORE_EXPORT_UNLINKED world#g"}},
		{"global made mutable on ic", "ext_base", "ext_global_mut", ic, Safe, Safe, Unproven, []string{"CORE_EXPORT_UNLINKED world#g"}},
		{"memory minimum lowered, host_provides", "ext_base", "ext_mem_shrunk", custom, Unsafe, Unsafe, Unsafe, []string{"CORE_EXPORT_TYPE_CHANGED world#memory"}},
		{"memory newly imported on ic", "ext_base", "ext_import_mem", ic, Unproven, Unproven, Unproven, []string{"CORE_IMPORT_ADDED env#memory"}},
		{"global newly imported on ic", "ext_base", "ext_import_global", ic, Unsafe, Unsafe, Unsafe, []string{"CORE_IMPORT_NOT_PROVIDED env#base"}},
		// Host patterns name functions: no limits, so still unproven.
		{"memory newly imported, host_provides", "ext_base", "ext_import_mem", custom, Unproven, Unproven, Unproven, []string{"CORE_IMPORT_ADDED env#memory"}},
		{"import gone", "ext_import_mem", "ext_base", nil, Safe, Safe, Unproven, []string{"CORE_IMPORT_REMOVED env#memory"}},
		// Imports both have.
		{"imports relaxed", "ext_imp_old", "ext_imp_relaxed", nil, Safe, Safe, Unproven, []string{"CORE_IMPORT_TYPE_RELAXED env#memory", "CORE_IMPORT_TYPE_RELAXED env#table"}},
		{"imports tightened", "ext_imp_relaxed", "ext_imp_old", nil, Unproven, Unproven, Unproven, []string{"CORE_IMPORT_TYPE_TIGHTENED env#memory", "CORE_IMPORT_TYPE_TIGHTENED env#table"}},
		{"imports tightened more", "ext_imp_old", "ext_imp_tightened", nil, Unproven, Unproven, Unproven, []string{"CORE_IMPORT_TYPE_TIGHTENED env#memory", "CORE_IMPORT_TYPE_TIGHTENED env#table"}},
		{"import removed", "ext_imp_old", "ext_imp_removed", nil, Safe, Safe, Unproven, []string{"CORE_IMPORT_REMOVED env#memory"}},
		{"global import made mutable", "ext_imp_old", "ext_imp_mut", nil, Unsafe, Unproven, Unsafe, []string{"CORE_IMPORT_TYPE_CHANGED env#g"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := diffCore(t, tc.old, tc.new, tc.host)
			var got []string
			for _, f := range r.Findings {
				if strings.HasPrefix(f.Rule, "CORE_") {
					got = append(got, f.Rule+" "+f.Subject)
				}
			}
			if !slices.Equal(got, tc.rules) {
				t.Errorf("findings %q, want %q", got, tc.rules)
			}
			for _, f := range r.Findings {
				if !strings.HasPrefix(f.Rule, "CORE_") && !strings.HasPrefix(f.Rule, "CALLBACK_") {
					t.Errorf("unexpected finding %s %s: %s", f.Rule, f.Subject, f.Message)
				}
			}
			checkFalseSafe(t, r, tc.api, tc.restart, tc.replay, nil)
		})
	}
}

// TestCoreExternsUnrecorded: without the record on either side (a
// manifest written before it), no mode of two core modules is safe.
func TestCoreExternsUnrecorded(t *testing.T) {
	base := openCore(t, "ext_base")
	core := Artifact{Kind: "core"}
	for _, tc := range []struct {
		name     string
		old, new *externs.Set
		side     string
	}{
		{"old", nil, base.CoreExterns, "of the old build"},
		{"new", base.CoreExterns, nil, "of the new build"},
		{"both", nil, nil, "of the old and new build"},
	} {
		r := Diff(base.World, base.World, Options{Old: core, New: core, OldExterns: tc.old, NewExterns: tc.new})
		for _, m := range AllModes() {
			res := r.Modes[m]
			if res.Verdict == Safe {
				t.Errorf("%s: %s is safe", tc.name, m)
			}
			if res.Verdict == NotApplicable {
				continue
			}
			if !slices.ContainsFunc(res.Reasons, func(rs Reason) bool {
				return strings.Contains(rs.Message, "the manifest does not record memories, tables and globals") && strings.Contains(rs.Message, tc.side)
			}) {
				t.Errorf("%s: %s gives no reason naming the unrecorded record: %+v", tc.name, m, res.Reasons)
			}
		}
	}
	// Components have no record and need none.
	comp := Artifact{Kind: "component"}
	if r := Diff(base.World, base.World, Options{Old: comp, New: comp}); r.Modes[ModeAPI].Verdict != Safe {
		t.Errorf("components: api %s", r.Modes[ModeAPI].Verdict)
	}
}

// TestCoreExternMatch checks the matching rules on types the fixtures
// cannot express (the core decoder refuses shared memories).
func TestCoreExternMatch(t *testing.T) {
	u := func(v uint64) *uint64 { return &v }
	mem := func(min uint64, max *uint64) externs.Extern {
		return externs.Extern{Kind: "memory", Name: "m", Min: &min, Max: max}
	}
	shared := mem(1, u(2))
	shared.Shared = true
	global := externs.Extern{Kind: "global", Name: "g", Type: "i32"}
	mutable := global
	mutable.Mutable = true
	for _, tc := range []struct {
		name  string
		a, b  externs.Extern
		match bool
	}{
		{"same", mem(1, u(2)), mem(1, u(2)), true},
		{"higher min", mem(2, nil), mem(1, nil), true},
		{"lower min", mem(1, nil), mem(2, nil), false},
		{"max against none", mem(1, u(5)), mem(1, nil), true},
		{"none against max", mem(1, nil), mem(1, u(5)), false},
		{"lower max", mem(1, u(4)), mem(1, u(5)), true},
		{"higher max", mem(1, u(6)), mem(1, u(5)), false},
		{"shared against unshared", shared, mem(1, u(2)), false},
		{"unshared against shared", mem(1, u(2)), shared, false},
		{"immutable globals", global, global, true},
		{"mutable globals", mutable, mutable, true},
		{"mutable against immutable", mutable, global, false},
		{"kinds", global, mem(1, nil), false},
	} {
		if got := mismatch(tc.a, tc.b) == nil; got != tc.match {
			t.Errorf("%s: match %v, want %v (%v)", tc.name, got, tc.match, mismatch(tc.a, tc.b))
		}
	}
}
