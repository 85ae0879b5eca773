package witparse

import (
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtures are the project's own WIT inputs: a single file with nested
// packages, a directory with flat deps/, and one with nested deps/.
var fixtures = []struct {
	name, path, world string
}{
	{"single", "testdata/single.wit", ""},
	{"flat", "testdata/flat", ""},
	{"nested", "testdata/nested", "app"},
}

// TestFixtures loads each fixture and compares its world with the golden
// JSON (refresh with -update), and with LoadWIT's unless -short.
func TestFixtures(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			w, err := LoadWorld(fx.path, fx.world)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(w, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", fx.name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if d := cmp.Diff(strings.TrimSpace(string(want)), string(got)); d != "" {
				t.Errorf("golden %s (-want +got):\n%s", golden, d)
			}
			if testing.Short() {
				return
			}
			ref, err := wasmtools.LoadWIT(fx.path, fx.world)
			if err != nil {
				t.Logf("LoadWIT does not read it: %v", err)
				return
			}
			if d := cmp.Diff(ref, w); d != "" {
				t.Errorf("(-LoadWIT +native):\n%s", d)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		src        string
		line, col  int
		msg        string
		notAnError bool
	}{
		{"case-insensitive export", "package poc:demo;\nworld example {\n  export get-user: func() -> string;\n  export GET-USER: func() -> string;\n}\n",
			4, 10, "export `GET-USER` in world `example` conflicts with export `get-user` (kebab-case identifiers are case-insensitive)", false},
		{"case-insensitive type", "package a:b;\ninterface i {\n  type foo = u8;\n  type FOO = u8;\n}\n", 4, 8, "conflicts with `foo`", false},
		{"keyword as name", "package a:b;\ninterface i {\n  type list = u8;\n}\n", 3, 8, "expected an identifier or string, found keyword `list`", false},
		{"escaped keyword", "package a:b;\ninterface i {\n  type %list = u8;\n}\n", 0, 0, "", true},
		{"mixed case word", "package a:b;\ninterface i {\n  type fooBar = u8;\n}\n", 3, 8, "invalid character in identifier", false},
		{"bad version", "package a:b@1.0;\n", 1, 13, "invalid version", false},
		{"leading zero version", "package a:b@01.0.0;\n", 1, 13, "leading zeros", false},
		{"zero-length list", "package a:b;\ninterface i {\n  type t = list<u8, 0>;\n}\n", 3, 21, "invalid fixed-length list length 0", false},
		{"undefined type", "package a:b;\ninterface i {\n  f: func(x: nope);\n}\n", 3, 14, "type `nope` does not exist", false},
		{"text nesting", "package a:b;\ninterface i {\n  type t = " + strings.Repeat("option<", 101) + "u8" + strings.Repeat(">", 101) + ";\n}\n", 3, 712, "type nesting too deep", false},
		{"resolved nesting", nestingChain(300), 259, 15, "type nesting too deep: more than 256 levels", false},
		{"exponential expansion", doublingChain(40), 23, 12, "type expands to more than 1048576 nodes", false},
		{"unterminated comment", "package a:b;\n/* open", 2, 1, "unterminated block comment", false},
		{"borrow result", "package a:b;\ninterface i {\n  resource r;\n  f: func() -> borrow<r>;\n}\n", 4, 16, "returns a type which contains a `borrow<T>`", false},
		{"since after version", "package a:b@0.1.0;\n@since(version = 0.2.0)\ninterface i {}\n", 3, 11, "feature gate cannot reference unreleased version 0.2.0", false},
		{"long use chain", useChain(1200), 1001, 22, "chain longer than 1000", false},
		{"long import chain", forwardChain(1200) + "world w { import i1200; }\n", 1203, 7, "chain longer than 1000", false},
		{"control code", "package a:b;\x01", 1, 13, "control code", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadString("in.wit", tc.src, Options{})
			if tc.notAnError {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *Error", err, err)
			}
			if e.Line != tc.line || e.Column != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %d:%d %q, want %d:%d containing %q", e.Line, e.Column, e.Msg, tc.line, tc.col, tc.msg)
			}
		})
	}
}

// useChain is `interface iN { use iN-1.{t}; }` … in reverse order, so
// that resolving the first interface resolves every other.
func useChain(n int) string {
	var b strings.Builder
	b.WriteString("package a:b;\n")
	for i := n; i >= 1; i-- {
		b.WriteString("interface i" + itoa(i) + " { use i" + itoa(i-1) + ".{t}; }\n")
	}
	b.WriteString("interface i0 { type t = u8; }\n")
	return b.String()
}

// forwardChain is useChain declared in dependency order: each interface
// resolves at once, but a world importing the last depends on them all.
func forwardChain(n int) string {
	var b strings.Builder
	b.WriteString("package a:b;\ninterface i0 { type t = u8; }\n")
	for i := 1; i <= n; i++ {
		b.WriteString("interface i" + itoa(i) + " { use i" + itoa(i-1) + ".{t}; }\n")
	}
	return b.String()
}

// nestingChain is `type t1 = option<t0>` … : nesting grows through names.
func nestingChain(n int) string {
	var b strings.Builder
	b.WriteString("package a:b;\ninterface i {\n  type t0 = u8;\n")
	for i := 1; i <= n; i++ {
		b.WriteString("  type t" + itoa(i) + " = option<t" + itoa(i-1) + ">;\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func TestErrorFormat(t *testing.T) {
	_, err := LoadString("dir/x.wit", "package a:b;\ninterface i {\n\tf: func(x: nope);\n}\n", Options{})
	want := "dir/x.wit:3:13: type `nope` does not exist\n" +
		"   |\n" +
		" 3 | \tf: func(x: nope);\n" +
		"   | \t           ^"
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// TestSharing checks that types are shared, not expanded: a doubling chain
// just under the size limit loads at once, and t_n's members are t_(n-1).
func TestSharing(t *testing.T) {
	start := time.Now()
	res, err := LoadString("chain.wit", doublingChain(19), Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := res.Main.Interfaces[0]
	t19, t18 := in.TypeDef("t19").Type, in.TypeDef("t18").Type
	if t19.Elems[0] != t18 || t19.Elems[1] != t18 {
		t.Errorf("t19's members are not t18 itself")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d) // a sanity bound, not a benchmark
	}
}

func TestFeatures(t *testing.T) {
	src := "package a:b;\ninterface i {\n  @unstable(feature = fancy)\n  f: func();\n  g: func();\n}\n"
	for _, tc := range []struct {
		opts Options
		want []string
	}{
		{Options{}, []string{"g"}},
		{Options{Features: []string{"other"}}, []string{"g"}},
		{Options{Features: []string{"fancy"}}, []string{"f", "g"}},
		{Options{AllFeatures: true}, []string{"f", "g"}},
	} {
		res, err := LoadString("f.wit", src, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Main.Interfaces[0].Functions {
			got = append(got, f.Name)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%+v: functions (-want +got):\n%s", tc.opts, d)
		}
	}
}

func TestWorldSelection(t *testing.T) {
	src := "package a:b@1.0.0;\nworld one {}\nworld two {}\npackage c:d { world one {} }\n"
	res, err := LoadString("w.wit", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want, err string }{
		{"two", "a:b@1.0.0/two", ""},
		{"a:b/one", "a:b@1.0.0/one", ""},
		{"a:b/one@1.0.0", "a:b@1.0.0/one", ""},
		{"c:d/one", "c:d/one", ""},
		{"one", "", "ambiguous"},
		{"three", "", "no world"},
		{"", "", "choose one"},
	} {
		w, err := res.World(tc.name)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("World(%q): error %v, want %q", tc.name, err, tc.err)
			}
		case err != nil:
			t.Errorf("World(%q): %v", tc.name, err)
		case w.Package+"/"+w.Name != tc.want:
			t.Errorf("World(%q) = %s/%s, want %s", tc.name, w.Package, w.Name, tc.want)
		}
	}
}

// TestBinaryDepsFallback loads wit-parser's kinds-of-deps (whose deps/
// include binary WIT packages) through LoadWorldOptions, which hands it
// to its Fallback, here wasmtools.LoadWIT.
func TestBinaryDepsFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	dir := filepath.Join(uiDir(t), "kinds-of-deps")
	if _, err := Load(dir, Options{}); err == nil {
		t.Fatal("native Load read binary packages it should not")
	}
	w, err := LoadWorldOptions(dir, "", Options{AllFeatures: true, Fallback: wasmtools.LoadWIT})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := wasmtools.LoadWIT(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ref, w); d != "" {
		t.Errorf("(-LoadWIT +LoadWorldOptions):\n%s", d)
	}
}

// TestBinaryDepsError: without a Fallback, WIT that needs a binary WIT
// package under deps/ fails with one error that names the reference, the
// binary package and the command converting it, and never calls a
// reader it was not given. A package the binary ones do not provide
// fails as any missing package does.
func TestBinaryDepsError(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.wit", "package app:main;\nworld w {\n  import dep:clock/clock;\n}\n")
	write("deps/clock.wasm", "\x00asm\x01\x00\x00\x00") // never read
	_, err := LoadWorld(dir, "")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("LoadWorld: %v, want a *Error", err)
	}
	bin := filepath.Join(dir, "deps", "clock.wasm")
	for _, want := range []string{
		filepath.Join(dir, "main.wit") + ":3:10: package 'dep:clock' not found",
		bin,
		"wasm-tools component wit " + bin + " -o " + filepath.Join(dir, "deps", "clock.wit"),
		"-tags wasmtools",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nlacks %q", err, want)
		}
	}
	if e.Line != 3 {
		t.Errorf("error at line %d, want 3", e.Line)
	}

	// With a fallback, the fallback reads it.
	called := false
	fallback := func(path, world string) (*wit.World, error) {
		called = true
		if path != dir || world != "w" {
			t.Errorf("fallback(%q, %q), want (%q, \"w\")", path, world, dir)
		}
		return &wit.World{Name: "from-fallback"}, nil
	}
	w, err := LoadWorldOptions(dir, "w", Options{AllFeatures: true, Fallback: fallback})
	if err != nil || !called || w.Name != "from-fallback" {
		t.Errorf("LoadWorldOptions with a fallback: %v, %v (called %v)", w, err, called)
	}

	// Without binary packages the same reference is a plain error, and a
	// fallback is not called.
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	called = false
	_, err = LoadWorldOptions(dir, "w", Options{AllFeatures: true, Fallback: fallback})
	if err == nil || called || strings.Contains(err.Error(), "wasm-tools") {
		t.Errorf("no binary packages: %v (fallback called %v)", err, called)
	}
}

// TestLoadWorldSource reads the same world from bytes as from the file.
func TestLoadWorldSource(t *testing.T) {
	b, err := os.ReadFile("testdata/single.wit")
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := LoadWorld("testdata/single.wit", "")
	if err != nil {
		t.Fatal(err)
	}
	fromBytes, err := LoadWorldSource("testdata/single.wit", b, "")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(fromFile, fromBytes); d != "" {
		t.Errorf("(-file +bytes):\n%s", d)
	}
}

// TestLoadPathKinds: Load opens a directory at once, without looking at
// the path first; what is not a directory it can list is looked at as
// before: a file is read, a missing path or one under a file is stat's
// error, naming the path.
func TestLoadPathKinds(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "one.wit")
	if err := os.WriteFile(file, []byte("package a:b;\nworld w { export f: func(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		err        string // "" for success
	}{
		{"directory", "testdata/flat", ""},
		{"file", file, ""},
		{"missing", filepath.Join(dir, "missing"), "stat " + filepath.Join(dir, "missing") + ": no such file or directory"},
		{"under a file", filepath.Join(file, "x"), "stat " + filepath.Join(file, "x") + ": not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Load(tt.path, Options{})
			switch {
			case tt.err == "" && (err != nil || r == nil || r.Main == nil):
				t.Fatalf("Load: %v", err)
			case tt.err != "" && (err == nil || err.Error() != tt.err):
				t.Fatalf("Load: %v, want %s", err, tt.err)
			case tt.err != "":
				var pe *fs.PathError
				if !errors.As(err, &pe) || pe.Op != "stat" {
					t.Errorf("Load: %T %v, want stat's *fs.PathError", err, err)
				}
			}
		})
	}
}
