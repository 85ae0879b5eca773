package core

import (
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
)

// decoder is the cursor used for sections. b is the whole input so that
// positions are absolute file offsets; end bounds the section being decoded.
// Errors are sticky: after the first failure every read returns a zero value
// and err holds the first error, so loops only need to check err.
type decoder struct {
	b     []byte
	pos   int
	end   int
	where string  // "type section", for end-of-input errors
	slab  []Instr // backing array shared by the decoded constant expressions
	// imported counts each kind of import, set after the import section so
	// that index-space sizes cost O(1) while decoding.
	imported [4]int
	m        *Module
	err      error
}

func (d *decoder) fail(e *FormatError) {
	if d.err == nil {
		d.err = e
	}
}

func (d *decoder) failf(off int, val any, format string, args ...any) {
	if d.err == nil {
		d.err = errorf(off, val, format, args...)
	}
}

func (d *decoder) remaining() int { return d.end - d.pos }

// Index-space sizes of the module decoded so far.
func (d *decoder) numFuncs() int   { return d.imported[KindFunc] + len(d.m.Funcs) }
func (d *decoder) numTables() int  { return d.imported[KindTable] + len(d.m.Tables) }
func (d *decoder) numMems() int    { return d.imported[KindMemory] + len(d.m.Memories) }
func (d *decoder) numGlobals() int { return d.imported[KindGlobal] + len(d.m.Globals) }

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if d.pos >= d.end {
		d.failf(d.pos, nil, "unexpected end of %s", d.where)
		return 0
	}
	c := d.b[d.pos]
	d.pos++
	return c
}

// bytes returns the next n bytes as a sub-slice of the input.
func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > d.remaining() {
		d.failf(d.pos, nil, "unexpected end of %s", d.where)
		return nil
	}
	s := d.b[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	return s
}

func (d *decoder) u32() uint32 {
	if d.err != nil {
		return 0
	}
	v, p, st := wasmbin.ReadU32(d.b[:d.end], d.pos)
	if st != wasmbin.LEBOK {
		d.fail(lebError(st, d.pos, d.end, "u32", d.where))
		return 0
	}
	d.pos = p
	return v
}

// count reads a vector length and checks that count entries of at least
// minSize bytes each fit in the rest of the section, before anyone allocates.
func (d *decoder) count(what string, minSize int) int {
	off := d.pos
	n := d.u32()
	if d.err != nil {
		return 0
	}
	if uint64(n)*uint64(minSize) > uint64(d.remaining()) {
		d.failf(off, n, "%s count %d cannot fit in the %d remaining bytes of the %s", what, n, d.remaining(), d.where)
		return 0
	}
	return int(n)
}

// capHint bounds the capacity preallocated for a vector of n entries. Counts
// are checked against the remaining bytes before this, but an entry can be
// much larger in memory than its minimum encoding, so a dishonest count must
// not reserve memory for entries that are not there: beyond the hint,
// slices grow as entries actually decode.
func capHint(n int) int { return min(n, 1<<14) }

// index reads an index and checks it against the size n of its index space.
func (d *decoder) index(what string, n int) uint32 {
	off := d.pos
	x := d.u32()
	if d.err == nil && uint64(x) >= uint64(n) {
		d.failf(off, x, "%s index %d out of range (%d defined)", what, x, n)
		return 0
	}
	return x
}

// name reads a UTF-8 name.
func (d *decoder) name(what string) string {
	off := d.pos
	n := d.u32()
	if d.err != nil {
		return ""
	}
	if uint64(n) > uint64(d.remaining()) {
		d.failf(off, n, "%s length %d exceeds the %d remaining bytes of the %s", what, n, d.remaining(), d.where)
		return ""
	}
	s := d.b[d.pos : d.pos+int(n)]
	if !utf8.Valid(s) {
		d.failf(d.pos, nil, "%s is not valid UTF-8", what)
		return ""
	}
	d.pos += int(n)
	return string(s)
}

func (d *decoder) valType() ValType {
	off := d.pos
	t := ValType(d.byte())
	if d.err == nil && !t.valid() {
		d.failf(off, byte(t), "unsupported value type 0x%02x", byte(t))
	}
	return t
}

func (d *decoder) refType() ValType {
	off := d.pos
	t := ValType(d.byte())
	if d.err == nil && t != FuncRef && t != ExternRef {
		d.failf(off, byte(t), "unsupported reference type 0x%02x", byte(t))
	}
	return t
}

// limits decodes the limits of a memory (mem true) or table. Flags 0x04
// and 0x05 are the memory64 proposal's 64-bit memories, whose bounds are
// u64; tables are 32-bit (table64 is not supported).
func (d *decoder) limits(mem bool) Limits {
	off := d.pos
	var l Limits
	flag := d.byte()
	switch {
	case flag == 0x00 || flag == 0x01:
		l.Min = uint64(d.u32())
		if flag == 0x01 {
			l.Max, l.HasMax = uint64(d.u32()), true
		}
	case mem && (flag == 0x04 || flag == 0x05):
		l.Is64 = true
		l.Min = d.u64()
		if flag == 0x05 {
			l.Max, l.HasMax = d.u64(), true
		}
	default:
		if d.err == nil {
			note := ""
			switch {
			case flag == 0x02 || flag == 0x03 || flag == 0x06 || flag == 0x07:
				note = " (shared memory, threads proposal)"
			case flag == 0x04 || flag == 0x05:
				note = " (64-bit table, table64 proposal)"
			}
			d.failf(off, flag, "unsupported limits flags 0x%02x%s", flag, note)
		}
	}
	return l
}

func (d *decoder) u64() uint64 {
	if d.err != nil {
		return 0
	}
	v, p, st := wasmbin.ReadUnsigned(d.b[:d.end], d.pos, 64)
	if st != wasmbin.LEBOK {
		d.fail(lebError(st, d.pos, d.end, "u64", d.where))
		return 0
	}
	d.pos = p
	return v
}

func (d *decoder) tableType() TableType {
	t := TableType{Elem: d.refType()}
	off := d.pos
	t.Limits = d.limits(false)
	d.limit(off, t.Limits.Min, MaxTableEntries, "initial table slots")
	return t
}

func (d *decoder) globalType() GlobalType {
	t := GlobalType{Type: d.valType()}
	off := d.pos
	switch m := d.byte(); m {
	case 0:
	case 1:
		t.Mutable = true
	default:
		d.failf(off, m, "malformed mutability 0x%02x", m)
	}
	return t
}
