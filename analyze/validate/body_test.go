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
