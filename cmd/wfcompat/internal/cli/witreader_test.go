package cli

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/internal/testfiles"
)

// witEnv returns an IO whose environment holds only
// WFCOMPAT_WIT_READER=reader.
func witEnv(reader string) (*IO, *bytes.Buffer, *bytes.Buffer) {
	io, out, errb := Test()
	io.Getenv = func(k string) string {
		if k == witReaderEnv {
			return reader
		}
		return ""
	}
	return io, out, errb
}

// fixedWIT is WIT with a fixed-size list, which the native reader reads
// and the wasm-tools of go.bytecodealliance.org does not decode: it tells
// the readers apart.
const fixedWIT = "package a:b;\ninterface i {\n  f: func(x: list<u32, 4>);\n}\nworld w { export i; }\n"

// TestWITReaderNative: without WFCOMPAT_WIT_READER, or with any value
// other than wasm-tools, WIT is read natively, in every build.
func TestWITReaderNative(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"fixed.wit": fixedWIT})
	for _, env := range []string{"", "native"} {
		io, out, errb := witEnv(env)
		if code := Main([]string{"inspect", filepath.Join(dir, "fixed.wit")}, io); code != ExitOK {
			t.Errorf("%s=%q: exit %d\n%s%s", witReaderEnv, env, code, out, errb)
		}
	}
}
