package validate

import (
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/core"
)

func sec(id byte, payload ...byte) []byte {
	return append([]byte{id, byte(len(payload))}, payload...)
}

// module returns a module with one memory (limits bytes mem), one
// function of type (func) whose body is code (locals and instructions).
func module(mem []byte, code ...byte) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	b = append(b, sec(1, 1, 0x60, 0, 0)...)
	b = append(b, sec(3, 1, 0)...)
	if mem != nil {
		b = append(b, sec(5, append([]byte{1}, mem...)...)...)
	}
	body := append([]byte{byte(len(code))}, code...)
	return append(b, sec(10, append([]byte{1}, body...)...)...)
}

// TestBodies covers the typing rules the corpora exercise least: memory64
// addresses and offsets, multi-memory, select, branches.
func TestBodies(t *testing.T) {
	mem32, mem64 := []byte{0, 1}, []byte{4, 1}
	u64big := []byte{0x80, 0x80, 0x80, 0x80, 0x10} // 2^32
	for _, tc := range []struct {
		name string
		in   []byte
		want string // "" valid, else part of the error
	}{
		{"i32 load", module(mem32, 0, 0x41, 0, 0x28, 2, 0, 0x1a, 0x0b), ""},
		{"i64 address on a 32-bit memory", module(mem32, 0, 0x42, 0, 0x28, 2, 0, 0x1a, 0x0b), "expected i32, found i64"},
		{"i64 address on a 64-bit memory", module(mem64, 0, 0x42, 0, 0x28, 2, 0, 0x1a, 0x0b), ""},
		{"i32 address on a 64-bit memory", module(mem64, 0, 0x41, 0, 0x28, 2, 0, 0x1a, 0x0b), "expected i64, found i32"},
		{"offset 2^32 on a 64-bit memory", module(mem64, append(append([]byte{0, 0x42, 0, 0x29, 3}, u64big...), 0x1a, 0x0b)...), ""},
		{"offset 2^32 on a 32-bit memory", module(mem32, append(append([]byte{0, 0x41, 0, 0x29, 3}, u64big...), 0x1a, 0x0b)...), "beyond a 32-bit memory"},
		{"memory.size of a 64-bit memory is i64", module(mem64, 0, 0x3f, 0, 0x50, 0x1a, 0x0b), ""},
		{"memory.grow of a 64-bit memory takes i64", module(mem64, 0, 0x41, 0, 0x40, 0, 0x1a, 0x0b), "expected i64, found i32"},
		{"alignment", module(mem32, 0, 0x41, 0, 0x28, 3, 0, 0x1a, 0x0b), "exceeds the natural alignment"},
		{"memory index", module(mem32, 0, 0x41, 0, 0x28, 0x42, 1, 0, 0x1a, 0x0b), "memory 1 out of range"},
		{"no memory", module(nil, 0, 0x41, 0, 0x28, 2, 0, 0x1a, 0x0b), "memory 0 out of range"},
		{"select mismatch", module(nil, 0, 0x41, 0, 0x42, 0, 0x41, 0, 0x1b, 0x1a, 0x0b), "select of i32 and i64"},
		{"br_if keeps values", module(nil, 0, 0x02, 0x7f, 0x41, 1, 0x41, 0, 0x0d, 0, 0x0b, 0x1a, 0x0b), ""},
		{"unreachable is polymorphic", module(nil, 0, 0x00, 0x6a, 0x1a, 0x0b), ""},
		{"leftover value", module(nil, 0, 0x41, 0, 0x0b), "values left at the end"},
		{"local out of range", module(nil, 0, 0x20, 0, 0x1a, 0x0b), "local 0 out of range"},
		{"if without else changes the stack", module(nil, 0, 0x41, 0, 0x04, 0x7f, 0x41, 0, 0x0b, 0x1a, 0x0b), "if without else"},
	} {
		m, err := core.Decode(tc.in)
		if err != nil {
			t.Errorf("%s: decode: %v", tc.name, err)
			continue
		}
		err = Module(m)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// fastProgram returns a module whose first function (no parameters or
// results; locals i32, i64, f32, f64) has body code; function 1 is
// (param i32) (result i32); global 0 is a mutable i32, global 1 an
// immutable i64; the memory is 64-bit if mem64.
func fastProgram(mem64 bool, code []byte) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	b = append(b, sec(1, 2, 0x60, 0, 0, 0x60, 1, 0x7f, 1, 0x7f)...)
	b = append(b, sec(3, 2, 0, 1)...)
	mem := []byte{0, 1}
	if mem64 {
		mem = []byte{4, 1}
	}
	b = append(b, sec(5, append([]byte{1}, mem...)...)...)
	b = append(b, sec(6, 2, 0x7f, 1, 0x41, 0, 0x0b, 0x7e, 0, 0x42, 0, 0x0b)...)
	body := append([]byte{4, 1, 0x7f, 1, 0x7e, 1, 0x7d, 1, 0x7c}, code...)
	body = append(body, 0x0b)
	payload := append([]byte{2, byte(len(body))}, body...)
	payload = append(payload, 4, 0, 0x20, 0, 0x0b)
	return append(b, sec(10, payload...)...)
}

// fastAlphabet are the instructions TestFastPathPrograms draws from: every
// form the fast path takes, wrong operands and indices, and neighbours it
// leaves to the general path.
var fastAlphabet = [][]byte{
	{0x20, 0}, {0x20, 1}, {0x20, 2}, {0x20, 3}, {0x20, 4}, {0x20, 0x80, 0}, {0x21, 0}, {0x21, 1}, {0x21, 3}, {0x21, 9},
	{0x22, 0}, {0x22, 1}, {0x22, 2}, {0x23, 0}, {0x23, 1}, {0x23, 2}, {0x24, 0}, {0x24, 1}, {0x24, 0x80, 0},
	{0x41, 0}, {0x41, 0x80, 0x01}, {0x41, 0xff, 0xff, 0xff, 0xff, 0x07}, {0x42, 0x7f}, {0x42, 0x80, 0x80, 0x01},
	{0x43, 0, 0, 0, 0}, {0x1a}, {0x1b}, {0x10, 0}, {0x10, 1}, {0x10, 2}, {0x10, 0x81, 0},
	{0x02, 0x40}, {0x02, 0x7f}, {0x02, 0x7e}, {0x02, 0x7b}, {0x02, 0}, {0x03, 0x40}, {0x03, 0x7f}, {0x04, 0x40}, {0x04, 0x7f},
	{0x05}, {0x0b}, {0x0b}, {0x0c, 0}, {0x0c, 1}, {0x0c, 2}, {0x0c, 9}, {0x0d, 0}, {0x0d, 1}, {0x0d, 3}, {0x0f}, {0x00}, {0x01},
	{0x6a}, {0x45}, {0x7c}, {0x92}, {0xa7}, {0xac}, {0xbc}, {0x50}, {0x46},
	{0x28, 2, 0}, {0x28, 3, 0}, {0x28, 2, 0x80, 0x01}, {0x28, 0x40, 0, 0}, {0x29, 3, 4}, {0x2c, 0, 0}, {0x2a, 2, 0},
	{0x36, 2, 0}, {0x37, 3, 0}, {0x3a, 0, 0}, {0x3a, 1, 0}, {0x38, 2, 0}, {0x3f, 0}, {0x40, 0},
}

// TestFastPathPrograms holds the fast path to the general one on random
// programs over fastAlphabet: the same verdict, message and offset.
func TestFastPathPrograms(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	x := uint64(7)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	valid := 0
	for i := 0; i < n; i++ {
		var code []byte
		for k := next() % 14; k > 0; k-- {
			code = append(code, fastAlphabet[next()%uint64(len(fastAlphabet))]...)
		}
		m, err := core.Decode(fastProgram(next()%4 == 0, code))
		if err != nil {
			t.Fatalf("%x: %v", code, err)
		}
		if Module(m) == nil {
			valid++
		}
		checkFastPath(t, m)
	}
	t.Logf("%d programs, %d valid", n, valid)
}
