package compat

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/wit/witparse"
)

// subtypingCase is a pair of worlds (bodies, in one package with extra)
// and what api must say of replacing old with new under the Component
// Model's subtyping rules: value types structural and compared exactly
// (names of fields, cases, labels and parameters, and their order,
// included), resources nominal, instance exports matched by name (more
// exports is fine, more imports is not).
type subtypingCase struct {
	name, old, new, extra string
	unsafe                bool     // api unsafe (no host declared)
	rules                 []string // rules among the findings
}

var subtypingCases = []subtypingCase{
	// An imported interface that now defines a resource asks the host
	// for it (a component imports its drop).
	{name: "import resource added", unsafe: true, rules: []string{RuleImportAdded},
		old: `import host: interface { now: func() -> u64; } export run: func();`,
		new: `import host: interface { resource r; now: func() -> u64; } export run: func();`},
	{name: "import resource removed",
		old: `import host: interface { resource r; now: func() -> u64; } export run: func();`,
		new: `import host: interface { now: func() -> u64; } export run: func();`},
	{name: "import resource-only interface added", unsafe: true, rules: []string{RuleImportAdded},
		old: `export run: func();`,
		new: `import host: interface { resource r; } export run: func();`},
	{name: "exported interface resource added",
		old: `export api: interface { f: func(); }`,
		new: `export api: interface { resource r; f: func(); }`},
	{name: "exported resource without functions removed", unsafe: true, rules: []string{RuleExportTypeRemoved},
		old: `export api: interface { resource r; f: func(); }`,
		new: `export api: interface { f: func(); }`},
	// Resources are nominal: another resource is another type.
	{name: "param resource swapped", unsafe: true, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { resource r; resource s; f: func(x: r); }`,
		new: `export api: interface { resource r; resource s; f: func(x: s); }`},
	{name: "result resource swapped", unsafe: true, rules: []string{RuleResultTypeChanged},
		old: `export api: interface { resource r; resource s; f: func() -> r; }`,
		new: `export api: interface { resource r; resource s; f: func() -> s; }`},
	{name: "import param resource swapped", unsafe: true, rules: []string{RuleImportTypeChanged},
		old: `import host: interface { resource r; resource s; f: func(x: r); } export run: func();`,
		new: `import host: interface { resource r; resource s; f: func(x: s); } export run: func();`},
	// An alias of a resource names the same resource.
	{name: "resource alias in a parameter",
		old: `export api: interface { resource r; f: func(x: r); }`,
		new: `export api: interface { resource r; type s = r; f: func(x: s); }`},
	{name: "resource alias in a result",
		old: `export api: interface { resource r; f: func() -> r; }`,
		new: `export api: interface { resource r; type s = r; f: func() -> s; }`},
	// The interface no longer exports a type named r: a change, whatever
	// the parameter's type (the same resource) says.
	{name: "renamed use of a resource", unsafe: true, rules: []string{RuleExportTypeRemoved},
		old:   `export api: interface { use types.{r}; f: func(x: r); }`,
		new:   `export api: interface { use types.{r as s}; f: func(x: s); }`,
		extra: "interface types { resource r; }\n"},
	{name: "resource alias became a resource", unsafe: true, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { resource r; type s = r; f: func(x: s); }`,
		new: `export api: interface { resource r; resource s; f: func(x: s); }`},
	// Value types are compared exactly: order and names count.
	{name: "enum cases reordered", unsafe: true,
		old: `export api: interface { enum color { red, blue } paint: func(c: color); }`,
		new: `export api: interface { enum color { blue, red } paint: func(c: color); }`},
	{name: "flags reordered", unsafe: true,
		old: `export api: interface { flags p { a, b } f: func(c: p); }`,
		new: `export api: interface { flags p { b, a } f: func(c: p); }`},
	{name: "variant case renamed", unsafe: true,
		old: `export api: interface { variant v { a(u32), b } f: func(c: v); }`,
		new: `export api: interface { variant v { a(u32), c } f: func(c: v); }`},
	{name: "record field renamed", unsafe: true,
		old: `export api: interface { record o { id: u64 } f: func(c: o); }`,
		new: `export api: interface { record o { key: u64 } f: func(c: o); }`},
	{name: "result error added", unsafe: true, rules: []string{RuleResultTypeChanged},
		old: `export api: interface { f: func() -> result<u32>; }`,
		new: `export api: interface { f: func() -> result<u32, string>; }`},
	{name: "string became list<u8>", unsafe: true, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { f: func(a: string); }`,
		new: `export api: interface { f: func(a: list<u8>); }`},
	{name: "s32 became u32", unsafe: true, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { f: func(a: s32); }`,
		new: `export api: interface { f: func(a: u32); }`},
	{name: "exported alias retargeted", unsafe: true, rules: []string{RuleExportTypeChanged},
		old: `export api: interface { type t = u32; f: func(); }`,
		new: `export api: interface { type t = u64; f: func(); }`},
	// Resource functions are functions of the instance, by name.
	{name: "method became static", unsafe: true, rules: []string{RuleExportFunctionRemoved},
		old: `export api: interface { resource r { m: func(); } }`,
		new: `export api: interface { resource r { m: static func(); } }`},
	{name: "constructor added",
		old: `export api: interface { resource r { m: func(); } }`,
		new: `export api: interface { resource r { constructor(); m: func(); } }`},
	{name: "borrow became own in an import", unsafe: true, rules: []string{RuleImportTypeChanged},
		old: `import host: interface { resource r; f: func(x: borrow<r>); } export run: func();`,
		new: `import host: interface { resource r; f: func(x: r); } export run: func();`},
	// A world-level use imports the interface for its type.
	{name: "world-level use retargeted", unsafe: true,
		old:   `use dep.{t}; export f: func(a: t);`,
		new:   `use dep2.{t}; export f: func(a: t);`,
		extra: "interface dep { type t = u32; }\ninterface dep2 { type t = u64; }\n"},
	// A world's types are imports, each with its definition, used or not.
	{name: "unused world type retyped", unsafe: true, rules: []string{RuleImportWorldTypeChanged},
		old: `type t = u32; export run: func();`,
		new: `type t = u64; export run: func();`},
	// Type names are part of the instance types and type exports that
	// link, though not of the values.
	{name: "import param aliased", unsafe: true, rules: []string{RuleImportTypeRenamed},
		old: `import host: interface { f: func(x: u32); } export run: func();`,
		new: `import host: interface { type n = u32; f: func(x: n); } export run: func();`},
	{name: "import result record renamed", unsafe: true, rules: []string{RuleImportTypeRenamed},
		old: `import host: interface { record order { id: u64 } f: func() -> order; } export run: func();`,
		new: `import host: interface { record purchase { id: u64 } f: func() -> purchase; } export run: func();`},
	{name: "import resource alias in a param", unsafe: true, rules: []string{RuleImportTypeRenamed},
		old: `import host: interface { resource r; f: func(x: borrow<r>); } export run: func();`,
		new: `import host: interface { resource r; type s = r; f: func(x: borrow<s>); } export run: func();`},
	{name: "export result record renamed", unsafe: true, rules: []string{RuleTypeRenamed},
		old: `export api: interface { record order { id: u64 } place: func() -> order; }`,
		new: `export api: interface { record purchase { id: u64 } place: func() -> purchase; }`},
	// Type-only imports that no function uses are not imported at all.
	{name: "unused type-only import retargeted",
		old:   `import dep; export run: func();`,
		new:   `import dep2; export run: func();`,
		extra: "interface dep { record t { a: u32 } }\ninterface dep2 { record t { a: u64 } }\n"},
}

// subtypingWorlds writes the pair to dir and reads it as wfcompat reads WIT.
func subtypingWorlds(t *testing.T, dir string, tc subtypingCase) (path string, r *Report) {
	t.Helper()
	return subtypingWorldsHost(t, dir, tc, nil)
}

// subtypingWorldsHost is subtypingWorlds with host declared (nil: none).
func subtypingWorldsHost(t *testing.T, dir string, tc subtypingCase, host *Host) (path string, r *Report) {
	t.Helper()
	src := fmt.Sprintf("package oracle:test;\n\nworld old {\n%s\n}\n\nworld new {\n%s\n}\n%s", tc.old, tc.new, tc.extra)
	path = filepath.Join(dir, "worlds.wit")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := witparse.Load(path, witparse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	old, err := res.World("old")
	if err != nil {
		t.Fatal(err)
	}
	nw, err := res.World("new")
	if err != nil {
		t.Fatal(err)
	}
	return path, Diff(old, nw, Options{Old: Artifact{Kind: "wit"}, New: Artifact{Kind: "wit"}, Host: host})
}

// TestSubtyping checks api against the Component Model's subtyping rules
// on pairs the semver-check oracle cases do not cover.
func TestSubtyping(t *testing.T) { checkSubtyping(t, subtypingCases) }

// checkSubtyping diffs each case's worlds and checks api's verdict and
// the rules among the findings.
func checkSubtyping(t *testing.T, cases []subtypingCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, r := subtypingWorlds(t, t.TempDir(), tc)
			if got := r.Modes[ModeAPI].Verdict == Unsafe; got != tc.unsafe {
				t.Errorf("api %s, want unsafe=%v; findings %v", r.Modes[ModeAPI].Verdict, tc.unsafe, ruleSubjects(r))
			}
			for _, id := range tc.rules {
				if !hasRule(r, id) {
					t.Errorf("no %s finding: %v", id, ruleSubjects(r))
				}
			}
		})
	}
}

// TestImportResourceAddedHost: a resource newly defined by an imported
// interface is judged against the declared host, as a new function is.
func TestImportResourceAddedHost(t *testing.T) {
	tc := subtypingCases[0]
	if tc.name != "import resource added" {
		t.Fatalf("subtypingCases[0] is %q", tc.name)
	}
	res, err := witparse.LoadString("worlds.wit", fmt.Sprintf("package oracle:test;\nworld old {\n%s\n}\nworld new {\n%s\n}\n", tc.old, tc.new), witparse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := res.World("old")
	nw, _ := res.World("new")
	for _, h := range []struct {
		provides []string
		rule     string
	}{
		{[]string{"host"}, RuleImportProvided},
		{[]string{"host#r"}, RuleImportProvided},
		{[]string{"host#now"}, RuleImportNotProvided},
	} {
		r := Diff(old, nw, Options{Old: Artifact{Kind: "wit"}, New: Artifact{Kind: "wit"}, Host: &Host{Name: "test", Provides: h.provides}})
		if !hasRule(r, h.rule) {
			t.Errorf("host provides %v: want %s, findings %v", h.provides, h.rule, ruleSubjects(r))
		}
	}
}

// TestSubtypingMatchesSemverCheck asks wasm-tools' semver-check (the
// embedded 1.230) for the same pairs: it accepts exactly those api calls
// safe.
// The dummy components built from the worlds with resources or a `use`
// get the same api verdict as their WIT.
func TestSubtypingMatchesSemverCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs wasm-tools")
	}
	wasmTools(t)
	for _, tc := range subtypingCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path, r := subtypingWorlds(t, dir, tc)
			accepted, detail := semverCheck(t, dir)
			if want := !tc.unsafe; accepted != want {
				t.Errorf("semver-check accepted=%v, want %v (api %s, findings %v)\n%s", accepted, want, r.Modes[ModeAPI].Verdict, ruleSubjects(r), detail)
			}
			// The component form: dummy components built from each world
			// get the verdict their WIT gets. Checked where the readers
			// have most to agree on (resources, use), to keep the test
			// short.
			if !strings.Contains(tc.old+tc.new+tc.extra, "resource") && !strings.Contains(tc.old+tc.new, "use ") {
				return
			}
			file := filepath.Base(path)
			comp := Artifact{Kind: "component"}
			rc := Diff(dummyComponent(t, dir, file, "old"), dummyComponent(t, dir, file, "new"), Options{Old: comp, New: comp})
			if got := rc.Modes[ModeAPI].Verdict; got != r.Modes[ModeAPI].Verdict {
				t.Errorf("components: api %s (findings %v), WIT: api %s (findings %v)", got, ruleSubjects(rc), r.Modes[ModeAPI].Verdict, ruleSubjects(r))
			}
		})
	}
}

// mapCases: map<K, V> is its own Component Model type, not
// list<tuple<K, V>> (its canonical ABI form). The embedded wasm-tools
// predates maps, so these are not asked of semver-check.
var mapCases = []subtypingCase{
	{name: "list of pairs became a map", unsafe: true, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { f: func(m: list<tuple<string, u32>>); }`,
		new: `export api: interface { f: func(m: map<string, u32>); }`},
	{name: "map became a list of pairs", unsafe: true, rules: []string{RuleResultTypeChanged},
		old: `export api: interface { f: func() -> map<string, u32>; }`,
		new: `export api: interface { f: func() -> list<tuple<string, u32>>; }`},
	{name: "map value type changed", unsafe: true, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { f: func(m: map<string, u32>); }`,
		new: `export api: interface { f: func(m: map<string, string>); }`},
	{name: "map key type changed", unsafe: true, rules: []string{RuleParamTypeChanged},
		old: `export api: interface { f: func(m: map<u32, string>); }`,
		new: `export api: interface { f: func(m: map<string, string>); }`},
	{name: "map unchanged",
		old: `export api: interface { type m = map<string, u32>; f: func(m: m); }`,
		new: `export api: interface { type m = map<string, u32>; f: func(m: m); }`},
}

func TestMapSubtyping(t *testing.T) { checkSubtyping(t, mapCases) }
