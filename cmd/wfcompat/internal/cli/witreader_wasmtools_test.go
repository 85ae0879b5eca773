//go:build wasmtools

package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/internal/testfiles"
)

// TestWITReaderWasmTools: in a build with -tags wasmtools,
// WFCOMPAT_WIT_READER=wasm-tools reads WIT through the embedded wasm-tools
// (wit/wasmtools): a fixed-size list, which the native reader reads,
// fails with go.bytecodealliance.org's error, and WIT both read gives the
// same report.
func TestWITReaderWasmTools(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs the embedded wasm-tools")
	}
	dir := testfiles.Write(t, map[string]string{
		"fixed.wit": fixedWIT,
		"old.wit":   "package a:b;\ninterface i {\n  f: func(x: u32) -> string;\n}\nworld w { export i; }\n",
		"new.wit":   "package a:b;\ninterface i {\n  f: func(x: u32) -> string;\n  g: func();\n}\nworld w { export i; }\n",
	})
	io, out, errb := witEnv("wasm-tools")
	code := Main([]string{"inspect", filepath.Join(dir, "fixed.wit")}, io)
	if code != ExitError || !strings.Contains(errb.String(), "a kind go.bytecodealliance.org does not decode") {
		t.Errorf("fixed-size list through wasm-tools: exit %d, stdout %q, stderr %q; want go.bytecodealliance.org's error", code, out, errb)
	}

	args := []string{"diff", filepath.Join(dir, "old.wit"), filepath.Join(dir, "new.wit")}
	var reports [2]string
	for i, env := range []string{"", "wasm-tools"} {
		io, out, errb := witEnv(env)
		if code := Main(args, io); code != ExitOK {
			t.Fatalf("%s=%q: exit %d\n%s%s", witReaderEnv, env, code, out, errb)
		}
		reports[i] = out.String()
	}
	if reports[0] != reports[1] || reports[0] == "" {
		t.Errorf("reports differ (native, wasm-tools):\n%s\n%s", reports[0], reports[1])
	}
}

// TestWITBinaryDepsWasmTools: in a build with -tags wasmtools, WIT that
// needs binary WIT packages under deps/ (wit-parser's kinds-of-deps, whose
// deps/ hold a .wat and a .wasm package) is read through the embedded
// wasm-tools, without asking for it.
func TestWITBinaryDepsWasmTools(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs the embedded wasm-tools")
	}
	dir := filepath.Join(shared.ConformanceDir(), "wit-parser-ui", "kinds-of-deps")
	shared.Need(t, dir)
	io, out, errb := witEnv("")
	if code := Main([]string{"inspect", dir}, io); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	for _, want := range []string{"d:d/d", "e:e/e"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("inspect output lacks %s:\n%s", want, out)
		}
	}
}

// TestWITFeaturesWasmTools: go.bytecodealliance.org's LoadWIT always
// reads every @unstable feature, so restricted features under the
// wasm-tools reader (WFCOMPAT_WIT_READER=wasm-tools, or the fallback for
// binary WIT packages under deps/) are a usage error, never silently read
// in full; --all-wit-features, the default, goes through.
func TestWITFeaturesWasmTools(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{
		"w.wit":           featureWIT(""),
		"bin/main.wit":    "package app:main;\nworld w {\n  import dep:clock/clock;\n}\n",
		"bin/deps/c.wasm": "\x00asm\x0d\x00\x01\x00", // not read
	})
	in, bin := filepath.Join(dir, "w.wit"), filepath.Join(dir, "bin")
	for _, tc := range []struct {
		env  string
		args []string
		want string
	}{
		{"wasm-tools", []string{"inspect", "--wit-features", "x", in}, "wfcompat: " + in + ": WIT features only x: restricting WIT features is not supported by the wasm-tools reader"},
		{"wasm-tools", []string{"diff", "--wit-features", "", in, in}, "wfcompat: " + in + ": WIT features none: restricting WIT features is not supported by the wasm-tools reader"},
		{"", []string{"inspect", "--wit-features", "x", bin}, "wfcompat: " + bin + ": needs a binary WIT package under deps/, which only wasm-tools reads; WIT features only x: restricting"},
	} {
		io, out, errb := witEnv(tc.env)
		code := Main(tc.args, io)
		if code != ExitError || out.String() != "" || !strings.HasPrefix(errb.String(), tc.want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%s=%q wfcompat %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", witReaderEnv, tc.env, tc.args, code, out, errb, tc.want)
		}
	}
	if testing.Short() {
		t.Skip("-short: runs the embedded wasm-tools")
	}
	io, out, errb := witEnv("wasm-tools")
	if code := Main([]string{"inspect", "--all-wit-features", in}, io); code != ExitOK || !strings.Contains(out.String(), "gated") {
		t.Errorf("--all-wit-features through wasm-tools: exit %d, stderr %q; want exit 0, gated read:\n%s", code, errb, out)
	}
}
