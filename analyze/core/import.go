package core

// Import is an entry of the import section. Which of TypeIndex, Table,
// Memory and Global is meaningful depends on Kind.
type Import struct {
	Off, End  uint32 // byte range of the entry
	Module    string
	Name      string
	Kind      ExternKind
	TypeIndex uint32     // KindFunc: index into Module.Types
	Table     TableType  // KindTable
	Memory    Limits     // KindMemory
	Global    GlobalType // KindGlobal
}

func (d *decoder) decodeImportSection(m *Module) {
	off0 := d.pos
	n := d.count("import", 4) // module name, name, kind, type
	if !d.limit(off0, uint64(n), MaxImports, "imports") {
		return
	}
	m.Imports = make([]Import, 0, capHint(n))
	for i := 0; i < n && d.err == nil; i++ {
		im := Import{Off: uint32(d.pos)}
		im.Module = d.name("import module name")
		im.Name = d.name("import name")
		off := d.pos
		im.Kind = ExternKind(d.byte())
		switch im.Kind {
		case KindFunc:
			im.TypeIndex = d.index("type", len(m.Types))
		case KindTable:
			im.Table = d.tableType()
		case KindMemory:
			im.Memory = d.limits(true)
		case KindGlobal:
			im.Global = d.globalType()
		case 0x04:
			d.failf(off, byte(im.Kind), "unsupported import kind 0x04 (tag, exception handling proposal)")
		default:
			d.failf(off, byte(im.Kind), "malformed import kind 0x%02x", byte(im.Kind))
		}
		im.End = uint32(d.pos)
		if im.Kind <= KindGlobal {
			d.imported[im.Kind]++
			d.kindLimit(int(im.Off), im.Kind)
		}
		m.Imports = append(m.Imports, im)
	}
}

// kindLimit checks the size of kind k's index space after an addition.
func (d *decoder) kindLimit(off int, k ExternKind) {
	switch k {
	case KindFunc:
		d.limit(off, uint64(d.numFuncs()), MaxFuncs, "functions")
	case KindTable:
		d.limit(off, uint64(d.numTables()), MaxTables, "tables")
	case KindMemory:
		d.limit(off, uint64(d.numMems()), MaxMemories, "memories")
	case KindGlobal:
		d.limit(off, uint64(d.numGlobals()), MaxGlobals, "globals")
	}
}

func (d *decoder) decodeFunctionSection(m *Module) {
	off := d.pos
	n := d.count("function", 1)
	if !d.limit(off, uint64(d.numFuncs())+uint64(n), MaxFuncs, "functions") {
		return
	}
	m.Funcs = make([]uint32, 0, capHint(n))
	for i := 0; i < n && d.err == nil; i++ {
		m.Funcs = append(m.Funcs, d.index("type", len(m.Types)))
	}
}

// Table is an entry of the table section.
type Table struct {
	Off, End uint32 // byte range of the entry
	Type     TableType
	// Init is the initializer of the 0x40 0x00 form (function references
	// proposal, Wasm 3.0), or nil for the plain form.
	Init *ConstExpr
}

func (d *decoder) decodeTableSection(m *Module) {
	off := d.pos
	n := d.count("table", 3)
	if !d.limit(off, uint64(d.numTables())+uint64(n), MaxTables, "tables") {
		return
	}
	m.Tables = make([]Table, 0, capHint(n))
	for i := 0; i < n && d.err == nil; i++ {
		t := Table{Off: uint32(d.pos)}
		if d.pos < d.end && d.b[d.pos] == 0x40 {
			d.pos++
			off := d.pos
			if c := d.byte(); c != 0x00 && d.err == nil {
				d.failf(off, c, "malformed table with initializer: expected 0x00, got 0x%02x", c)
				return
			}
			t.Type = d.tableType()
			e := d.constExpr(m)
			t.Init = &e
		} else {
			t.Type = d.tableType()
		}
		t.End = uint32(d.pos)
		m.Tables = append(m.Tables, t)
	}
}

// Memory is an entry of the memory section.
type Memory struct {
	Off, End uint32 // byte range of the entry
	Limits   Limits
}

func (d *decoder) decodeMemorySection(m *Module) {
	off := d.pos
	n := d.count("memory", 2)
	if !d.limit(off, uint64(d.numMems())+uint64(n), MaxMemories, "memories") {
		return
	}
	m.Memories = make([]Memory, 0, capHint(n))
	for i := 0; i < n && d.err == nil; i++ {
		mem := Memory{Off: uint32(d.pos)}
		mem.Limits = d.limits(true)
		mem.End = uint32(d.pos)
		m.Memories = append(m.Memories, mem)
	}
}

// Global is an entry of the global section.
type Global struct {
	Off, End uint32 // byte range of the entry
	Type     GlobalType
	Init     ConstExpr
}

func (d *decoder) decodeGlobalSection(m *Module) {
	off := d.pos
	n := d.count("global", 3)
	if !d.limit(off, uint64(d.numGlobals())+uint64(n), MaxGlobals, "globals") {
		return
	}
	m.Globals = make([]Global, 0, capHint(n))
	for i := 0; i < n && d.err == nil; i++ {
		g := Global{Off: uint32(d.pos)}
		g.Type = d.globalType()
		g.Init = d.constExpr(m)
		g.End = uint32(d.pos)
		m.Globals = append(m.Globals, g)
	}
}

// Export is an entry of the export section.
type Export struct {
	Off, End uint32 // byte range of the entry
	Name     string
	Kind     ExternKind
	Index    uint32 // index in the Kind's index space
}

func (d *decoder) decodeExportSection(m *Module) {
	off := d.pos
	n := d.count("export", 3)
	if !d.limit(off, uint64(n), MaxExports, "exports") {
		return
	}
	m.Exports = make([]Export, 0, capHint(n))
	var space [4]int
	space[KindFunc], space[KindTable] = d.numFuncs(), d.numTables()
	space[KindMemory], space[KindGlobal] = d.numMems(), d.numGlobals()
	for i := 0; i < n && d.err == nil; i++ {
		e := Export{Off: uint32(d.pos)}
		e.Name = d.name("export name")
		off := d.pos
		e.Kind = ExternKind(d.byte())
		switch {
		case d.err != nil:
		case e.Kind <= KindGlobal:
			e.Index = d.index(e.Kind.String(), space[e.Kind])
		case e.Kind == 0x04:
			d.failf(off, byte(e.Kind), "unsupported export kind 0x04 (tag, exception handling proposal)")
		default:
			d.failf(off, byte(e.Kind), "malformed export kind 0x%02x", byte(e.Kind))
		}
		e.End = uint32(d.pos)
		m.Exports = append(m.Exports, e)
	}
}

func (d *decoder) decodeStartSection(m *Module) {
	m.Start = d.index("start function", d.numFuncs())
	m.HasStart = d.err == nil
}

func (d *decoder) decodeDataCountSection(m *Module) {
	m.DataCount = d.u32()
	m.HasDataCount = d.err == nil
}
