package core

// LocalDecl declares Count locals of type Type.
type LocalDecl struct {
	Count uint32
	Type  ValType
}

// Code is a function body from the code section. The raw entry, size prefix
// included, is b[Off:End]; the body (locals and instructions) is
// b[Start:End] and is also kept in Body.
type Code struct {
	Off      uint32 // offset of the body's size prefix
	Start    uint32 // first byte of the body: the local declaration count
	End      uint32 // end of the body (exclusive)
	InstrOff uint32 // offset of the first instruction
	Locals   []LocalDecl
	Body     []byte // b[Start:End], a sub-slice of the input
}

// NumLocals returns the number of locals declared by the body, parameters
// not included.
func (c *Code) NumLocals() uint64 {
	var n uint64
	for _, l := range c.Locals {
		n += uint64(l.Count)
	}
	return n
}

// Instrs returns a reader over the body's instructions. It allocates
// nothing; to decode many bodies, reuse one reader with Reset.
func (c *Code) Instrs() InstrReader {
	var r InstrReader
	r.ResetCode(c)
	return r
}

// Expr returns the body's instruction bytes, b[InstrOff:End].
func (c *Code) Expr() []byte {
	if c.InstrOff < c.Start || c.InstrOff > c.End || int(c.End-c.Start) > len(c.Body) {
		return nil
	}
	return c.Body[c.InstrOff-c.Start : c.End-c.Start]
}

// funcType returns the type of defined function i, or nil.
func (d *decoder) funcType(m *Module, i int) *FuncType {
	if i < 0 || i >= len(m.Funcs) || int(m.Funcs[i]) >= len(m.Types) {
		return nil
	}
	return &m.Types[m.Funcs[i]]
}

// decodeCodeSection decodes the code section and returns its entry count.
func (d *decoder) decodeCodeSection(m *Module) int {
	countOff := d.pos
	n := d.count("function body", 2)
	if d.err != nil {
		return 0
	}
	if n != len(m.Funcs) {
		d.failf(countOff, n, "code section has %d bodies but the function section declares %d functions", n, len(m.Funcs))
		return 0
	}
	m.Code = make([]Code, 0, capHint(n))
	// Local declarations of all bodies share one backing array.
	var locals []LocalDecl
	for i := 0; i < n && d.err == nil; i++ {
		m.Code = append(m.Code, Code{Off: uint32(d.pos)})
		c := &m.Code[i]
		size := d.u32()
		if d.err != nil {
			break
		}
		if uint64(size) > uint64(d.remaining()) {
			d.failf(int(c.Off), size, "function body size %d exceeds the %d remaining bytes of the %s", size, d.remaining(), d.where)
			break
		}
		c.Start = uint32(d.pos)
		c.End = c.Start + size
		c.Body = d.b[c.Start:c.End:c.End]
		// Decode the local declarations within the body.
		outerEnd, outerWhere := d.end, d.where
		d.end, d.where = int(c.End), "function body"
		k := d.count("local declaration", 2)
		if k > 0 {
			first := len(locals)
			// Parameters count against the limit too.
			var total uint64
			if ft := d.funcType(m, len(m.Code)-1); ft != nil {
				total = uint64(len(ft.Params))
			}
			for j := 0; j < k && d.err == nil; j++ {
				off := d.pos
				l := LocalDecl{Count: d.u32(), Type: d.valType()}
				total += uint64(l.Count)
				if d.err == nil && total > MaxFuncLocals {
					d.failf(off, total, "function %d declares %d locals (parameters included), more than the implementation limit of %d (wasmparser, wasmtime)", d.imported[KindFunc]+len(m.Code)-1, total, MaxFuncLocals)
				}
				locals = append(locals, l)
			}
			c.Locals = locals[first:len(locals):len(locals)]
		}
		c.InstrOff = uint32(d.pos)
		if d.err == nil && d.pos >= d.end {
			d.failf(d.pos, nil, "function body has no instructions (missing end)")
		}
		d.pos = int(c.End)
		d.end, d.where = outerEnd, outerWhere
	}
	if d.err != nil {
		m.Code = nil
	}
	return n
}
