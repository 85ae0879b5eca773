package core

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// Paths of the shared test data, relative to this package.
var corpusDir = shared.CorpusDir() + "/ic"

const watDir = "../../testdata/wat"

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func corpusFiles(t testing.TB) []string {
	t.Helper()
	shared.Need(t, corpusDir)
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.wasm"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files in %s: %v", corpusDir, err)
	}
	return files
}

func decodeFile(t testing.TB, path string) (*Module, []byte) {
	t.Helper()
	b := readFile(t, path)
	m, err := Decode(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m, b
}

// Builders for hand-made binaries.

var header = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

func uleb(v uint64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			out = append(out, c|0x80)
			continue
		}
		return append(out, c)
	}
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sec encodes a section with the given payload.
func sec(id byte, payload ...byte) []byte {
	return cat([]byte{id}, uleb(uint64(len(payload))), payload)
}

// str encodes a name.
func str(s string) []byte { return cat(uleb(uint64(len(s))), []byte(s)) }

// mod prepends the header to sections.
func mod(sections ...[]byte) []byte { return cat(append([][]byte{header}, sections...)...) }

// Common sections: one type () -> (), one function of that type.
var (
	typeVoid = sec(1, 1, 0x60, 0, 0)
	funcOne  = sec(3, 1, 0)
)

// codeOne returns a code section with one body holding instrs (which
// must include the final end) and no locals.
func codeOne(instrs ...byte) []byte {
	body := cat([]byte{0}, instrs)
	return sec(10, cat([]byte{1}, uleb(uint64(len(body))), body)...)
}
