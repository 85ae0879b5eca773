package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/testfiles"
)

// hostileInputs makes, in a temporary directory, inputs that are not
// regular files or lead out of a WIT directory, each with the words its
// error must contain.
func hostileInputs(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	in := map[string]string{
		"/dev/zero":    "a character device, not a regular file",
		"/dev/urandom": "a character device, not a regular file",
	}
	fifo := filepath.Join(dir, "fifo.wasm")
	if err := syscall.Mkfifo(fifo, 0o600); err == nil {
		in[fifo] = "a FIFO, not a regular file"
	}
	zero := filepath.Join(dir, "zero.wasm")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	in[zero] = "a character device, not a regular file"
	// A WIT directory whose entry leads out of it, to a secret.
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("root:x:0:0:TOPSECRET\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	witDir := filepath.Join(dir, "wit")
	if err := os.MkdirAll(witDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(witDir, "a.wit"), []byte("package a:b;\nworld w { export f: func(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(witDir, "b.wit")); err != nil {
		t.Fatal(err)
	}
	in[witDir] = "b.wit: a symlink out of the WIT directory"
	// A WIT directory holding a symlink to a device inside it.
	devDir := filepath.Join(dir, "wit-dev")
	if err := os.MkdirAll(filepath.Join(devDir, "deps"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(devDir, "deps", "z.wit")); err != nil {
		t.Fatal(err)
	}
	in[devDir] = "a symlink out of the WIT directory"
	return in
}

// TestHostileInputs: every command refuses devices, FIFOs and symlinks out
// of a WIT directory at once, with one line, exit status 2, and never
// echoes what a symlink points at.
func TestHostileInputs(t *testing.T) {
	good := wat + "pin_conflict.wasm"
	out := filepath.Join(t.TempDir(), "out.wasm")
	for path, want := range hostileInputs(t) {
		for _, args := range [][]string{
			{"inspect", path},
			{"diff", path, good},
			{"diff", good, path},
			{"manifest", path},
			{"pin", path, "--against", good, "-o", out},
			{"pin", good, "--against", path, "-o", out},
			{"assert", "input", "--against", path, "--function", "f", "--args", "()"},
			{"diff", "--config", path, good, good},
		} {
			if strings.HasPrefix(args[0], "pin") && strings.Contains(path, "wit") {
				continue // pin reads core modules only; the WIT cases are for readers of WIT
			}
			want := want
			if args[1] == "--config" && strings.Contains(path, "wit") {
				want = "a directory, not a regular file" // a configuration is a file
			}
			start := time.Now()
			code, stdout, stderr := run(t, args...)
			if code != ExitError || stdout != "" || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "TOPSECRET") {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", args, code, stdout, stderr, want)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("%v took %v", args, d)
			}
		}
	}
}

// TestMaxInputSize: --max-input-size refuses larger inputs before reading
// them.
func TestMaxInputSize(t *testing.T) {
	good := wat + "pin_conflict.wasm"
	code, _, stderr := run(t, "--max-input-size", "16", "inspect", good)
	if code != ExitError || !strings.Contains(stderr, "larger than the 16-byte input limit") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "--max-input-size", "1000000", "inspect", good); code != 0 {
		t.Errorf("a small input refused: %q", stderr)
	}
	// A negative size is a usage error, not a quiet default.
	for _, cmd := range []string{"inspect", "manifest"} {
		code, stdout, stderr := run(t, "--max-input-size", "-1", cmd, good)
		if code != ExitError || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "--max-input-size -1: a size is a number of bytes, 0 or more") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", cmd, code, stdout, stderr)
		}
	}
}

// TestMaxInputSizeWITDir: --max-input-size bounds each file of a WIT
// directory and all of them together: one line naming the file, its size
// and the limit, exit status 2, nothing on stdout; the default reads them.
func TestMaxInputSizeWITDir(t *testing.T) {
	pad := func(head string, n int) string { return head + "//" + strings.Repeat("x", n-len(head)-3) + "\n" }
	dir := testfiles.Write(t, map[string]string{
		"a.wit":        pad("package a:b@1.0.0;\ninterface i { use c:d/t@1.0.0.{r}; f: func(x: r); }\nworld w { export i; }\n", 700),
		"deps/dep.wit": pad("package c:d@1.0.0;\ninterface t { type r = u32; }\n", 500),
	})
	for _, tc := range []struct {
		flags []string
		want  string // "" : read
	}{
		{nil, ""},
		{[]string{"--max-input-size", "0"}, ""},
		{[]string{"--max-input-size", "1200"}, ""},
		{[]string{"--max-input-size", "600"}, "wfcompat: " + filepath.Join(dir, "a.wit") + ": file is 700 bytes or more, larger than the 600-byte input limit (raise it with --max-input-size)\n"},
		{[]string{"--max-input-size", "1000"}, "more than the 1000-byte input limit on all of them (raise it with --max-input-size)\n"},
	} {
		for _, cmd := range [][]string{{"inspect", dir}, {"diff", dir, dir}, {"manifest", dir}} {
			args := append(append([]string{}, tc.flags...), cmd...)
			code, stdout, stderr := run(t, args...)
			switch {
			case tc.want == "" && code != ExitOK:
				t.Errorf("%v: exit %d: %s", args, code, stderr)
			case tc.want != "" && (code != ExitError || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, tc.want)):
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and …%q", args, code, stdout, stderr, ExitError, tc.want)
			}
		}
	}
}

// TestArgsMalformed: malformed WAVE in --args is a usage error (2), not a
// failed check (1).
func TestArgsMalformed(t *testing.T) {
	code, _, stderr := run(t, "assert", "input", "--against", wat+"pin_conflict.wasm", "--function", "f", "--args", "(1000")
	if code != ExitError || !strings.Contains(stderr, "--args: wave: input ends before the bracket opened at byte 0 is closed") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// TestConfigSyntaxLine: a YAML syntax error names its line.
func TestConfigSyntaxLine(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "wfcompat.yaml")
	if err := os.WriteFile(cfg, []byte("version: v1\nmodes: [api\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := wat + "pin_conflict.wasm"
	code, _, stderr := run(t, "diff", "--config", cfg, good, good)
	if code != ExitError || !strings.Contains(stderr, "wfcompat.yaml: yaml: line 2: ") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// TestPinAgainstManifest: pin --against accepts a wfcompat manifest of the
// running build and pins exactly as against the binary.
func TestPinAgainstManifest(t *testing.T) {
	const ex = "../../../../testdata/examples/ic/"
	dir := t.TempDir()
	man := filepath.Join(dir, "v1.manifest.json")
	if code, _, stderr := run(t, "manifest", ex+"v1.wasm", "-o", man); code != 0 {
		t.Fatalf("manifest: %s", stderr)
	}
	fromBin, fromMan := filepath.Join(dir, "a.wasm"), filepath.Join(dir, "b.wasm")
	if code, _, stderr := run(t, "pin", ex+"v2.wasm", "--against", ex+"v1.wasm", "-o", fromBin); code != 0 {
		t.Fatalf("pin against the binary: %s", stderr)
	}
	if code, _, stderr := run(t, "pin", ex+"v2.wasm", "--against", man, "-o", fromMan); code != 0 {
		t.Fatalf("pin against the manifest: %s", stderr)
	}
	a, _ := os.ReadFile(fromBin)
	b, _ := os.ReadFile(fromMan)
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("pinned against the manifest differs from pinned against the binary (%d vs %d bytes)", len(b), len(a))
	}
	if code, out, _ := run(t, "diff", "--mode", "in-flight", man, fromMan); code != 0 || !strings.Contains(out, "in-flight  SAFE") {
		t.Errorf("diff of the manifest and the pinned build: exit %d\n%s", code, out)
	}
	// A component's manifest is refused with a reason.
	cm := filepath.Join(dir, "c.manifest.json")
	if code, _, stderr := run(t, "manifest", "../../../../testdata/examples/golem/v1.wasm", "-o", cm); code != 0 {
		t.Fatalf("manifest: %s", stderr)
	}
	if code, _, stderr := run(t, "pin", ex+"v2.wasm", "--against", cm, "-o", filepath.Join(dir, "c.wasm")); code != ExitError || !strings.Contains(stderr, "not a core module") {
		t.Errorf("pin against a component's manifest: exit %d, %q", code, stderr)
	}
}

// TestOneLine: errors print on one line; the WIT reader's source excerpt
// keeps its line and text, its caret is dropped.
func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain error": "plain error",
		"a\nb\n\tc":   "a b c",
		"x.wit:3:18: expected ')', found '->'\n   |\n 3 |   f: func(x: u32 -> string;\n   |                  ^": "x.wit:3:18: expected ')', found '->' (line 3: f: func(x: u32 -> string;)",
		"table | column\nnext | line": "table | column next | line",
		// Only line breaks and tabs go: a value's own spaces stay.
		`unknown key "b  c" (did you mean "b c"?)`:         `unknown key "b  c" (did you mean "b c"?)`,
		"expected \"a  b\",\n    actual \"a b\"":           `expected "a  b", actual "a b"`,
		"  lead\r\n\tthen\ttab\r\n\r\nend  ":               "lead then tab end",
		"\n\nafter blank lines\n  \n":                      "after blank lines",
		"trap\nwasm stack trace:\n\tmod.f(i32)\n\tmod.g()": "trap wasm stack trace: mod.f(i32) mod.g()",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJSONDataAfter: a JSON input (a wfcompat manifest, a Vercel manifest
// or event list) followed by more data is reported by its own reader, at
// the data, not taken for a binary with a bad magic number.
func TestJSONDataAfter(t *testing.T) {
	dir := t.TempDir()
	man := filepath.Join(dir, "m.json")
	if code, _, stderr := run(t, "manifest", "../../../../testdata/examples/golem/v1.wasm", "-o", man); code != ExitOK {
		t.Fatalf("manifest: %s", stderr)
	}
	b, err := os.ReadFile(man)
	if err != nil {
		t.Fatal(err)
	}
	files := testfiles.Write(t, map[string]string{
		"manifest.json": string(b) + "x",
		"vercel.json":   `{"steps": {}}` + "\nx",
		"events.json":   `[{"eventType":"run_created","runId":"wrun_1","eventData":{"workflowName":"workflow//./w//w","input":[]}}]` + " x",
	})
	for _, tc := range []struct{ file, want string }{
		{"manifest.json", "invalid JSON: data after the top-level value"},
		{"vercel.json", "vercel.json:2:1 (byte 14): invalid JSON: data after the manifest"},
		{"events.json", "invalid JSON: data after the event list"},
	} {
		code, stdout, stderr := run(t, "inspect", filepath.Join(files, tc.file))
		if code != ExitError || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "magic") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("inspect %s: exit %d, stdout %q, stderr %q, want %q", tc.file, code, stdout, stderr, tc.want)
		}
	}
}
