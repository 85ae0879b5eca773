package rewrite

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze/core"
)

// moduleFiles returns the core modules used as encoder test input.
func moduleFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{shared.CorpusDir() + "/ic/*.wasm", "../testdata/wat/*.wasm"} {
		fs, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	if len(files) == 0 {
		t.Fatal("no test modules")
	}
	return files
}

func decodeFile(t testing.TB, path string) ([]byte, *core.Module) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.Decode(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b, m
}

// ignoreOffsets compares decoded modules without the byte positions, which
// legitimately differ after re-encoding.
var ignoreOffsets = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	if !ok {
		return false
	}
	switch sf.Name() {
	case "Off", "End", "Start", "InstrOff", "ItemsOff", "InitOff", "DataOff", "Body", "Data", "Sections", "Subsections":
		return true
	}
	return false
}, cmp.Ignore())

func TestEncodeRoundTrip(t *testing.T) {
	for _, f := range moduleFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, m := decodeFile(t, f)
			// Verbatim: nothing touched gives the input back.
			e := &Encoder{Src: src}
			got, err := e.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, src) {
				t.Fatalf("untouched encode differs from input (%d vs %d bytes)", len(got), len(src))
			}
			// Every section touched, entries still carry their ranges: the
			// same bytes unless the input used non-minimal section sizes.
			e = &Encoder{Src: src}
			e.Touch(sectionOrder[:]...)
			got, err = e.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			m2, err := core.Decode(got)
			if err != nil {
				t.Fatalf("touched encode does not decode: %v", err)
			}
			if d := cmp.Diff(m, m2, ignoreOffsets); d != "" {
				t.Fatalf("touched encode changed the module (-in +out):\n%s", d)
			}
			// From the structs alone.
			fresh, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			m3, err := core.Decode(fresh)
			if err != nil {
				t.Fatalf("struct encode does not decode: %v", err)
			}
			if d := cmp.Diff(m, m3, ignoreOffsets); d != "" {
				t.Fatalf("struct encode changed the module (-in +out):\n%s", d)
			}
			for i := range m.Code {
				if !bytes.Equal(m.Code[i].Body, m3.Code[i].Body) {
					t.Fatalf("body %d differs", i)
				}
			}
			again, err := Encode(m3)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, fresh) {
				t.Fatal("struct encoding is not idempotent")
			}
		})
	}
}

// TestAppendInstr re-encodes every instruction of the test modules and
// decodes it again.
func TestAppendInstr(t *testing.T) {
	n := 0
	for _, f := range moduleFiles(t) {
		_, m := decodeFile(t, f)
		for ci := range m.Code {
			ins, err := m.Code[ci].Instructions()
			if err != nil {
				t.Fatal(err)
			}
			var buf []byte
			for _, in := range ins {
				buf, err = AppendInstr(buf[:0], in)
				if err != nil {
					t.Fatalf("%s: %s: %v", f, in.Op, err)
				}
				if in.Op == core.OpEnd {
					continue
				}
				// Decode the single instruction, closing it with an end.
				var r core.InstrReader
				expr := append(buf, byte(core.OpEnd))
				if in.Op == core.OpBlock || in.Op == core.OpLoop || in.Op == core.OpIf {
					expr = append(expr, byte(core.OpEnd))
				}
				r.Reset(expr, in.Off)
				if !r.Next() {
					t.Fatalf("%s: %s at 0x%x: %v", f, in.Op, in.Off, r.Err())
				}
				got := r.Instr()
				want := in
				if !slices.Equal(want.Targets, got.Targets) {
					t.Fatalf("%s: %s at 0x%x: targets %v, want %v", f, in.Op, in.Off, got.Targets, want.Targets)
				}
				want.Targets, got.Targets = nil, nil
				if !reflect.DeepEqual(want, got) {
					t.Fatalf("%s: %s at 0x%x round trip:\n got %+v\nwant %+v", f, in.Op, in.Off, got, want)
				}
				n++
			}
		}
	}
	t.Logf("%d instructions re-encoded", n)
}
