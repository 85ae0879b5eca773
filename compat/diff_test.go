package compat

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/wit"
)

// Builders for worlds written in Go (the WIT-based tests are in
// witpairs_test.go).

func prim(k wit.Kind) *wit.Type { return wit.Prim(k) }

func list(t *wit.Type) *wit.Type { return &wit.Type{Kind: wit.List, Elem: t} }

func opt(t *wit.Type) *wit.Type { return &wit.Type{Kind: wit.Option, Elem: t} }

func record(owner, name string, fields ...wit.Field) *wit.Type {
	return &wit.Type{Kind: wit.Record, Name: name, Owner: owner, Fields: fields}
}

func field(name string, t *wit.Type) wit.Field { return wit.Field{Name: name, Type: t} }

func param(name string, t *wit.Type) wit.Param { return wit.Param{Name: name, Type: t} }

func fn(name string, result *wit.Type, params ...wit.Param) *wit.Function {
	return &wit.Function{Name: name, Params: params, Result: result}
}

func iface(name string, fns ...*wit.Function) *wit.Item {
	return &wit.Item{Name: name, Kind: wit.ItemInterface, Interface: &wit.Interface{Name: name, Functions: fns}}
}

func withTypes(it *wit.Item, types ...*wit.Type) *wit.Item {
	for _, t := range types {
		it.Interface.Types = append(it.Interface.Types, &wit.TypeDef{Name: t.Name, Type: t})
	}
	return it
}

type sides struct{ exports, imports []*wit.Item }

func world(s sides) *wit.World {
	return &wit.World{Name: "root", Exports: s.exports, Imports: s.imports}
}

func resultErr(t *wit.Type) *wit.Type { return &wit.Type{Kind: wit.Result, Err: t} }

const api = "golem:component/api"

// updateTest returns the update-test world of the given Golem fixture
// version, as documented in ../shared/corpus/README.md.
func updateTest(v int, golem string) *wit.World {
	u64 := prim(wit.U64)
	save := iface("golem:api/save-snapshot@"+golem, fn("save", list(prim(wit.U8))))
	load := iface("golem:api/load-snapshot@"+golem, fn("load", resultErr(prim(wit.String)), param("bytes", list(prim(wit.U8)))))
	f1 := fn("f1", u64, param("speed-ms", u64))
	switch v {
	case 1:
		return world(sides{exports: []*wit.Item{iface(api, f1, fn("f2", u64), fn("f3", u64))}})
	case 2:
		return world(sides{exports: []*wit.Item{iface(api, f1, fn("f2", u64), fn("f3", u64), fn("f4", u64)), save}})
	case 3:
		return world(sides{exports: []*wit.Item{save, load, iface(api, fn("get", u64), fn("set", u64, param("value", u64)))}})
	case 4:
		return world(sides{exports: []*wit.Item{load}})
	}
	panic(v)
}

// verdicts returns the report's verdict per mode.
func verdicts(r *Report) map[Mode]Verdict {
	m := map[Mode]Verdict{}
	for mode, res := range r.Modes {
		m[mode] = res.Verdict
	}
	return m
}

// ruleSubjects lists the findings as "RULE subject".
func ruleSubjects(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule+" "+f.Subject)
	}
	return out
}

func TestDiffUpdateTestWorlds(t *testing.T) {
	tests := []struct {
		name     string
		old, new *wit.World
		want     map[Mode]Verdict
		findings []string
	}{
		{
			name: "v1 to v2", old: updateTest(1, "0.2.0"), new: updateTest(2, "0.2.0"),
			want: map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe, ModeReplay: Unproven, ModeSnapshot: Unsafe, ModeInFlight: NotApplicable},
			findings: []string{
				"EXPORT_FUNCTION_ADDED golem:component/api#f4",
				"EXPORT_INTERFACE_ADDED golem:api/save-snapshot@0.2.0",
				"SNAPSHOT_SAVE_MISSING golem:api/save-snapshot",
				"SNAPSHOT_LOAD_MISSING golem:api/load-snapshot",
			},
		},
		{
			name: "v1 to v3", old: updateTest(1, "0.2.0"), new: updateTest(3, "0.2.0"),
			want: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe, ModeSnapshot: Unsafe, ModeInFlight: NotApplicable},
			findings: []string{
				"EXPORT_FUNCTION_REMOVED golem:component/api#f1",
				"EXPORT_FUNCTION_REMOVED golem:component/api#f2",
				"EXPORT_FUNCTION_REMOVED golem:component/api#f3",
				"EXPORT_FUNCTION_ADDED golem:component/api#get",
				"EXPORT_FUNCTION_ADDED golem:component/api#set",
				"EXPORT_INTERFACE_ADDED golem:api/save-snapshot@0.2.0",
				"EXPORT_INTERFACE_ADDED golem:api/load-snapshot@0.2.0",
				"SNAPSHOT_SAVE_MISSING golem:api/save-snapshot",
			},
		},
		{
			name: "v2 to v3", old: updateTest(2, "0.2.0"), new: updateTest(3, "0.2.0"),
			want: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe, ModeSnapshot: Unproven, ModeInFlight: NotApplicable},
		},
		{
			name: "v2 to v4 across golem versions", old: updateTest(2, "0.2.2"), new: updateTest(4, "1.1.7"),
			want: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe, ModeSnapshot: Unproven, ModeInFlight: NotApplicable},
		},
		{
			name: "same", old: updateTest(1, "0.2.0"), new: updateTest(1, "0.2.0"),
			want:     map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe, ModeReplay: Unproven, ModeSnapshot: NotApplicable, ModeInFlight: NotApplicable},
			findings: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Diff(tt.old, tt.new, Options{})
			if diff := cmp.Diff(tt.want, verdicts(r)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s\nfindings: %v", diff, ruleSubjects(r))
			}
			if got := ruleSubjects(r); tt.findings != nil && !slices.Equal(tt.findings, got) {
				t.Errorf("findings (-want +got):\n%s", cmp.Diff(tt.findings, got))
			}
			checkReport(t, r)
		})
	}
}

// checkReport checks the invariants every report keeps.
func checkReport(t *testing.T, r *Report) {
	t.Helper()
	if r.Schema != ReportSchema {
		t.Errorf("schema %q", r.Schema)
	}
	for _, m := range AllModes() {
		res := r.Modes[m]
		if res == nil {
			t.Fatalf("mode %s missing", m)
		}
		worst := NotApplicable
		if res.Verdict != NotApplicable {
			worst = Safe
		}
		for _, reason := range res.Reasons {
			worst = Worse(worst, reason.Verdict)
		}
		if worst != res.Verdict {
			t.Errorf("mode %s: verdict %s, worst reason %s", m, res.Verdict, worst)
		}
		if m == ModeReplay && res.Verdict == Safe {
			t.Errorf("replay is never safe statically")
		}
	}
	for _, f := range r.Findings {
		rule, ok := LookupRule(f.Rule)
		if !ok {
			t.Errorf("finding with unknown rule %q", f.Rule)
			continue
		}
		if f.Why != rule.Why || f.Subject == "" || f.Message == "" || len(f.Modes) == 0 {
			t.Errorf("incomplete finding %+v", f)
		}
	}
}

func TestDiffExportFunctionChanges(t *testing.T) {
	u32, u64 := prim(wit.U32), prim(wit.U64)
	order := func(fields ...wit.Field) *wit.Type { return record("shop:api/types", "order", fields...) }
	oldOrder := order(field("id", u64), field("qty", u32))
	types := func(o *wit.Type) *wit.Item {
		return withTypes(iface("shop:api/types"), o)
	}
	tests := []struct {
		name     string
		old, new *wit.Function
		// extra types interface for each side (nil: none)
		oldT, newT *wit.Type
		want       []string
		verdicts   map[Mode]Verdict
	}{
		{
			name: "int widened", old: fn("f", nil, param("n", u32)), new: fn("f", nil, param("n", u64)),
			want:     []string{"INTEGER_WIDENED shop:api/cart#f.param(n)"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Safe, ModeReplay: Unproven},
		},
		{
			name: "int narrowed", old: fn("f", nil, param("n", u64)), new: fn("f", nil, param("n", u32)),
			want:     []string{"PARAM_TYPE_CHANGED shop:api/cart#f.param(n)"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe},
		},
		{
			name: "param renamed", old: fn("f", nil, param("n", u32)), new: fn("f", nil, param("m", u32)),
			want:     []string{"PARAM_RENAMED shop:api/cart#f.param(n)"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Safe, ModeReplay: Unproven},
		},
		{
			name: "param added and removed", old: fn("f", nil, param("a", u32), param("b", u32)), new: fn("f", nil, param("a", u32)),
			want:     []string{"PARAM_REMOVED shop:api/cart#f.param(b)"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe},
		},
		{
			name: "result changed", old: fn("f", u64), new: fn("f", u32),
			want:     []string{"RESULT_TYPE_CHANGED shop:api/cart#f.result"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Safe, ModeReplay: Unsafe},
		},
		{
			name: "result removed", old: fn("f", u64), new: fn("f", nil),
			want:     []string{"RESULT_TYPE_CHANGED shop:api/cart#f.result"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Safe, ModeReplay: Unsafe},
		},
		{
			name: "record field added anchored at the type",
			old:  fn("place", nil, param("o", oldOrder)), oldT: oldOrder,
			new:      fn("place", nil, param("o", order(field("id", u64), field("qty", u32), field("note", opt(prim(wit.String)))))),
			newT:     order(field("id", u64), field("qty", u32), field("note", opt(prim(wit.String)))),
			want:     []string{"RECORD_FIELD_ADDED shop:api/types#order.field(note)"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Safe, ModeReplay: Unproven},
		},
		{
			name: "record field removed inside a list",
			old:  fn("place", nil, param("os", list(oldOrder))), oldT: oldOrder,
			new: fn("place", nil, param("os", list(order(field("id", u64))))), newT: order(field("id", u64)),
			want:     []string{"PARAM_TYPE_CHANGED shop:api/types#order.field(qty)"},
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe},
		},
		{
			name: "async changed", old: fn("f", nil), new: &wit.Function{Name: "f", Async: true},
			want: []string{"FUNCTION_ASYNC_CHANGED shop:api/cart#f"},
			// Rerunning recorded invocations of a function that turned
			// async is not checked: restart is not safe.
			verdicts: map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unproven},
		},
		{
			name: "docs only", old: &wit.Function{Name: "f", Docs: "Adds one."}, new: &wit.Function{Name: "f", Docs: "Adds two."},
			want:     []string{"DOCS_CHANGED shop:api/cart#f"},
			verdicts: map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe, ModeReplay: Unproven},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ow := sides{exports: []*wit.Item{iface("shop:api/cart", tt.old)}}
			nw := sides{exports: []*wit.Item{iface("shop:api/cart", tt.new)}}
			if tt.oldT != nil {
				ow.exports = append(ow.exports, types(tt.oldT))
			}
			if tt.newT != nil {
				nw.exports = append(nw.exports, types(tt.newT))
			}
			r := Diff(world(ow), world(nw), Options{})
			if diff := cmp.Diff(tt.want, ruleSubjects(r)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			got := verdicts(r)
			for m, v := range tt.verdicts {
				if got[m] != v {
					t.Errorf("%s: got %s, want %s", m, got[m], v)
				}
			}
			checkReport(t, r)
		})
	}
}

func TestDiffImports(t *testing.T) {
	u32, u64 := prim(wit.U32), prim(wit.U64)
	host := func(name string, fns ...*wit.Function) []*wit.Item { return []*wit.Item{iface(name, fns...)} }
	tests := []struct {
		name     string
		old, new []*wit.Item
		want     []string
		verdicts map[Mode]Verdict
		platform string // the declared host, "" for none
	}{
		{"added", nil, host("wasi:random/random@0.2.0", fn("get", u64)),
			[]string{"IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unproven}, ""},
		{"added, provided", nil, host("wasi:random/random@0.2.0", fn("get", u64)),
			[]string{"IMPORT_PROVIDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe, ModeReplay: Unproven}, "golem"},
		{"added, not provided", nil, host("acme:billing/ledger@1.0.0", fn("get", u64)),
			[]string{"IMPORT_NOT_PROVIDED acme:billing/ledger@1.0.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe}, "golem"},
		{"added, newer than the host's", nil, host("wasi:random/random@0.2.4", fn("get", u64)),
			[]string{"IMPORT_NOT_PROVIDED wasi:random/random@0.2.4"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe}, "golem"},
		{"ic0 module added, every function provided", nil, host("ic0", fn("call_new", nil), fn("time", u64)),
			[]string{"IMPORT_PROVIDED ic0"},
			map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe}, "ic"},
		{"ic0 function added, provided", host("ic0", fn("time", u64)), host("ic0", fn("time", u64), fn("call_new", nil)),
			[]string{"IMPORT_PROVIDED ic0#call_new"},
			map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe}, "ic"},
		{"ic0 function added, not in the System API", host("ic0", fn("time", u64)), host("ic0", fn("time", u64), fn("teleport", nil)),
			[]string{"IMPORT_NOT_PROVIDED ic0#teleport"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe}, "ic"},
		{"version lowered", host("wasi:random/random@0.2.3", fn("get", u64)), host("wasi:random/random@0.2.0", fn("get", u64)),
			[]string{"IMPORT_VERSION_LOWERED wasi:random/random@0.2.3"},
			map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe}, ""},
		{"version raised, provided", host("wasi:random/random@0.2.0", fn("get", u64)), host("wasi:random/random@0.2.3", fn("get", u64)),
			[]string{"IMPORT_PROVIDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Safe}, "golem"},
		{"removed", host("wasi:random/random@0.2.0", fn("get", u64)), nil,
			[]string{"IMPORT_REMOVED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Safe}, ""},
		{"version changed", host("wasi:random/random@0.2.0", fn("get", u64)), host("wasi:random/random@0.2.3", fn("get", u64)),
			[]string{"IMPORT_VERSION_CHANGED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unproven, ModeRestart: Unproven}, ""},
		{"version incompatible", host("wasi:random/random@0.2.0", fn("get", u64)), host("wasi:random/random@0.3.0", fn("get", u64)),
			[]string{"IMPORT_VERSION_INCOMPATIBLE wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven}, ""},
		{"function added", host("h:x/y", fn("a", nil)), host("h:x/y", fn("a", nil), fn("b", nil)),
			[]string{"IMPORT_FUNCTION_ADDED h:x/y#b"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven}, ""},
		{"param type", host("h:x/y", fn("a", nil, param("n", u32))), host("h:x/y", fn("a", nil, param("n", u64))),
			[]string{"IMPORT_TYPE_CHANGED h:x/y#a.param(n)"},
			// The host provides the old type: the new build may not link.
			map[Mode]Verdict{ModeAPI: Unsafe, ModeReplay: Unsafe, ModeRestart: Unproven}, ""},
		{"param renamed", host("h:x/y", fn("a", nil, param("n", u32))), host("h:x/y", fn("a", nil, param("m", u32))),
			[]string{"IMPORT_PARAM_RENAMED h:x/y#a.param(n)"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unproven}, ""},
		{"result widened", host("h:x/y", fn("a", u32)), host("h:x/y", fn("a", u64)),
			[]string{"IMPORT_RESULT_CONVERTED h:x/y#a.result"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unproven}, ""},
		{"result narrowed", host("h:x/y", fn("a", u64)), host("h:x/y", fn("a", u32)),
			[]string{"IMPORT_TYPE_CHANGED h:x/y#a.result"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unsafe}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewHost(tt.platform, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := Diff(world(sides{imports: tt.old}), world(sides{imports: tt.new}), Options{Host: h})
			if diff := cmp.Diff(tt.want, ruleSubjects(r)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			got := verdicts(r)
			for m, v := range tt.verdicts {
				if got[m] != v {
					t.Errorf("%s: got %s, want %s", m, got[m], v)
				}
			}
			checkReport(t, r)
		})
	}
}

func TestDiffExportVersions(t *testing.T) {
	f := func() *wit.Function { return fn("f", nil) }
	tests := []struct {
		old, new string
		want     []string
		api      Verdict
	}{
		{"shop:api/cart@1.0.0", "shop:api/cart@1.1.0", []string{"EXPORT_VERSION_CHANGED shop:api/cart@1.0.0"}, Safe},
		{"shop:api/cart@0.2.0", "shop:api/cart@0.2.1", []string{"EXPORT_VERSION_CHANGED shop:api/cart@0.2.0"}, Safe},
		{"shop:api/cart@0.2.0", "shop:api/cart@0.3.0", []string{"EXPORT_VERSION_INCOMPATIBLE shop:api/cart@0.2.0"}, Unsafe},
		{"shop:api/cart@1.1.0", "shop:api/cart@1.0.0", []string{"EXPORT_VERSION_INCOMPATIBLE shop:api/cart@1.1.0"}, Unsafe},
		{"shop:api/cart@1.0.0", "shop:api/cart@1.0.0", nil, Safe},
	}
	for _, tt := range tests {
		t.Run(tt.old+" to "+tt.new, func(t *testing.T) {
			r := Diff(world(sides{exports: []*wit.Item{iface(tt.old, f())}}), world(sides{exports: []*wit.Item{iface(tt.new, f())}}), Options{})
			if diff := cmp.Diff(tt.want, ruleSubjects(r)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if r.Modes[ModeAPI].Verdict != tt.api {
				t.Errorf("api %s, want %s", r.Modes[ModeAPI].Verdict, tt.api)
			}
		})
	}
	// Both versions exported on the new side: the exact one is matched.
	old := world(sides{exports: []*wit.Item{iface("shop:api/cart@1.0.0", f())}})
	nw := world(sides{exports: []*wit.Item{iface("shop:api/cart@2.0.0", f()), iface("shop:api/cart@1.0.0", f())}})
	r := Diff(old, nw, Options{})
	if diff := cmp.Diff([]string{"EXPORT_INTERFACE_ADDED shop:api/cart@2.0.0"}, ruleSubjects(r)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestDiffSnapshot(t *testing.T) {
	bytes := list(prim(wit.U8))
	snap := record("golem:api/save-snapshot@1.5.0", "snapshot", field("payload", bytes), field("mime-type", prim(wit.String)))
	save := func(v string, f *wit.Function) *wit.Item { return iface("golem:api/save-snapshot@"+v, f) }
	load := func(v string, f *wit.Function) *wit.Item { return iface("golem:api/load-snapshot@"+v, f) }
	saveBytes := fn("save", bytes)
	loadBytes := fn("load", resultErr(prim(wit.String)), param("bytes", bytes))
	tests := []struct {
		name     string
		old, new []*wit.Item
		want     Verdict
		rules    []string
	}{
		{"none", nil, nil, NotApplicable, nil},
		{"both 1.1.0", []*wit.Item{save("1.1.0", saveBytes)}, []*wit.Item{load("1.1.0", loadBytes)}, Unproven, nil},
		{"1.1.0-rc1 and 1.3.0", []*wit.Item{save("1.1.0-rc1", saveBytes)}, []*wit.Item{load("1.3.0", loadBytes)}, Unproven, nil},
		{"both 1.5.0 async", []*wit.Item{save("1.5.0", &wit.Function{Name: "save", Result: snap, Async: true})},
			[]*wit.Item{load("1.5.0", fn("load", resultErr(prim(wit.String)), param("snapshot", snap)))}, Unproven, nil},
		{"both 1.5.0 async by name", []*wit.Item{save("1.5.0", &wit.Function{Name: "[async]save", Result: snap, Async: true})},
			[]*wit.Item{load("1.5.0", &wit.Function{Name: "[async]load", Result: resultErr(prim(wit.String)), Params: []wit.Param{param("snapshot", snap)}, Async: true})}, Unproven, nil},
		{"bytes to record", []*wit.Item{save("1.2.0", saveBytes)},
			[]*wit.Item{load("1.5.0", fn("load", resultErr(prim(wit.String)), param("snapshot", snap)))}, Unproven,
			[]string{RuleSnapshotFormatChanged}},
		{"load missing", []*wit.Item{save("1.1.0", saveBytes)}, nil, Unsafe, []string{RuleSnapshotLoadMissing}},
		{"save missing", nil, []*wit.Item{load("0.2.0", loadBytes)}, Unsafe, []string{RuleSnapshotSaveMissing}},
		{"only old load", []*wit.Item{load("0.2.0", loadBytes)}, nil, Unsafe, []string{RuleSnapshotSaveMissing, RuleSnapshotLoadMissing}},
		{"wrong load result", []*wit.Item{save("0.2.0", saveBytes)},
			[]*wit.Item{load("0.2.0", fn("load", prim(wit.Bool), param("bytes", bytes)))}, Unsafe, []string{RuleSnapshotSignatureMismatch}},
		{"async at 1.1.0", []*wit.Item{save("1.1.0", &wit.Function{Name: "save", Result: bytes, Async: true})},
			[]*wit.Item{load("1.1.0", loadBytes)}, Unsafe, []string{RuleSnapshotSignatureMismatch}},
		{"record at 1.1.0", []*wit.Item{save("1.1.0", fn("save", snap))},
			[]*wit.Item{load("1.1.0", loadBytes)}, Unsafe, []string{RuleSnapshotSignatureMismatch}},
		{"unknown version", []*wit.Item{save("1.4.0", saveBytes)}, []*wit.Item{load("1.1.0", loadBytes)}, Unproven, []string{RuleSnapshotVersionUnknown}},
		{"unknown version wrong shape", []*wit.Item{save("9.0.0", fn("save", prim(wit.String)))}, []*wit.Item{load("1.1.0", loadBytes)}, Unsafe,
			[]string{RuleSnapshotSignatureMismatch}},
		{"not golem", []*wit.Item{iface("acme:x/save-snapshot", saveBytes)}, []*wit.Item{load("1.1.0", loadBytes)}, Unsafe,
			[]string{RuleSnapshotSaveMissing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Diff(world(sides{exports: tt.old}), world(sides{exports: tt.new}), Options{})
			if got := r.Modes[ModeSnapshot].Verdict; got != tt.want {
				t.Errorf("snapshot %s, want %s: %+v", got, tt.want, r.Modes[ModeSnapshot].Reasons)
			}
			var got []string
			for _, f := range r.Findings {
				if strings.HasPrefix(f.Rule, "SNAPSHOT_") {
					got = append(got, f.Rule)
				}
			}
			if diff := cmp.Diff(tt.rules, got); diff != "" {
				t.Errorf("snapshot findings (-want +got):\n%s", diff)
			}
			for _, f := range r.Findings {
				if strings.HasSuffix(f.Rule, "_MISSING") && !strings.Contains(f.Message, "func(") {
					t.Errorf("missing finding does not show the expected WIT: %s", f.Message)
				}
			}
			checkReport(t, r)
		})
	}
}

func TestDiffInFlight(t *testing.T) {
	w := updateTest(1, "0.2.0")
	r := Diff(w, w, Options{Old: Artifact{Kind: "core"}, New: Artifact{Kind: "core"}, OldExterns: &externs.Set{}, NewExterns: &externs.Set{}})
	res := r.Modes[ModeInFlight]
	if res.Verdict != Unproven || len(res.Reasons) != 1 || !strings.Contains(res.Reasons[0].Message, "callback analysis not run") {
		t.Errorf("core in-flight: %+v", res)
	}
	r = Diff(w, w, Options{Old: Artifact{Kind: "component"}, New: Artifact{Kind: "component"}})
	if v := r.Modes[ModeInFlight].Verdict; v != NotApplicable {
		t.Errorf("component in-flight %s", v)
	}
}

func TestDiffReportsEveryDifference(t *testing.T) {
	u32, u64 := prim(wit.U32), prim(wit.U64)
	old := world(sides{exports: []*wit.Item{iface(api, fn("a", nil, param("x", u32), param("y", u64)), fn("b", u64), fn("c", nil))}})
	nw := world(sides{exports: []*wit.Item{iface(api, fn("a", nil, param("x2", u64), param("y", u32)), fn("b", u32))}})
	r := Diff(old, nw, Options{})
	want := []string{
		"PARAM_RENAMED golem:component/api#a.param(x)",
		"INTEGER_WIDENED golem:component/api#a.param(x)",
		"PARAM_TYPE_CHANGED golem:component/api#a.param(y)",
		"RESULT_TYPE_CHANGED golem:component/api#b.result",
		"EXPORT_FUNCTION_REMOVED golem:component/api#c",
	}
	if diff := cmp.Diff(want, ruleSubjects(r)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range r.Findings {
		if f.Old == "" || (f.Rule != RuleExportFunctionRemoved && f.New == "") {
			t.Errorf("%s %s: declarations missing: old %q new %q", f.Rule, f.Subject, f.Old, f.New)
		}
	}
}

func TestDiffSharedTypeReportedOnce(t *testing.T) {
	u64 := prim(wit.U64)
	o := record("shop:api/types", "order", field("id", u64))
	n := record("shop:api/types", "order", field("id", u64), field("note", opt(prim(wit.String))))
	old := world(sides{exports: []*wit.Item{iface("shop:api/cart", fn("a", nil, param("o", o)), fn("b", nil, param("o", list(o)))), withTypes(iface("shop:api/types"), o)}})
	nw := world(sides{exports: []*wit.Item{iface("shop:api/cart", fn("a", nil, param("o", n)), fn("b", nil, param("o", list(n)))), withTypes(iface("shop:api/types"), n)}})
	r := Diff(old, nw, Options{})
	want := []string{"RECORD_FIELD_ADDED shop:api/types#order.field(note)"}
	if diff := cmp.Diff(want, ruleSubjects(r)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if f := r.Findings[0]; !strings.Contains(f.Old, "record order") || !strings.Contains(f.New, "note: option<string>") {
		t.Errorf("declarations: %q / %q", f.Old, f.New)
	}
}

func TestDiffUnusedExportedType(t *testing.T) {
	old := world(sides{exports: []*wit.Item{withTypes(iface("t:p/types"), record("t:p/types", "unused", field("a", prim(wit.U8))), record("t:p/types", "gone"))}})
	nw := world(sides{exports: []*wit.Item{withTypes(iface("t:p/types"), record("t:p/types", "unused", field("a", prim(wit.U16))))}})
	r := Diff(old, nw, Options{})
	want := []string{"EXPORT_TYPE_CHANGED t:p/types#unused.field(a)", "EXPORT_TYPE_REMOVED t:p/types#gone"}
	if diff := cmp.Diff(want, ruleSubjects(r)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if v := r.Modes[ModeAPI].Verdict; v != Unsafe {
		t.Errorf("api %s", v)
	}
	if v := r.Modes[ModeRestart].Verdict; v != Safe {
		t.Errorf("restart %s", v)
	}
}

func TestDiffPolicy(t *testing.T) {
	u32, u64 := prim(wit.U32), prim(wit.U64)
	old := world(sides{exports: []*wit.Item{iface(api, fn("a", nil, param("x", u32)), fn("b", u64))}})
	nw := world(sides{exports: []*wit.Item{iface(api, fn("a", nil, param("y", u32)), fn("b", u32))}, imports: []*wit.Item{iface("wasi:random/random@0.2.0")}})
	tests := []struct {
		name   string
		policy Policy
		want   []string
		modes  map[Mode]Verdict
	}{
		{"none", Policy{}, []string{
			"PARAM_RENAMED golem:component/api#a.param(x)", "RESULT_TYPE_CHANGED golem:component/api#b.result", "IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unsafe}},
		{"except", Policy{Except: []string{RuleResultTypeChanged}}, []string{
			"PARAM_RENAMED golem:component/api#a.param(x)", "IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeReplay: Unproven}},
		{"ignore subject", Policy{Ignore: []string{"golem:component/api#b"}}, []string{
			"PARAM_RENAMED golem:component/api#a.param(x)", "IMPORT_ADDED wasi:random/random@0.2.0"},
			nil},
		{"ignore versionless", Policy{Ignore: []string{"wasi:random"}}, []string{
			"PARAM_RENAMED golem:component/api#a.param(x)", "RESULT_TYPE_CHANGED golem:component/api#b.result"},
			nil},
		{"ignore only", Policy{IgnoreOnly: map[string][]string{RuleParamRenamed: {"golem:component/api"}}}, []string{
			"RESULT_TYPE_CHANGED golem:component/api#b.result", "IMPORT_ADDED wasi:random/random@0.2.0"},
			nil},
		{"severity error", Policy{Severity: map[string]Severity{RuleParamRenamed: SeverityError, RuleImportAdded: SeverityError}, Except: []string{RuleResultTypeChanged}}, []string{
			"PARAM_RENAMED golem:component/api#a.param(x)", "IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe}},
		{"severity warning", Policy{Severity: map[string]Severity{RuleResultTypeChanged: SeverityWarning}, Except: []string{RuleParamRenamed}}, []string{
			"RESULT_TYPE_CHANGED golem:component/api#b.result", "IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unproven}},
		{"severity warning, import too", Policy{Severity: map[string]Severity{RuleResultTypeChanged: SeverityWarning, RuleImportAdded: SeverityWarning}, Except: []string{RuleParamRenamed}}, []string{
			"RESULT_TYPE_CHANGED golem:component/api#b.result", "IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unproven, ModeRestart: Unproven, ModeReplay: Unproven}},
		{"severity info", Policy{Severity: map[string]Severity{RuleResultTypeChanged: SeverityInfo, RuleParamRenamed: SeverityInfo}}, []string{
			"PARAM_RENAMED golem:component/api#a.param(x)", "RESULT_TYPE_CHANGED golem:component/api#b.result", "IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Unsafe, ModeRestart: Unproven, ModeReplay: Unproven}},
		{"severity info, import too", Policy{Severity: map[string]Severity{RuleResultTypeChanged: SeverityInfo, RuleParamRenamed: SeverityInfo, RuleImportAdded: SeverityInfo}}, []string{
			"PARAM_RENAMED golem:component/api#a.param(x)", "RESULT_TYPE_CHANGED golem:component/api#b.result", "IMPORT_ADDED wasi:random/random@0.2.0"},
			map[Mode]Verdict{ModeAPI: Safe, ModeRestart: Safe, ModeReplay: Unproven}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.policy.Validate(nil); err != nil {
				t.Fatal(err)
			}
			r := Diff(old, nw, Options{Policy: tt.policy})
			if diff := cmp.Diff(tt.want, ruleSubjects(r)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			got := verdicts(r)
			for m, v := range tt.modes {
				if got[m] != v {
					t.Errorf("%s: got %s, want %s", m, got[m], v)
				}
			}
			for _, f := range r.Findings {
				if s, ok := tt.policy.Severity[f.Rule]; ok && f.Severity != s {
					t.Errorf("%s severity %s, want %s", f.Rule, f.Severity, s)
				}
			}
			checkReport(t, r)
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	p := Policy{
		Except:     []string{"NO_SUCH_RULE"},
		Ignore:     []string{""},
		IgnoreOnly: map[string][]string{"OTHER": {"x"}},
		Severity:   map[string]Severity{RuleDocsChanged: "fatal"},
	}
	err := p.Validate(nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`except: unknown rule "NO_SUCH_RULE"`, "ignore: empty subject", `ignore_only: unknown rule "OTHER"`, `unknown severity "fatal"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestSubjectMatches(t *testing.T) {
	tests := []struct {
		pattern, subject string
		want             bool
	}{
		{"golem:component/api", "golem:component/api#f1.param(speed-ms)", true},
		{"golem:component/api#f1", "golem:component/api#f1.param(speed-ms)", true},
		{"golem:component/api#f", "golem:component/api#f1", false},
		{"golem:component/ap", "golem:component/api", false},
		{"wasi:io/streams", "wasi:io/streams@0.2.0#read", true},
		{"wasi:io/streams@0.2.0", "wasi:io/streams@0.2.0#read", true},
		{"wasi:io/streams@0.2.1", "wasi:io/streams@0.2.0#read", false},
		{"wasi", "wasi:io/streams@0.2.0", true},
		{"golem:component/api#f1.param(speed-ms)", "golem:component/api#f1.param(speed-ms)", true},
		{"", "x", false},
	}
	for _, tt := range tests {
		if got := SubjectMatches(tt.pattern, tt.subject); got != tt.want {
			t.Errorf("SubjectMatches(%q, %q) = %v", tt.pattern, tt.subject, got)
		}
	}
}
