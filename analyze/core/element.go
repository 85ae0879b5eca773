package core

import "slices"

// ElemMode is the mode of an element segment.
type ElemMode uint8

// Element segment modes.
const (
	ElemActive ElemMode = iota
	ElemPassive
	ElemDeclarative
)

// String returns "active", "passive" or "declarative".
func (m ElemMode) String() string {
	switch m {
	case ElemActive:
		return "active"
	case ElemPassive:
		return "passive"
	}
	return "declarative"
}

// Element is an element segment, in any of the eight encodings (Flags 0-7).
type Element struct {
	Off, End uint32 // byte range of the segment, from its flags
	Flags    uint32 // the encoding, 0-7
	Mode     ElemMode
	Table    uint32    // active segments: table index (0 unless Flags is 2 or 6)
	Offset   ConstExpr // active segments: offset in the table
	Type     ValType   // element type: FuncRef unless Flags 5-7 say otherwise
	ItemsOff uint32    // offset of the item vector's count
	// Funcs holds the function indices of index-form segments (Flags 0-3);
	// Exprs the initializers of expression-form segments (Flags 4-7).
	Funcs []uint32
	Exprs []ConstExpr
}

// Len returns the number of items in the segment.
func (e *Element) Len() int { return len(e.Funcs) + len(e.Exprs) }

func (d *decoder) decodeElementSection(m *Module) {
	off0 := d.pos
	n := d.count("element segment", 2)
	if !d.limit(off0, uint64(n), MaxElementSegments, "element segments") {
		return
	}
	m.Elements = make([]Element, 0, capHint(n))
	numFuncs, numTables := d.numFuncs(), d.numTables()
	for i := 0; i < n && d.err == nil; i++ {
		e := Element{Off: uint32(d.pos), Type: FuncRef}
		e.Flags = d.u32()
		if d.err == nil && e.Flags > 7 {
			d.failf(int(e.Off), e.Flags, "malformed element segment flags %d", e.Flags)
			return
		}
		switch e.Flags & 3 {
		case 1:
			e.Mode = ElemPassive
		case 3:
			e.Mode = ElemDeclarative
		}
		if e.Mode == ElemActive {
			tableOff := int(e.Off) // the implicit table 0 is blamed on the flags
			if e.Flags&2 != 0 {
				tableOff = d.pos
				e.Table = d.u32()
			}
			if d.err == nil && uint64(e.Table) >= uint64(numTables) {
				d.failf(tableOff, e.Table, "table index %d out of range (%d defined)", e.Table, numTables)
				return
			}
			e.Offset = d.constExpr(m)
		}
		exprs := e.Flags&4 != 0
		if e.Flags&3 != 0 { // elemkind or reftype
			if exprs {
				e.Type = d.refType()
			} else if off := d.pos; d.byte() != 0x00 && d.err == nil {
				d.failf(off, d.b[off], "unsupported element kind 0x%02x", d.b[off])
			}
		}
		e.ItemsOff = uint32(d.pos)
		if exprs {
			k := d.count("element expression", 2)
			if k > 0 {
				e.Exprs = make([]ConstExpr, 0, capHint(k))
			}
			for j := 0; j < k && d.err == nil; j++ {
				e.Exprs = append(e.Exprs, d.constExpr(m))
			}
		} else {
			k := d.count("element function index", 1)
			if k > 0 {
				e.Funcs = make([]uint32, 0, capHint(k))
			}
			for j := 0; j < k && d.err == nil; j++ {
				e.Funcs = append(e.Funcs, d.index("function", numFuncs))
			}
		}
		e.End = uint32(d.pos)
		m.Elements = append(m.Elements, e)
	}
}

// DataMode is the mode of a data segment.
type DataMode uint8

// Data segment modes.
const (
	DataActive DataMode = iota
	DataPassive
)

// String returns "active" or "passive".
func (m DataMode) String() string {
	if m == DataActive {
		return "active"
	}
	return "passive"
}

// Data is a data segment, in any of the three encodings (Flags 0-2).
type Data struct {
	Off, End uint32 // byte range of the segment, from its flags
	Flags    uint32 // the encoding, 0-2
	Mode     DataMode
	Memory   uint32    // active segments: memory index (0 unless Flags is 2)
	Offset   ConstExpr // active segments: offset in memory
	InitOff  uint32    // offset of the first byte of Init
	Init     []byte    // the bytes, a sub-slice of the input
}

func (d *decoder) decodeDataSection(m *Module) {
	countOff := d.pos
	n := d.count("data segment", 2)
	if !d.limit(countOff, uint64(n), MaxDataSegments, "data segments") {
		return
	}
	if d.err == nil && m.HasDataCount && uint32(n) != m.DataCount {
		d.failf(countOff, n, "data section has %d segments but the data count section declares %d", n, m.DataCount)
		return
	}
	m.Data = make([]Data, 0, capHint(n))
	// Active segments have one offset instruction each (wallets have
	// thousands): room for them up front instead of doubling the slab.
	d.slab = slices.Grow(d.slab, capHint(n))
	numMems := d.numMems()
	for i := 0; i < n && d.err == nil; i++ {
		s := Data{Off: uint32(d.pos)}
		s.Flags = d.u32()
		switch {
		case d.err != nil:
			return
		case s.Flags > 2:
			d.failf(int(s.Off), s.Flags, "malformed data segment flags %d", s.Flags)
			return
		case s.Flags == 1:
			s.Mode = DataPassive
		default:
			memOff := int(s.Off) // the implicit memory 0 is blamed on the flags
			if s.Flags == 2 {
				memOff = d.pos
				s.Memory = d.u32()
			}
			if d.err == nil && uint64(s.Memory) >= uint64(numMems) {
				d.failf(memOff, s.Memory, "memory index %d out of range (%d defined)", s.Memory, numMems)
				return
			}
			s.Offset = d.constExpr(m)
		}
		lenOff := d.pos
		k := d.u32()
		if d.err == nil && uint64(k) > uint64(d.remaining()) {
			d.failf(lenOff, k, "data segment length %d exceeds the %d remaining bytes of the %s", k, d.remaining(), d.where)
			return
		}
		s.InitOff = uint32(d.pos)
		s.Init = d.bytes(int(k))
		s.End = uint32(d.pos)
		m.Data = append(m.Data, s)
	}
}
