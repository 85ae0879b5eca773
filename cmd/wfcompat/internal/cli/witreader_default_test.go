//go:build !wasmtools

package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/testfiles"
)

// TestWITReaderWithoutWasmTools: a build without -tags wasmtools refuses
// WFCOMPAT_WIT_READER=wasm-tools with one usage line and exit status 2,
// before reading any input, whatever the command.
func TestWITReaderWithoutWasmTools(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"fixed.wit": fixedWIT})
	in := filepath.Join(dir, "fixed.wit")
	const want = "wfcompat: WFCOMPAT_WIT_READER=wasm-tools: this wfcompat was built without the wasm-tools reader; build with -tags wasmtools\n"
	for _, args := range [][]string{
		{"inspect", in},
		{"diff", in, in},
		{"diff", filepath.Join(dir, "missing"), in},
	} {
		io, out, errb := witEnv("wasm-tools")
		code := Main(args, io)
		if code != ExitError || errb.String() != want || out.String() != "" {
			t.Errorf("wfcompat %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", args, code, out, errb, want)
		}
	}
}

// TestWITBinaryDeps: WIT that needs a binary WIT package under deps/,
// which this build does not read, fails with one line naming the
// reference and the binary package, and saying how to convert it.
func TestWITBinaryDeps(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{
		"main.wit":        "package app:main;\nworld w {\n  import dep:clock/clock;\n}\n",
		"deps/clock.wasm": "\x00asm\x0d\x00\x01\x00", // not read
	})
	io, out, errb := witEnv("")
	code := Main([]string{"inspect", dir}, io)
	msg := errb.String()
	if code != ExitError || out.String() != "" || strings.Count(msg, "\n") != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and one line", code, out, msg)
	}
	bin := filepath.Join(dir, "deps", "clock.wasm")
	for _, want := range []string{
		"wfcompat: " + filepath.Join(dir, "main.wit") + ":3:10: package 'dep:clock' not found",
		"binary WIT packages are not read: " + bin,
		"`wasm-tools component wit " + bin + " -o " + filepath.Join(dir, "deps", "clock.wit") + "`",
		"-tags wasmtools",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr %q\nlacks %q", msg, want)
		}
	}
}
