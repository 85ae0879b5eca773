package component

// Core types appear in core type sections and in declarators. They are
// decoded only as far as needed to skip them and count the types they
// define; the core decoder (analyze/core) owns their meaning.

func (r *reader) coreType() CoreType {
	ct := CoreType{Off: int64(r.pos), Kind: CoreTypeRec, Types: 1}
	switch r.peek() {
	case 0x00:
		// A non-final sub type, prefixed to tell it from a module type.
		r.pos++
		if c := r.peek(); c != 0x50 && r.err == nil {
			r.failf(r.pos, c, "invalid core type 0x00 0x%02x (want 0x00 0x50, a non-final sub type)", c)
			break
		}
		r.subType()
	case 0x50:
		r.pos++
		ct.Kind = CoreTypeModule
		n := r.count("module type declarator", 2)
		for i := 0; i < n && r.err == nil; i++ {
			r.moduleDecl()
		}
	default:
		ct.Types, ct.Func = r.recGroup()
	}
	ct.End = int64(r.pos)
	return ct
}

// recGroup reads a rec group (or a single sub type) and returns the number
// of types it defines, and the function type when it is a single one.
func (r *reader) recGroup() (int, *CoreFuncType) {
	if r.peek() == 0x4e {
		r.pos++
		n := r.count("rec group type", 1)
		for i := 0; i < n && r.err == nil; i++ {
			r.subType()
		}
		return n, nil
	}
	return 1, r.subType()
}

func (r *reader) subType() *CoreFuncType {
	switch r.peek() {
	case 0x50, 0x4f:
		r.pos++
		n := r.count("supertype", 1)
		for i := 0; i < n && r.err == nil; i++ {
			r.u32()
		}
		r.compType()
		return nil
	}
	return r.compType()
}

func (r *reader) compType() *CoreFuncType {
	off := r.pos
	c := r.byte()
	if c == 0x65 { // shared
		off = r.pos
		c = r.byte()
	}
	switch c {
	case 0x60:
		var ft CoreFuncType
		n := r.count("core function parameter", 1)
		for i := 0; i < n && r.err == nil; i++ {
			ft.Params = append(ft.Params, r.coreValType())
		}
		m := r.count("core function result", 1)
		for i := 0; i < m && r.err == nil; i++ {
			ft.Results = append(ft.Results, r.coreValType())
		}
		return &ft
	case 0x5f:
		n := r.count("struct field", 2)
		for i := 0; i < n && r.err == nil; i++ {
			r.fieldType()
		}
	case 0x5e:
		r.fieldType()
	case 0x5d:
		r.s33()
	default:
		r.failf(off, c, "invalid core type opcode 0x%02x", c)
	}
	return nil
}

func (r *reader) fieldType() {
	switch r.peek() {
	case 0x78, 0x77: // i8, i16
		r.pos++
	default:
		r.coreValType()
	}
	r.bool("field mutability")
}

func isAbstractHeap(c byte) bool { return c >= 0x68 && c <= 0x75 }

func (r *reader) coreValType() byte {
	off := r.pos
	c := r.byte()
	switch {
	case c >= 0x7b && c <= 0x7f:
	case c == 0x63 || c == 0x64:
		r.heapType()
	case isAbstractHeap(c):
	default:
		r.failf(off, c, "invalid core value type 0x%02x", c)
	}
	return c
}

func (r *reader) heapType() {
	off := r.pos
	c := r.peek()
	if c == 0x65 { // shared abstract heap type
		r.pos++
		off = r.pos
		if c := r.byte(); !isAbstractHeap(c) && r.err == nil {
			r.failf(off, c, "invalid shared heap type 0x%02x", c)
		}
		return
	}
	v := r.s33()
	if r.err == nil && v < 0 && !(v >= -0x18 && v <= -0x0b) {
		r.failf(off, c, "invalid heap type 0x%02x", c)
	}
}

func (r *reader) moduleDecl() {
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		r.name("core import module name")
		r.name("core import name")
		r.importDesc()
	case 0x01:
		r.recGroup()
	case 0x02:
		sOff := r.pos
		if s := r.byte(); s != 0x10 && r.err == nil {
			r.failf(sOff, s, "invalid module type alias sort 0x%02x (want 0x10 type)", s)
		}
		tOff := r.pos
		if t := r.byte(); t != 0x01 && r.err == nil {
			r.failf(tOff, t, "invalid module type alias target 0x%02x (want 0x01 outer)", t)
		}
		r.u32()
		r.u32()
	case 0x03:
		r.name("core export name")
		r.importDesc()
	default:
		r.failf(off, c, "invalid module type declarator 0x%02x", c)
	}
}

func (r *reader) importDesc() {
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		r.u32()
	case 0x01:
		r.coreValType()
		r.limits(true)
	case 0x02:
		r.limits(false)
	case 0x03:
		r.coreValType()
		r.bool("global mutability")
	case 0x04:
		aOff := r.pos
		if a := r.byte(); a != 0 && r.err == nil {
			r.failf(aOff, a, "invalid tag attribute 0x%02x", a)
		}
		r.u32()
	default:
		r.failf(off, c, "invalid core import kind 0x%02x", c)
	}
}

func (r *reader) limits(table bool) {
	off := r.pos
	flags := r.byte()
	valid := byte(0x0f)
	if table {
		valid = 0x05
	}
	if r.err == nil && flags&^valid != 0 {
		r.failf(off, flags, "invalid limits flags 0x%02x", flags)
		return
	}
	read := func() {
		if flags&0x04 != 0 {
			r.u64()
		} else {
			r.u32()
		}
	}
	read()
	if flags&0x01 != 0 {
		read()
	}
	if flags&0x08 != 0 {
		r.u32() // log2 of a custom page size
	}
}
