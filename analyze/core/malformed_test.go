package core

import (
	"bytes"
	"errors"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// TestMalformed checks the exact error, offset included, for each kind of
// malformed or unsupported input. Offsets count from the start of the file:
// the header is 8 bytes, so the first section's id is at 0x8, its size at
// 0x9 and its payload at 0xa (sizes here are all one byte).
func TestMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "offset 0x0: unexpected end of file reading the magic number"},
		{"short magic", []byte{0, 'a'}, "offset 0x2: unexpected end of file reading the magic number"},
		{"wrong magic", []byte("\x00asn\x01\x00\x00\x00"), `offset 0x0: bad magic number "\x00asn", not a WebAssembly module`},
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00"), `offset 0x0: bad magic number "\x7fELF", not a WebAssembly module`},
		{"short version", []byte("\x00asm\x01\x00"), "offset 0x6: unexpected end of file reading the version"},
		{"wrong version", []byte("\x00asm\x02\x00\x00\x00"), "offset 0x4: unsupported version 0x2, want 1"},
		{"component", []byte("\x00asm\x0d\x00\x01\x00"), "offset 0x4: binary is a component (version 0x0d, layer 1), not a core module"},
		{"section size beyond end", cat(header, []byte{1, 0x80, 0x20}, make([]byte, 12)),
			"offset 0x9: expected section size within 12 remaining bytes, got 4096"},
		{"section size missing", cat(header, []byte{1}), "offset 0x9: unexpected end of file reading u32"},
		{"LEB too long", mod(sec(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)),
			"offset 0xa: u32 LEB128 integer representation too long"},
		{"LEB too large", mod(sec(1, 0xff, 0xff, 0xff, 0xff, 0x1f)),
			"offset 0xa: u32 LEB128 integer too large"},
		{"section size LEB too long", cat(header, []byte{0, 0x80, 0x80, 0x80, 0x80, 0x80, 0}),
			"offset 0x9: u32 LEB128 integer representation too long"},
		{"huge type count", mod(sec(1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x60, 0, 0)),
			"offset 0xa: type count 4294967295 cannot fit in the 3 remaining bytes of the type section"},
		{"huge param count", mod(sec(1, 1, 0x60, 0xff, 0xff, 0xff, 0xff, 0x0f, 0)),
			"offset 0xc: parameter count 4294967295 cannot fit in the 1 remaining bytes of the type section"},
		{"huge data length", mod(sec(5, 1, 0, 1), sec(11, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f)),
			"offset 0x11: data segment length 4294967295 exceeds the 0 remaining bytes of the data section"},
		{"huge body size", mod(typeVoid, funcOne, sec(10, 1, 0xff, 0xff, 0x03, 0, 0x0b)),
			"offset 0x15: function body size 65535 exceeds the 2 remaining bytes of the code section"},
		{"GC type form", mod(sec(1, 1, 0x4e, 0)), "offset 0xb: unsupported type form 0x4e (GC proposal)"},
		{"bad type form", mod(sec(1, 1, 0x40, 0)), "offset 0xb: unsupported type form 0x40"},
		{"bad value type", mod(sec(1, 1, 0x60, 1, 0x7a, 0)), "offset 0xd: unsupported value type 0x7a"},
		{"type index out of range", mod(typeVoid, sec(3, 1, 1)), "offset 0x11: type index 1 out of range (1 defined)"},
		{"import type out of range", mod(sec(2, 1, 0, 0, 0, 0)), "offset 0xe: type index 0 out of range (0 defined)"},
		{"import tag", mod(sec(2, 1, 0, 0, 4, 0)), "offset 0xd: unsupported import kind 0x04 (tag, exception handling proposal)"},
		{"bad mutability", mod(sec(6, 1, 0x7f, 2, 0x41, 0, 0x0b)), "offset 0xc: malformed mutability 0x02"},
		{"shared memory", mod(sec(5, 1, 3, 1, 1)), "offset 0xb: unsupported limits flags 0x03 (shared memory, threads proposal)"},
		{"table64", mod(sec(4, 1, 0x70, 4, 1)), "offset 0xc: unsupported limits flags 0x04 (64-bit table, table64 proposal)"},
		{"shared memory64", mod(sec(5, 1, 6, 1, 1)), "offset 0xb: unsupported limits flags 0x06 (shared memory, threads proposal)"},
		{"export function out of range", mod(typeVoid, funcOne, sec(7, 1, 1, 'f', 0, 1), codeOne(0x0b)),
			"offset 0x18: func index 1 out of range (1 defined)"},
		{"export tag", mod(sec(7, 1, 1, 'f', 4, 0)), "offset 0xd: unsupported export kind 0x04 (tag, exception handling proposal)"},
		{"start out of range", mod(typeVoid, funcOne, sec(8, 5), codeOne(0x0b)),
			"offset 0x14: start function index 5 out of range (1 defined)"},
		{"element function out of range", mod(typeVoid, funcOne, sec(4, 1, 0x70, 0, 1), sec(9, 1, 0, 0x41, 0, 0x0b, 1, 7), codeOne(0x0b)),
			"offset 0x20: function index 7 out of range (1 defined)"},
		{"element without table", mod(sec(9, 1, 0, 0x41, 0, 0x0b, 0)), "offset 0xb: table index 0 out of range (0 defined)"},
		{"element flags", mod(sec(9, 1, 8, 0)), "offset 0xb: malformed element segment flags 8"},
		{"element kind", mod(sec(9, 1, 1, 1, 0)), "offset 0xc: unsupported element kind 0x01"},
		{"ref.func out of range", mod(sec(6, 1, 0x70, 0, 0xd2, 3, 0x0b)), "offset 0xe: function index 3 out of range (0 defined)"},
		{"global.get out of range", mod(sec(6, 1, 0x7f, 0, 0x23, 0, 0x0b)), "offset 0xe: global index 0 out of range (0 defined)"},
		{"non-constant global init", mod(sec(6, 1, 0x7f, 0, 0x20, 0, 0x0b)), "offset 0xd: local.get is not allowed in a constant expression"},
		{"unterminated constant", mod(sec(6, 1, 0x7f, 0, 0x41, 0)), "offset 0xf: unexpected end of constant expression: missing end"},
		{"data without memory", mod(sec(11, 1, 0, 0x41, 0, 0x0b, 0)), "offset 0xb: memory index 0 out of range (0 defined)"},
		{"data flags", mod(sec(11, 1, 3, 0)), "offset 0xb: malformed data segment flags 3"},
		{"data count mismatch", mod(sec(12, 2), sec(11, 1, 1, 0)), "offset 0xd: data section has 1 segments but the data count section declares 2"},
		{"data section missing", mod(sec(12, 2)), "offset 0xb: data count section declares 2 segments but the data section is missing"},
		{"code count mismatch", mod(typeVoid, funcOne, sec(10, 0)), "offset 0x14: code section has 0 bodies but the function section declares 1 functions"},
		{"code section missing", mod(typeVoid, funcOne), "offset 0x12: function section declares 1 functions but the code section is missing"},
		{"code without functions", mod(codeOne(0x0b)), "offset 0xa: code section has 1 bodies but the function section declares 0 functions"},
		{"empty body", mod(typeVoid, funcOne, sec(10, 1, 1, 0)), "offset 0x17: function body has no instructions (missing end)"},
		{"too many locals", mod(typeVoid, funcOne, sec(10, 1, 10, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 1, 0x7f, 0x0b)),
			"offset 0x17: function 0 declares 4294967295 locals (parameters included), more than the implementation limit of 50000 (wasmparser, wasmtime)"},
		{"locals beyond the limit", mod(typeVoid, funcOne, sec(10, 1, 8, 2, 0xd0, 0x86, 0x03, 0x7f, 1, 0x7f, 0x0b)), // 50000 + 1
			"offset 0x1b: function 0 declares 50001 locals (parameters included), more than the implementation limit of 50000 (wasmparser, wasmtime)"},
		{"params count as locals", mod(sec(1, 1, 0x60, 1, 0x7f, 0), funcOne, sec(10, 1, 6, 1, 0xd0, 0x86, 0x03, 0x7f, 0x0b)), // 1 + 50000
			"offset 0x18: function 0 declares 50001 locals (parameters included), more than the implementation limit of 50000 (wasmparser, wasmtime)"},
		{"too many params", mod(sec(1, cat([]byte{1, 0x60, 0xe9, 0x07}, bytes.Repeat([]byte{0x7f}, 1001), []byte{0})...)),
			"offset 0xd: 1001 parameters exceed the implementation limit of 1000 (wasmparser, wasmtime)"},
		{"table too large", mod(sec(4, 1, 0x70, 0, 0xff, 0xff, 0xff, 0xff, 0x0f)), "offset 0xc: 4294967295 initial table slots exceed the implementation limit of 10000000 (wasmparser, wasmtime)"},
		{"too many tables", mod(sec(4, cat([]byte{0x65}, bytes.Repeat([]byte{0x70, 0, 0}, 101))...)), "offset 0xb: 101 tables exceed the implementation limit of 100 (wasmparser, wasmtime)"},
		{"out of order", mod(sec(5, 1, 0, 1), typeVoid), "offset 0xd: type section out of order (after memory section)"},
		{"data count after code", mod(typeVoid, funcOne, codeOne(0x0b), sec(12, 0)),
			"offset 0x18: data count section out of order (after code section)"},
		{"duplicate section", mod(typeVoid, typeVoid), "offset 0xe: duplicate type section"},
		{"tag section", mod(sec(13, 0)), "offset 0x8: unsupported section id 13 (tag section, exception handling proposal)"},
		{"unknown section", mod(sec(42, 0)), "offset 0x8: unsupported section id 42"},
		{"section size mismatch", mod(sec(1, 0, 0)), "offset 0xb: type section size mismatch: declared 2 bytes, decoded 1"},
		{"section content overruns", mod(sec(1, 1, 0x60, 0)), "offset 0xd: unexpected end of type section reading u32"},
		{"custom name overruns", mod(sec(0, 5, 'a')), "offset 0xa: custom section name length 5 exceeds the 1 remaining bytes of the custom section"},
		{"invalid UTF-8 name", mod(sec(7, 1, 1, 0xff, 0, 0)), "offset 0xc: export name is not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(tc.in)
			if err == nil {
				t.Fatalf("decoded %+v, want error %q", m, tc.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FormatError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

// TestMalformedCode checks errors found while decoding instructions; the
// module itself decodes. Bodies start at 0x17 (0x16 is the local count).
func TestMalformedCode(t *testing.T) {
	for _, tc := range []struct {
		name   string
		instrs []byte
		want   string
	}{
		{"huge br_table", []byte{0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0x0b},
			"offset 0x18: br_table target count 4294967295 cannot fit in the 2 remaining bytes of the function body"},
		{"try", []byte{0x06, 0x40, 0x0b, 0x0b}, "offset 0x17: unsupported opcode 0x06 (try, legacy exception handling)"},
		{"try_table", []byte{0x1f, 0x40, 0, 0x0b, 0x0b}, "offset 0x17: unsupported opcode 0x1f (try_table, exception handling)"},
		{"throw", []byte{0x01, 0x08, 0, 0x0b}, "offset 0x18: unsupported opcode 0x08 (throw, exception handling)"},
		{"call_ref", []byte{0x14, 0, 0x0b}, "offset 0x17: unsupported opcode 0x14 (call_ref, function references)"},
		{"GC prefix", []byte{0xfb, 0, 0, 0x0b}, "offset 0x17: unsupported opcode 0xfb (GC prefix)"},
		{"threads prefix", []byte{0xfe, 0, 0, 0, 0x0b}, "offset 0x17: unsupported opcode 0xfe (threads prefix)"},
		{"unknown byte", []byte{0x27, 0x0b}, "offset 0x17: unsupported opcode 0x27"},
		{"unknown 0xfc", []byte{0xfc, 0x12, 0x0b}, "offset 0x17: unsupported opcode 0xfc 0x12"},
		{"reserved 0xfd", []byte{0xfd, 0x9a, 0x01, 0x0b}, "offset 0x17: unsupported opcode 0xfd 0x9a"},
		{"beyond relaxed SIMD", []byte{0xfd, 0x94, 0x02, 0x0b}, "offset 0x17: unsupported opcode 0xfd 0x114"},
		{"missing end", []byte{0x01}, "offset 0x18: unexpected end of function body: missing end"},
		{"unclosed block", []byte{0x02, 0x40, 0x0b}, "offset 0x1a: unexpected end of function body: missing end"},
		{"data after end", []byte{0x0b, 0x01}, "offset 0x18: unexpected data after the final end of the function body"},
		{"truncated LEB", []byte{0x20, 0x80}, "offset 0x19: unexpected end of function body reading u32"},
		{"i32.const too large", []byte{0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x1a, 0x0b}, "offset 0x18: s32 LEB128 integer too large"},
		{"i64.const too long", []byte{0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b},
			"offset 0x18: s64 LEB128 integer representation too long"},
		{"f64.const truncated", []byte{0x44, 0, 0, 0}, "offset 0x1b: unexpected end of function body reading a 8-byte immediate"},
		{"block type ref", []byte{0x02, 0x63, 0x0b, 0x0b}, "offset 0x18: unsupported block type 0x63"},
		{"block type negative s33", []byte{0x02, 0xc0, 0x7f, 0x0b, 0x0b}, "offset 0x18: malformed block type -64"},
		{"block type s33 too long", []byte{0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b, 0x0b}, "offset 0x18: s33 block type LEB128 integer representation too long"},
		{"memarg flags", []byte{0x41, 0, 0x28, 0x80, 0x01, 0, 0x1a, 0x0b}, "offset 0x1a: malformed memarg flags 0x80"},
		{"typed select arity", []byte{0x1c, 2, 0x7f, 0x7f, 0x0b}, "offset 0x18: typed select must have exactly 1 result type, got 2"},
		{"ref.null type", []byte{0xd0, 0x7f, 0x0b}, "offset 0x18: unsupported reference type 0x7f"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(mod(typeVoid, funcOne, codeOne(tc.instrs...)))
			if err != nil {
				t.Fatal(err)
			}
			if m.Code[0].InstrOff != 0x17 {
				t.Fatalf("InstrOff = %#x", m.Code[0].InstrOff)
			}
			_, err = m.Instructions(0)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
			// The reader reports the same error.
			r := m.Code[0].Instrs()
			for r.Next() {
			}
			if r.Err() == nil || r.Err().Error() != tc.want {
				t.Errorf("reader error = %v", r.Err())
			}
		})
	}
}

// TestMultiMemoryMemarg checks the memarg form with an explicit memory.
func TestMultiMemoryMemarg(t *testing.T) {
	m, err := Decode(mod(typeVoid, funcOne, codeOne(0x41, 0, 0x28, 0x42, 3, 0x10, 0x1a, 0x0b)))
	if err != nil {
		t.Fatal(err)
	}
	ins, err := m.Instructions(0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ins[1].Mem, (MemArg{Align: 2, Mem: 3, Offset: 16, Explicit: true}); got != want {
		t.Errorf("memarg = %+v, want %+v", got, want)
	}
}

// TestTableInitExpr checks the 0x40 0x00 table form with an initializer.
func TestTableInitExpr(t *testing.T) {
	b := mod(typeVoid, funcOne, sec(4, 1, 0x40, 0x00, 0x70, 0x01, 2, 5, 0xd2, 0, 0x0b), codeOne(0x0b))
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	tab := m.Tables[0]
	if tab.Type != (TableType{FuncRef, Limits{Min: 2, Max: 5, HasMax: true}}) || tab.Init == nil || tab.Off != 0x15 || tab.End != 0x1e {
		t.Fatalf("table = %+v", tab)
	}
	if v, err := tab.Init.Eval(nil); err != nil || v != (Value{Type: FuncRef, Bits: 0}) {
		t.Errorf("init = %+v, %v", v, err)
	}
	if _, err := Decode(mod(sec(4, 1, 0x40, 0x01, 0x70, 0, 0))); err == nil ||
		err.Error() != "offset 0xc: malformed table with initializer: expected 0x00, got 0x01" {
		t.Errorf("bad table form: %v", err)
	}
}

// TestTruncated cuts real modules at many points: decoding must fail with a
// FormatError (or succeed only at a section boundary) and never panic.
func TestTruncated(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, name := range []string{"motoko-counter.wasm", "rust-counter.wasm"} {
		full := readFile(t, filepath.Join(corpusDir, name))
		m, err := Decode(full)
		if err != nil {
			t.Fatal(err)
		}
		boundary := map[int]bool{8: true}
		for _, s := range m.Sections {
			boundary[int(s.End)] = true
		}
		var cuts []int
		for i := 0; i < 4096 && i < len(full); i++ {
			cuts = append(cuts, i)
		}
		for i := 4096; i < len(full); i += 97 {
			cuts = append(cuts, i)
		}
		for _, s := range m.Sections { // around every section boundary
			for d := -3; d <= 3; d++ {
				if c := int(s.End) + d; c > 0 && c < len(full) {
					cuts = append(cuts, c)
				}
			}
		}
		for _, cut := range cuts {
			m, err := Decode(full[:cut:cut])
			if err == nil {
				if !boundary[cut] {
					t.Fatalf("%s cut at %#x: decoded without error", name, cut)
				}
				checkOffsets(t, m, full[:cut])
				continue
			}
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Off < 0 || fe.Off > int64(cut) {
				t.Fatalf("%s cut at %#x: bad error %v", name, cut, err)
			}
		}
	}
	// Truncated function bodies: the reader must fail, not panic.
	m, _ := decodeFile(t, filepath.Join(corpusDir, "motoko-counter.wasm"))
	for i := range m.Code {
		expr := m.Code[i].Expr()
		for cut := 0; cut < len(expr); cut += 1 + len(expr)/50 {
			var r InstrReader
			r.Reset(expr[:cut:cut], m.Code[i].InstrOff)
			for r.Next() {
			}
			if r.Err() == nil {
				t.Fatalf("body %d cut at %d: no error", i, cut)
			}
		}
	}
}

func TestZeroReader(t *testing.T) {
	var r InstrReader
	if r.Next() || r.Err() == nil {
		t.Errorf("zero reader: Next succeeded or no error")
	}
	var c Code
	r = c.Instrs()
	if r.Next() || r.Err() == nil {
		t.Errorf("zero Code: Next succeeded or no error")
	}
}

// TestHugeCountsDoNotAllocate checks that absurd counts are rejected before
// anything proportional to them is allocated.
func TestHugeCountsDoNotAllocate(t *testing.T) {
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f}
	pad := make([]byte, 64)
	for _, in := range [][]byte{
		mod(sec(1, cat(huge, pad)...)),                             // types
		mod(sec(2, cat(huge, pad)...)),                             // imports
		mod(sec(3, cat(huge, pad)...)),                             // functions
		mod(sec(9, cat(huge, pad)...)),                             // elements
		mod(sec(11, cat(huge, pad)...)),                            // data
		mod(typeVoid, sec(10, cat(huge, pad)...)),                  // code
		mod(sec(0, cat(str("name"), []byte{1, 69}, huge, pad)...)), // function names
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Decode(in)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
			t.Errorf("% x...: allocated %d bytes (err %v)", in[8:14], got, err)
		}
	}
}

// TestInstrReaderNoAlloc checks that decoding instructions does not
// allocate once a reader's br_table buffer has grown.
func TestInstrReaderNoAlloc(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	m, _ := decodeFile(t, filepath.Join(corpusDir, "rust-counter.wasm"))
	var r InstrReader
	n := 0
	allocs := testing.AllocsPerRun(3, func() {
		for i := range m.Code {
			r.ResetCode(&m.Code[i])
			for r.Next() {
				n++
			}
		}
	})
	if allocs != 0 || r.Err() != nil {
		t.Errorf("%v allocations per run over %d instructions, err %v", allocs, n, r.Err())
	}
}
