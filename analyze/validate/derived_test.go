package validate

import (
	"slices"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// derivedBase is (module (global (mut i32)) (elem declare func 0)
// (func global.set 0 (i32.const 1); drop (ref.func 0))): its one body
// reads the global's mutability and the declared references.
func derivedBase() []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	b = append(b, sec(1, 1, 0x60, 0, 0)...)
	b = append(b, sec(3, 1, 0)...)
	b = append(b, sec(6, 1, 0x7f, 1, 0x41, 0, 0x0b)...)
	b = append(b, sec(9, 1, 3, 0, 1, 0)...)
	body := []byte{0, 0x41, 1, 0x24, 0, 0xd2, 0, 0x1a, 0x0b}
	return append(b, sec(10, append([]byte{1, byte(len(body))}, body...)...)...)
}

// TestDerived checks that Derived skips only bodies whose validity
// follows from the base module's, and type-checks every body when the
// context a body reads changed.
func TestDerived(t *testing.T) {
	base, err := core.Decode(derivedBase())
	if err != nil {
		t.Fatal(err)
	}
	valid, err := Check(base)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() *core.Module {
		m, err := core.Decode(derivedBase())
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, tc := range []struct {
		name     string
		change   func(m *core.Module)
		wantSkip int
		wantErr  string
	}{
		{"unchanged", func(*core.Module) {}, 1, ""},
		{"a type appended", func(m *core.Module) {
			m.Types = append(slices.Clip(m.Types), core.FuncType{Params: []core.ValType{core.I32}})
		}, 1, ""},
		{"the global made immutable", func(m *core.Module) { m.Globals[0].Type.Mutable = false }, 0, "global.set of immutable global 0"},
		{"the global's type changed", func(m *core.Module) {
			m.Globals[0].Type.Type = core.I64
			m.Globals[0].Init.Instrs[0].Op = core.OpI64Const
		}, 0, "expected i64, found i32"},
		{"the declaration of ref.func dropped", func(m *core.Module) { m.Elements = nil }, 0, "not declared"},
		{"the function's type changed", func(m *core.Module) {
			m.Types = []core.FuncType{{Results: []core.ValType{core.I32}}}
		}, 0, "operand stack underflow"},
		{"the body changed", func(m *core.Module) {
			c := &m.Code[0]
			body := slices.Clone(c.Body)
			body[1] = 0x42 // i64.const 1 where i32.const 1 was
			c.Body = body
		}, 0, "expected i32, found i64"},
	} {
		m := clone()
		tc.change(m)
		skipped, err := valid.Derived(m)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.wantErr)
		case err == nil && skipped != tc.wantSkip:
			t.Errorf("%s: skipped %d bodies, want %d", tc.name, skipped, tc.wantSkip)
		}
		// Derived and Module agree on every variant.
		if merr := Module(m); (merr == nil) != (err == nil) {
			t.Errorf("%s: Derived says %v, Module %v", tc.name, err, merr)
		}
	}
}
