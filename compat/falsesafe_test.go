package compat

import (
	"slices"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/wit"
)

// falseSafeCase is a pair of worlds (bodies in one package, as in
// subtypingCase) that once got a "safe" verdict in a mode whose recorded
// invocations the change breaks or that wfcompat cannot check, with the
// verdicts every mode must get now and rules that must be among the
// findings. The verdicts were decided from the Component Model and the way
// recorded invocations are rerun (arguments by position, values converted
// by wit/value), not read off wfcompat's output.
type falseSafeCase struct {
	name, old, new, extra string
	host                  *Host // nil: none declared
	api, restart, replay  Verdict
	rules                 []string
}

// ioVersions are two versions of an interface with a resource that host
// matching does not link as one (0.2.x and 0.3.x).
const ioVersions = "package wasi:io@0.2.0 { interface streams { resource output-stream; } }\n" +
	"package wasi:io@0.2.3 { interface streams { resource output-stream; } }\n" +
	"package wasi:io@0.3.0 { interface streams { resource output-stream; } }\n"

// everyIO is a host that provides every version of wasi:io.
var everyIO = &Host{Name: "host_provides", Provides: []string{"wasi:io/*"}}

var falseSafeCases = []falseSafeCase{
	// Arguments are passed and recorded by position: a parameter whose
	// name moved to another position receives another parameter's values.
	{name: "params swapped", api: Unsafe, restart: Unsafe, replay: Unsafe, rules: []string{RuleParamMoved},
		old: `export api: interface { transfer: func(src: string, dst: string); }`,
		new: `export api: interface { transfer: func(dst: string, src: string); }`},
	{name: "params rotated", api: Unsafe, restart: Unsafe, replay: Unsafe, rules: []string{RuleParamMoved},
		old: `export api: interface { f: func(a: u8, b: u8, c: u8); }`,
		new: `export api: interface { f: func(c: u8, a: u8, b: u8); }`},
	{name: "param inserted in front", api: Unsafe, restart: Unsafe, replay: Unsafe, rules: []string{RuleParamMoved, RuleParamAdded},
		old: `export api: interface { f: func(a: u32); }`,
		new: `export api: interface { f: func(b: u32, a: u32); }`},
	{name: "world function params swapped", api: Unsafe, restart: Unsafe, replay: Unsafe, rules: []string{RuleParamMoved},
		old: `export run: func(a: string, b: string);`,
		new: `export run: func(b: string, a: string);`},
	{name: "resource method params swapped", api: Unsafe, restart: Unsafe, replay: Unsafe, rules: []string{RuleParamMoved},
		old: `export api: interface { resource r { m: func(a: u32, b: u32); } }`,
		new: `export api: interface { resource r { m: func(b: u32, a: u32); } }`},
	{name: "import params swapped", api: Unsafe, restart: Unproven, replay: Unsafe, rules: []string{RuleImportTypeChanged},
		old: `import host: interface { g: func(a: u32, b: u32); } export run: func();`,
		new: `import host: interface { g: func(b: u32, a: u32); } export run: func();`},
	// A rename in place is still only a rename.
	{name: "param renamed in place", api: Unsafe, restart: Safe, replay: Unproven, rules: []string{RuleParamRenamed},
		old: `export api: interface { f: func(a: u32, b: u32); }`,
		new: `export api: interface { f: func(a: u32, c: u32); }`},

	// Async functions: rerunning them is not checked.
	{name: "export turned async", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleFunctionAsyncChanged},
		old: `export api: interface { f: func(x: u32) -> u32; }`,
		new: `export api: interface { f: async func(x: u32) -> u32; }`},
	{name: "export turned sync", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleFunctionAsyncChanged},
		old: `export api: interface { f: async func(x: u32) -> u32; }`,
		new: `export api: interface { f: func(x: u32) -> u32; }`},
	{name: "world function turned async", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleFunctionAsyncChanged},
		old: `export run: func();`,
		new: `export run: async func();`},

	// Future and stream payloads are written after the call, in the old
	// type, and nothing converts them.
	{name: "future payload widened", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleParamConversionUnproven},
		old: `export api: interface { f: func(x: future<u32>); }`,
		new: `export api: interface { f: func(x: future<u64>); }`},
	{name: "stream payload option-wrapped", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleParamConversionUnproven},
		old: `export api: interface { f: func(x: stream<u32>); }`,
		new: `export api: interface { f: func(x: stream<option<u32>>); }`},
	{name: "future payload record field added", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleParamConversionUnproven},
		old: `export api: interface { record r { a: u8 } f: func(x: list<future<r>>); }`,
		new: `export api: interface { record r { a: u8, b: option<u8> } f: func(x: list<future<r>>); }`},
	{name: "stream payload narrowed", api: Unsafe, restart: Unsafe, replay: Unsafe, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { f: func(x: stream<u16>); }`,
		new: `export api: interface { f: func(x: stream<u8>); }`},
	// Resources are nominal, and interface versions that host matching
	// does not link as one (0.2.x, 0.3.x) are different interfaces: a
	// handle to the 0.3 resource is another type than one to the 0.2
	// resource, even when the host provides both versions.
	{name: "handle to a resource of an incompatible version", host: everyIO,
		api: Unsafe, restart: Unsafe, replay: Unsafe, rules: []string{RuleParamTypeChanged, RuleImportProvided},
		old:   `import wasi:io/streams@0.2.0; export api: interface { use wasi:io/streams@0.2.0.{output-stream}; f: func(s: borrow<output-stream>); }`,
		new:   `import wasi:io/streams@0.3.0; export api: interface { use wasi:io/streams@0.3.0.{output-stream}; f: func(s: borrow<output-stream>); }`,
		extra: ioVersions},
	{name: "handle to a resource of a compatible version", host: everyIO,
		api: Safe, restart: Safe, replay: Unproven, rules: []string{RuleImportProvided},
		old:   `import wasi:io/streams@0.2.0; export api: interface { use wasi:io/streams@0.2.0.{output-stream}; f: func(s: borrow<output-stream>); }`,
		new:   `import wasi:io/streams@0.2.3; export api: interface { use wasi:io/streams@0.2.3.{output-stream}; f: func(s: borrow<output-stream>); }`,
		extra: ioVersions},
	// An interface's own resources follow it to its new version: its
	// methods are not changed types beside the version finding.
	{name: "exported interface with a resource at a new major version",
		api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleExportVersionIncompatible},
		old:   `export d:x/i@1.0.0;`,
		new:   `export d:x/i@2.0.0;`,
		extra: "package d:x@1.0.0 { interface i { resource r { constructor(); m: func(); } } }\npackage d:x@2.0.0 { interface i { resource r { constructor(); m: func(); } } }\n"},
	{name: "imported interface with a resource at a new major version",
		api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleImportVersionIncompatible},
		old:   `import d:x/i@1.0.0; export run: func();`,
		new:   `import d:x/i@2.0.0; export run: func();`,
		extra: "package d:x@1.0.0 { interface i { resource r { constructor(); m: func(); } } }\npackage d:x@2.0.0 { interface i { resource r { constructor(); m: func(); } } }\n"},
	// A resource an imported interface gains at its new version is still
	// asked of the host.
	{name: "imported interface gains a resource at a new minor version",
		api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleImportVersionChanged, RuleImportAdded},
		old:   `import d:x/i@1.0.0; export run: func();`,
		new:   `import d:x/i@1.1.0; export run: func();`,
		extra: "package d:x@1.0.0 { interface i { f: func(); } }\npackage d:x@1.1.0 { interface i { resource r; f: func(); } }\n"},
	// An info finding covers no type change: a world function's
	// TYPE_ALIASED at world#f.param(a) once hid the change of an inline
	// interface's type f (subject world#f).
	{name: "type change beside an info finding at its subject",
		api: Unsafe, restart: Safe, replay: Unproven, rules: []string{RuleTypeAliased, RuleExportTypeChanged},
		old:   `use dep.{n}; export f: func(a: n); export api: interface { record f { x: u8 } g: func(); }`,
		new:   `use dep.{n}; export f: func(a: u32); export api: interface { record f { x: u16 } g: func(); }`,
		extra: "interface dep { type n = u32; }\n"},
	// An import whose type changed is one the host that ran the old build
	// does not provide as the new build asks for it: no mode that runs the
	// new build is safe (the rules said so; the effects left restart safe).
	{name: "import param renamed", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleImportParamRenamed},
		old: `import host: interface { fetch: func(url: string) -> u32; } export run: func();`,
		new: `import host: interface { fetch: func(uri: string) -> u32; } export run: func();`},
	{name: "import result widened", api: Unsafe, restart: Unproven, replay: Unproven, rules: []string{RuleImportResultConverted},
		old: `import host: interface { now: func() -> u32; } export run: func();`,
		new: `import host: interface { now: func() -> u64; } export run: func();`},
	{name: "import param added", api: Unsafe, restart: Unproven, replay: Unsafe, rules: []string{RuleImportTypeChanged},
		old: `import host: interface { fetch: func(url: string) -> u32; } export run: func();`,
		new: `import host: interface { fetch: func(url: string, timeout: u32) -> u32; } export run: func();`},
	// The same conversion outside a stream is one the host applies.
	{name: "list element widened", api: Unsafe, restart: Safe, replay: Unproven, rules: []string{RuleIntegerWidened},
		old: `export api: interface { f: func(x: list<u32>); }`,
		new: `export api: interface { f: func(x: list<u64>); }`},
}

func TestFalseSafe(t *testing.T) { runVerdictCases(t, falseSafeCases) }

// runVerdictCases diffs each case's pair and checks its verdicts and
// rules (TestFalseSafe, TestOverStrict).
func runVerdictCases(t *testing.T, cases []falseSafeCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, r := subtypingWorldsHost(t, t.TempDir(), subtypingCase{name: tc.name, old: tc.old, new: tc.new, extra: tc.extra}, tc.host)
			checkFalseSafe(t, r, tc.api, tc.restart, tc.replay, tc.rules)
		})
	}
}

func checkFalseSafe(t *testing.T, r *Report, api, restart, replay Verdict, rules []string) {
	t.Helper()
	got := verdicts(r)
	for _, w := range []struct {
		m Mode
		v Verdict
	}{{ModeAPI, api}, {ModeRestart, restart}, {ModeReplay, replay}} {
		if got[w.m] != w.v {
			t.Errorf("%s: got %s, want %s (findings %v)", w.m, got[w.m], w.v, ruleSubjects(r))
		}
	}
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule)
	}
	for _, id := range rules {
		if !slices.Contains(ids, id) {
			t.Errorf("no %s finding among %v", id, ruleSubjects(r))
		}
	}
	checkReport(t, r)
}

// TestFalseSafeCore: a core module's i32 and i64 (s32 and s64 in the
// world) have no signedness, so an i32 widened to i64 converts old values
// only under an assumption wfcompat cannot check; f32 to f64 is exact.
func TestFalseSafeCore(t *testing.T) {
	core := Artifact{Kind: "core"}
	comp := Artifact{Kind: "component"}
	tests := []struct {
		name                 string
		old, new             wit.Kind
		kind                 Artifact
		api, restart, replay Verdict
		rule                 string
	}{
		{"core i32 to i64", wit.S32, wit.S64, core, Unsafe, Unproven, Unproven, RuleParamConversionUnproven},
		{"core f32 to f64", wit.F32, wit.F64, core, Unsafe, Safe, Unproven, RuleFloatWidened},
		{"component s32 to s64", wit.S32, wit.S64, comp, Unsafe, Safe, Unproven, RuleIntegerWidened},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			side := func(k wit.Kind) *wit.World {
				return world(sides{exports: []*wit.Item{{Name: "f", Kind: wit.ItemFunction, Function: fn("f", nil, param("p0", prim(k)))}}})
			}
			r := Diff(side(tt.old), side(tt.new), Options{Old: tt.kind, New: tt.kind, OldExterns: &externs.Set{}, NewExterns: &externs.Set{}})
			checkFalseSafe(t, r, tt.api, tt.restart, tt.replay, []string{tt.rule})
		})
	}
}

// TestSameVersionAs: the copy has the old name and its own resources at
// the old owner, shares what holds none of them, and leaves n unchanged.
func TestSameVersionAs(t *testing.T) {
	res := &wit.Type{Kind: wit.Resource, Name: "r", Owner: "d:x/i@2.0.0"}
	other := &wit.Type{Kind: wit.Resource, Name: "s", Owner: "wasi:io/streams@0.3.0"}
	rec := record("d:x/i@2.0.0", "rec", field("a", prim(wit.U32)))
	own := &wit.Type{Kind: wit.Own, Elem: res}
	n := &wit.Interface{Name: "d:x/i@2.0.0",
		Types: []*wit.TypeDef{{Name: "r", Type: res}, {Name: "rec", Type: rec}},
		Functions: []*wit.Function{fn("[method]r.m", own, param("self", &wit.Type{Kind: wit.Borrow, Elem: res}), param("x", rec), param("s", &wit.Type{Kind: wit.Own, Elem: other})),
			fn("g", rec, param("x", rec))}}
	o := &wit.Interface{Name: "d:x/i@1.0.0"}
	got := sameVersionAs(o, n)
	if got.Name != o.Name || got.Types[0].Type.Owner != o.Name || got.Functions[0].Params[0].Type.Elem.Owner != o.Name || got.Functions[0].Result.Elem.Owner != o.Name {
		t.Errorf("the copy is not at the old name: %s, %s, %s, %s", got.Name, got.Types[0].Type.Owner, got.Functions[0].Params[0].Type.Elem.Owner, got.Functions[0].Result.Elem.Owner)
	}
	if got.Types[1].Type != rec || got.Functions[0].Params[1].Type != rec || got.Functions[0].Params[2].Type.Elem != other {
		t.Error("types without the interface's resources are copied or changed")
	}
	if r := got.Types[0].Type; got.Functions[0].Params[0].Type.Elem != r || got.Functions[0].Result.Elem != r {
		t.Error("the interface's resource is copied more than once")
	}
	if got.Functions[1] != n.Functions[1] || got.Types[1] != n.Types[1] {
		t.Error("a function or a definition without the interface's resources is copied")
	}
	if n.Name != "d:x/i@2.0.0" || n.Types[0].Type != res || res.Owner != "d:x/i@2.0.0" || own.Elem != res || n.Functions[0].Params[0].Type.Elem != res {
		t.Error("sameVersionAs modified its input")
	}
	if sameVersionAs(n, n) != n || sameVersionAs(&wit.Interface{Name: "e:x/i@1.0.0"}, n) != n {
		t.Error("an interface of the same name, or of another interface, is not returned as it is")
	}
}
