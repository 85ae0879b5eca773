package core

import (
	"fmt"
	"strings"
)

// ValType is a value type, encoded as its binary byte.
type ValType byte

// Value types.
const (
	I32       ValType = 0x7F
	I64       ValType = 0x7E
	F32       ValType = 0x7D
	F64       ValType = 0x7C
	V128      ValType = 0x7B
	FuncRef   ValType = 0x70
	ExternRef ValType = 0x6F
)

func (t ValType) valid() bool {
	return (t >= V128 && t <= I32) || t == FuncRef || t == ExternRef
}

// String returns the text-format name ("i32", "funcref", ...).
func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	}
	return fmt.Sprintf("valtype(0x%02x)", byte(t))
}

// FuncType is an entry of the type section.
type FuncType struct {
	Off, End uint32 // byte range of the entry, from its 0x60 form byte
	Params   []ValType
	Results  []ValType
}

// String returns the signature in text-format style,
// e.g. "(func (param i32 i32) (result i64))".
func (t *FuncType) String() string {
	var b strings.Builder
	b.WriteString("(func")
	list := func(kw string, ts []ValType) {
		if len(ts) == 0 {
			return
		}
		b.WriteString(" (" + kw)
		for _, v := range ts {
			b.WriteString(" " + v.String())
		}
		b.WriteString(")")
	}
	list("param", t.Params)
	list("result", t.Results)
	b.WriteString(")")
	return b.String()
}

// Limits are the size limits of a table or memory.
type Limits struct {
	Min    uint64
	Max    uint64 // meaningful only if HasMax
	HasMax bool
	// Is64 marks a 64-bit memory (memory64 proposal): its addresses are
	// i64 and its bounds u64.
	Is64 bool
}

// TableType is the type of a table.
type TableType struct {
	Elem   ValType // FuncRef or ExternRef
	Limits Limits
}

// GlobalType is the type of a global.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// ExternKind is the kind of an import or export.
type ExternKind byte

// Extern kinds.
const (
	KindFunc   ExternKind = 0x00
	KindTable  ExternKind = 0x01
	KindMemory ExternKind = 0x02
	KindGlobal ExternKind = 0x03
)

// String returns "func", "table", "memory" or "global".
func (k ExternKind) String() string {
	switch k {
	case KindFunc:
		return "func"
	case KindTable:
		return "table"
	case KindMemory:
		return "memory"
	case KindGlobal:
		return "global"
	}
	return fmt.Sprintf("kind(0x%02x)", byte(k))
}

// decodeTypeSection decodes the type section.
func (d *decoder) decodeTypeSection(m *Module) {
	off := d.pos
	n := d.count("type", 1) // at least the form byte; GC forms are reported below
	if !d.limit(off, uint64(n), MaxTypes, "types") {
		return
	}
	m.Types = make([]FuncType, 0, capHint(n))
	for i := 0; i < n && d.err == nil; i++ {
		t := FuncType{Off: uint32(d.pos)}
		off := d.pos
		if form := d.byte(); form != 0x60 && d.err == nil {
			note := ""
			switch form {
			case 0x4E, 0x4F, 0x50, 0x5E, 0x5F:
				note = " (GC proposal)"
			}
			d.failf(off, form, "unsupported type form 0x%02x%s", form, note)
			return
		}
		t.Params = d.valTypes("parameter")
		t.Results = d.valTypes("result")
		t.End = uint32(d.pos)
		m.Types = append(m.Types, t)
	}
}

func (d *decoder) valTypes(what string) []ValType {
	off := d.pos
	n := d.count(what, 1)
	if n == 0 || !d.limit(off, uint64(n), MaxFuncParams, what+"s") {
		return nil
	}
	ts := make([]ValType, n)
	for i := range ts {
		ts[i] = d.valType()
	}
	return ts
}
