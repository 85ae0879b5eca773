package compat

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/testbuild"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

// The api mode is cross-checked against wasm-tools' own judgement,
// `wasm-tools component semver-check`, which builds a dummy component of one
// world and asks its validator whether it instantiates where the other is
// expected. wasm-tools is embedded in go.bytecodealliance.org (a module
// wfcompat already depends on), so building it needs no network. It is built
// once per test binary, into a directory TestMain removes.

var wasmToolsBuild testbuild.Once

func TestMain(m *testing.M) {
	code := m.Run()
	wasmToolsBuild.Remove()
	os.Exit(code)
}

// wasmTools returns the path of a wasm-tools command built from
// go.bytecodealliance.org/internal/cmd/wasm-tools.
func wasmTools(t *testing.T) string {
	t.Helper()
	dir, err := wasmToolsBuild.Do(func(dir string) error {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, testbuild.Exe("wasm-tools")), "go.bytecodealliance.org/internal/cmd/wasm-tools")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build wasm-tools: %v\n%s", err, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, testbuild.Exe("wasm-tools"))
}

// semverCheck reports whether wasm-tools accepts a component of world
// "new" where world "old" is expected. Its file system is the current
// directory only, so it runs in dir with relative paths.
func semverCheck(t *testing.T, dir string) (accepted bool, detail string) {
	t.Helper()
	cmd := exec.Command(wasmTools(t), "component", "semver-check", "--prev", "new", "--new", "old", ".")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return true, ""
	}
	if _, ok := err.(*exec.ExitError); !ok {
		t.Fatalf("run wasm-tools: %v", err)
	}
	msg := stderr.String()
	if !strings.Contains(msg, "not semver-compatible") {
		t.Fatalf("wasm-tools failed for another reason than incompatibility:\n%s", msg)
	}
	return false, msg
}

// oracleCase is a pair of worlds in one package. addedImport marks a new
// world that imports something more: with no host declared, semver-check
// and api both reject it (IMPORT_ADDED, IMPORT_FUNCTION_ADDED).
type oracleCase struct {
	name        string
	old, new    string // world bodies
	addedImport bool
	extra       string // more packages, after the worlds
	// versionBlind marks the one known disagreement: semver-check strips
	// versions before comparing, so it accepts an import moved to a
	// version that is not semver-compatible (0.2.0 to 0.3.0), which a
	// Component Model host matches as a different import; api calls that
	// a new import (IMPORT_VERSION_INCOMPATIBLE), unsafe without a host.
	versionBlind bool
}

var oracleCases = []oracleCase{
	{name: "alias added, parameter names it",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { type n = u32; f: func(a: n) -> n; }`},
	{name: "alias of a record added, parameter names it",
		old: `export api: interface { record order { id: u64 } place: func(o: order); }`,
		new: `export api: interface { record order { id: u64 } type purchase = order; place: func(o: purchase); }`},
	{name: "use of another interface's type",
		old:   `export api: interface { record order { id: u64 } place: func(o: order); }`,
		new:   `export types; export api: interface { use types.{order}; place: func(o: order); }`,
		extra: "interface types { record order { id: u64 } }\n"},
	{name: "alias removed",
		old: `export api: interface { type n = u32; f: func(a: n); }`,
		new: `export api: interface { f: func(a: u32); }`},
	{name: "import version raised, semver-compatible",
		old:   `import dep:x/i@0.2.0; export run: func();`,
		new:   `import dep:x/i@0.2.1; export run: func();`,
		extra: "package dep:x@0.2.0 { interface i { f: func(); } }\npackage dep:x@0.2.1 { interface i { f: func(); } }\npackage dep:x@0.3.0 { interface i { f: func(); } }\n"},
	{name: "import version lowered",
		old:   `import dep:x/i@0.2.1; export run: func();`,
		new:   `import dep:x/i@0.2.0; export run: func();`,
		extra: "package dep:x@0.2.0 { interface i { f: func(); } }\npackage dep:x@0.2.1 { interface i { f: func(); } }\npackage dep:x@0.3.0 { interface i { f: func(); } }\n"},
	{name: "import version incompatible", versionBlind: true,
		old:   `import dep:x/i@0.2.0; export run: func();`,
		new:   `import dep:x/i@0.3.0; export run: func();`,
		extra: "package dep:x@0.2.0 { interface i { f: func(); } }\npackage dep:x@0.2.1 { interface i { f: func(); } }\npackage dep:x@0.3.0 { interface i { f: func(); } }\n"},
	{name: "identical",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: func(a: u32) -> u32; }`},
	{name: "export function added",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: func(a: u32) -> u32; g: func(); }`},
	{name: "export function removed",
		old: `export api: interface { f: func(a: u32) -> u32; g: func(); }`,
		new: `export api: interface { f: func(a: u32) -> u32; }`},
	{name: "param renamed",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: func(b: u32) -> u32; }`},
	{name: "params swapped",
		old: `export api: interface { f: func(a: u32, b: u32); }`,
		new: `export api: interface { f: func(b: u32, a: u32); }`},
	{name: "export turned async",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: async func(a: u32) -> u32; }`},
	{name: "stream payload widened",
		old: `export api: interface { f: func(s: stream<u8>); }`,
		new: `export api: interface { f: func(s: stream<u16>); }`},
	{name: "inline type changed beside an aliased world function of its name",
		old:   `use dep.{n}; export f: func(a: n); export api: interface { record f { x: u8 } g: func(); }`,
		new:   `use dep.{n}; export f: func(a: u32); export api: interface { record f { x: u16 } g: func(); }`,
		extra: "interface dep { type n = u32; }\n"},
	{name: "param widened",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: func(a: u64) -> u32; }`},
	{name: "param added",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: func(a: u32, b: u32) -> u32; }`},
	{name: "result changed",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: func(a: u32) -> u64; }`},
	{name: "result removed",
		old: `export api: interface { f: func(a: u32) -> u32; }`,
		new: `export api: interface { f: func(a: u32); }`},
	{name: "option element in result changed",
		old: `export api: interface { f: func() -> option<u32>; }`,
		new: `export api: interface { f: func() -> option<u64>; }`},
	{name: "export interface added",
		old: `export api: interface { f: func(); }`,
		new: `export api: interface { f: func(); } export admin: interface { reset: func(); }`},
	{name: "export interface removed",
		old: `export api: interface { f: func(); } export admin: interface { reset: func(); }`,
		new: `export api: interface { f: func(); }`},
	{name: "world function removed",
		old: `export api: interface { f: func(); } export run: func();`,
		new: `export api: interface { f: func(); }`},
	{name: "world function param renamed",
		old: `export run: func(n: u32);`,
		new: `export run: func(m: u32);`},
	{name: "record field added",
		old: `export api: interface { record order { id: u64 } place: func(o: order); }`,
		new: `export api: interface { record order { id: u64, note: option<string> } place: func(o: order); }`},
	{name: "record fields reordered",
		old: `export api: interface { record order { id: u64, qty: u32 } place: func(o: order); }`,
		new: `export api: interface { record order { qty: u32, id: u64 } place: func(o: order); }`},
	{name: "enum case added",
		old: `export api: interface { enum color { red } paint: func(c: color); }`,
		new: `export api: interface { enum color { red, blue } paint: func(c: color); }`},
	{name: "variant case added in result",
		old: `export api: interface { variant shape { circle(f64) } get: func() -> shape; }`,
		new: `export api: interface { variant shape { circle(f64), square(f64) } get: func() -> shape; }`},
	{name: "flag added",
		old: `export api: interface { flags perms { read } open: func(p: perms); }`,
		new: `export api: interface { flags perms { read, write } open: func(p: perms); }`},
	{name: "tuple length changed",
		old: `export api: interface { f: func(p: tuple<u32, u32>); }`,
		new: `export api: interface { f: func(p: tuple<u32, u32, u32>); }`},
	{name: "used type renamed",
		old: `export api: interface { record order { id: u64 } place: func(o: order); }`,
		new: `export api: interface { record purchase { id: u64 } place: func(o: purchase); }`},
	{name: "type alias keeps the name",
		old: `export api: interface { record order { id: u64 } place: func(o: order); }`,
		new: `export api: interface { record order0 { id: u64 } type order = order0; place: func(o: order); }`},
	{name: "unused exported type changed",
		old: `export api: interface { record unused { a: u8 } f: func(); }`,
		new: `export api: interface { record unused { a: u16 } f: func(); }`},
	{name: "unused exported type removed",
		old: `export api: interface { record unused { a: u8 } f: func(); }`,
		new: `export api: interface { f: func(); }`},
	{name: "exported type added",
		old: `export api: interface { f: func(); }`,
		new: `export api: interface { record more { a: u8 } f: func(); }`},
	{name: "docs changed",
		old: `export api: interface { /// One.
f: func(); }`,
		new: `export api: interface { /// Two.
f: func(); }`},
	{name: "borrow became own",
		old: `export api: interface { resource cart { add: func(x: u32); } f: func(c: borrow<cart>); }`,
		new: `export api: interface { resource cart { add: func(x: u32); } f: func(c: cart); }`},
	{name: "resource method added",
		old: `export api: interface { resource cart { add: func(x: u32); } }`,
		new: `export api: interface { resource cart { add: func(x: u32); clear: func(); } }`},
	{name: "resource method removed",
		old: `export api: interface { resource cart { add: func(x: u32); clear: func(); } }`,
		new: `export api: interface { resource cart { add: func(x: u32); } }`},
	{name: "resource constructor changed",
		old: `export api: interface { resource cart { constructor(n: u32); } }`,
		new: `export api: interface { resource cart { constructor(n: u64); } }`},
	{name: "import removed",
		old: `import host: interface { now: func() -> u64; } export run: func();`,
		new: `export run: func();`},
	{name: "import function removed",
		old: `import host: interface { now: func() -> u64; sleep: func(ms: u64); } export run: func();`,
		new: `import host: interface { now: func() -> u64; } export run: func();`},
	{name: "import param type changed",
		old: `import host: interface { sleep: func(ms: u32); } export run: func();`,
		new: `import host: interface { sleep: func(ms: u64); } export run: func();`},
	{name: "import param renamed",
		old: `import host: interface { sleep: func(ms: u32); } export run: func();`,
		new: `import host: interface { sleep: func(millis: u32); } export run: func();`},
	{name: "import result widened",
		old: `import host: interface { now: func() -> u32; } export run: func();`,
		new: `import host: interface { now: func() -> u64; } export run: func();`},
	{name: "import result type renamed",
		old: `import host: interface { record r { x: u8 } get: func() -> r; } export run: func();`,
		new: `import host: interface { record r2 { x: u8 } get: func() -> r2; } export run: func();`},
	{name: "import added", addedImport: true,
		old: `export run: func();`,
		new: `import sleep: func(ms: u64); export run: func();`},
	{name: "import interface added", addedImport: true,
		old: `export run: func();`,
		new: `import host: interface { now: func() -> u64; } export run: func();`},
	{name: "import function added", addedImport: true,
		old: `import host: interface { now: func() -> u64; } export run: func();`,
		new: `import host: interface { now: func() -> u64; sleep: func(ms: u64); } export run: func();`},
}

// TestAPIMatchesSemverCheck asserts that api is unsafe exactly when
// wasm-tools' semver-check rejects the pair (no host declared).
func TestAPIMatchesSemverCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs wasm-tools")
	}
	if len(oracleCases) < 20 {
		t.Fatalf("only %d oracle cases", len(oracleCases))
	}
	wasmTools(t)
	for _, tc := range oracleCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			src := fmt.Sprintf("package oracle:test;\n\nworld old {\n%s\n}\n\nworld new {\n%s\n}\n%s", tc.old, tc.new, tc.extra)
			path := filepath.Join(dir, "worlds.wit")
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			accepted, detail := semverCheck(t, dir)
			old, err := wasmtools.LoadWIT(path, "old")
			if err != nil {
				t.Fatal(err)
			}
			nw, err := wasmtools.LoadWIT(path, "new")
			if err != nil {
				t.Fatal(err)
			}
			r := Diff(old, nw, Options{})
			unsafe := r.Modes[ModeAPI].Verdict == Unsafe
			switch {
			case tc.versionBlind:
				if !accepted || !unsafe || !hasRule(r, RuleImportVersionIncompatible) {
					t.Errorf("semver-check accepted=%v, api %s, findings %v; want accepted (versions stripped), api unsafe with IMPORT_VERSION_INCOMPATIBLE",
						accepted, r.Modes[ModeAPI].Verdict, ruleSubjects(r))
				}
			case tc.addedImport && !hasRule(r, RuleImportAdded, RuleImportFunctionAdded):
				t.Errorf("added import without an IMPORT_*_ADDED finding: %v", ruleSubjects(r))
			case unsafe == accepted:
				t.Errorf("semver-check accepted=%v but api is %s; findings %v\n%s", accepted, r.Modes[ModeAPI].Verdict, ruleSubjects(r), detail)
			}
		})
	}
}

func hasRule(r *Report, ids ...string) bool {
	for _, f := range r.Findings {
		for _, id := range ids {
			if f.Rule == id {
				return true
			}
		}
	}
	return false
}
