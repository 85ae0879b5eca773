package abi

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// src draws choices from fuzz input bytes; once they run out every choice
// is 0, so any input gives a finite type and value.
type src struct{ b []byte }

func (s *src) u8() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *src) intn(n int) int { return int(s.u8()) % n }

func (s *src) u64() uint64 {
	var b [8]byte
	for i := range b {
		b[i] = s.u8()
	}
	return binary.LittleEndian.Uint64(b[:])
}

var genResource = tResource("res")

var scalarKinds = []wit.Kind{wit.Bool, wit.S8, wit.U8, wit.S16, wit.U16, wit.S32, wit.U32,
	wit.S64, wit.U64, wit.F32, wit.F64, wit.Char, wit.String}

// genType draws a type the synchronous canonical ABI supports. borrows
// says whether borrow<res> may appear.
func genType(s *src, depth int, borrows bool) *wit.Type {
	n := 24
	if depth >= 4 {
		n = len(scalarKinds)
	}
	switch k := s.intn(n); {
	case k < len(scalarKinds):
		return wit.Prim(scalarKinds[k])
	case k == 13:
		return tList(genType(s, depth+1, borrows))
	case k == 14:
		return tArray(genType(s, depth+1, borrows), uint32(1+s.intn(4)))
	case k == 15:
		fs := make([]wit.Field, 1+s.intn(4))
		for i := range fs {
			fs[i] = fld("f"+strconv.Itoa(i), genType(s, depth+1, borrows))
		}
		return tRecord(fs...)
	case k == 16:
		es := make([]*wit.Type, 1+s.intn(4))
		for i := range es {
			es[i] = genType(s, depth+1, borrows)
		}
		return tTuple(es...)
	case k == 17:
		cs := make([]wit.Case, 1+s.intn(5))
		for i := range cs {
			cs[i].Name = "c" + strconv.Itoa(i)
			if s.intn(3) != 0 {
				cs[i].Type = genType(s, depth+1, borrows)
			}
		}
		return tVariant(cs...)
	case k == 18:
		n := 1 + s.intn(5)
		if s.intn(8) == 0 {
			n = 250 + s.intn(20) // across the u8/u16 discriminant boundary
		}
		return tEnum(labels(n)...)
	case k == 19:
		return tFlags(labels(1 + s.intn(32))...)
	case k == 20:
		return tOption(genType(s, depth+1, borrows))
	case k == 21:
		var ok, err *wit.Type
		if s.intn(3) != 0 {
			ok = genType(s, depth+1, borrows)
		}
		if s.intn(3) != 0 {
			err = genType(s, depth+1, borrows)
		}
		return tResult(ok, err)
	case k == 22:
		return tOwn(genResource)
	default:
		if borrows {
			return tBorrow(genResource)
		}
		return tOwn(genResource)
	}
}

var sampleStrings = []string{"", "a", "hi", "\x00", "\u0080", "ab\u00efc", "\u01ffy", "a\ud7ffb",
	"\uf123\uf123abc", "😀", "x😀y\u00ff", "latin\u00e9"}

// genValue draws a value of t.
func genValue(s *src, t *wit.Type) value.Value {
	switch t.Kind {
	case wit.Bool:
		return value.Bool(s.u8()&1 != 0)
	case wit.S8:
		return value.S8(int8(s.u8()))
	case wit.U8:
		return value.U8(s.u8())
	case wit.S16:
		return value.S16(int16(s.u64()))
	case wit.U16:
		return value.U16(uint16(s.u64()))
	case wit.S32:
		return value.S32(int32(s.u64()))
	case wit.U32:
		return value.U32(uint32(s.u64()))
	case wit.S64:
		return value.S64(int64(s.u64()))
	case wit.U64:
		return value.U64(s.u64())
	case wit.F32:
		return value.F32(math.Float32frombits(uint32(s.u64())))
	case wit.F64:
		return value.F64(math.Float64frombits(s.u64()))
	case wit.Char:
		r := rune(s.u64() % 0x110000)
		if r >= 0xD800 && r <= 0xDFFF {
			r -= 0x800
		}
		return value.Char(r)
	case wit.String:
		if s.intn(4) == 0 {
			var b []rune
			for range s.intn(12) {
				b = append(b, []rune{'a', 0xe9, 0x1ff, 0xf123, 0x1f600, 0}[s.intn(6)])
			}
			return value.String(string(b))
		}
		return value.String(sampleStrings[s.intn(len(sampleStrings))])
	case wit.List:
		n := int(t.Len)
		if n == 0 {
			n = s.intn(5)
		}
		es := make([]value.Value, n)
		for i := range es {
			es[i] = genValue(s, t.Elem)
		}
		return value.List(es...)
	case wit.Record:
		fs := make([]value.Value, len(t.Fields))
		for i, f := range t.Fields {
			fs[i] = genValue(s, f.Type)
		}
		return value.Record(fs...)
	case wit.Tuple:
		es := make([]value.Value, len(t.Elems))
		for i, e := range t.Elems {
			es[i] = genValue(s, e)
		}
		return value.Tuple(es...)
	case wit.Variant:
		c := s.intn(len(t.Cases))
		if t.Cases[c].Type == nil {
			return value.Variant(c)
		}
		return value.Variant(c, genValue(s, t.Cases[c].Type))
	case wit.Enum:
		return value.Enum(s.intn(len(t.Labels)))
	case wit.Flags:
		return value.Flags(s.u64() & (1<<len(t.Labels) - 1))
	case wit.Option:
		if s.intn(2) == 0 {
			return value.None()
		}
		return value.Some(genValue(s, t.Elem))
	case wit.Result:
		c := s.intn(2)
		p := t.Ok
		if c == 1 {
			p = t.Err
		}
		var ps []value.Value
		if p != nil {
			ps = []value.Value{genValue(s, p)}
		}
		if c == 0 {
			return value.Ok(ps...)
		}
		return value.Err(ps...)
	case wit.Own:
		return value.Own(uint32(s.u64()))
	case wit.Borrow:
		return value.Borrow(uint32(s.u64()))
	}
	panic("genValue: " + string(t.Kind))
}
