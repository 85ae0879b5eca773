package core

import "sort"

// Index-space helpers. They compute from the Module's fields on each call,
// so they stay correct if a caller edits the Module; all are cheap (linear
// in the number of imports or exports at most, binary search in names).

func (m *Module) imported(k ExternKind) int {
	n := 0
	for i := range m.Imports {
		if m.Imports[i].Kind == k {
			n++
		}
	}
	return n
}

// ImportedFuncs returns the number of imported functions; defined
// functions' indices start after them.
func (m *Module) ImportedFuncs() int { return m.imported(KindFunc) }

// ImportedTables returns the number of imported tables.
func (m *Module) ImportedTables() int { return m.imported(KindTable) }

// ImportedMemories returns the number of imported memories.
func (m *Module) ImportedMemories() int { return m.imported(KindMemory) }

// ImportedGlobals returns the number of imported globals.
func (m *Module) ImportedGlobals() int { return m.imported(KindGlobal) }

// NumFuncs returns the size of the function index space.
func (m *Module) NumFuncs() int { return m.ImportedFuncs() + len(m.Funcs) }

// NumTables returns the size of the table index space.
func (m *Module) NumTables() int { return m.ImportedTables() + len(m.Tables) }

// NumMemories returns the size of the memory index space.
func (m *Module) NumMemories() int { return m.ImportedMemories() + len(m.Memories) }

// NumGlobals returns the size of the global index space.
func (m *Module) NumGlobals() int { return m.ImportedGlobals() + len(m.Globals) }

// FuncImport returns the import of function funcIndex, or nil if the
// function is not imported.
func (m *Module) FuncImport(funcIndex uint32) *Import {
	n := uint32(0)
	for i := range m.Imports {
		if m.Imports[i].Kind == KindFunc {
			if n == funcIndex {
				return &m.Imports[i]
			}
			n++
		}
	}
	return nil
}

// FuncCode returns the body of function funcIndex, or nil if the function is
// imported or out of range.
func (m *Module) FuncCode(funcIndex uint32) *Code {
	i := int64(funcIndex) - int64(m.ImportedFuncs())
	if i < 0 || i >= int64(len(m.Code)) {
		return nil
	}
	return &m.Code[i]
}

// FuncTypeIndex returns the type index of function funcIndex, imported or
// defined.
func (m *Module) FuncTypeIndex(funcIndex uint32) (uint32, bool) {
	n := uint32(0)
	for i := range m.Imports {
		if m.Imports[i].Kind == KindFunc {
			if n == funcIndex {
				return m.Imports[i].TypeIndex, true
			}
			n++
		}
	}
	if i := uint64(funcIndex) - uint64(n); i < uint64(len(m.Funcs)) {
		return m.Funcs[i], true
	}
	return 0, false
}

// FuncType returns the type of function funcIndex, or nil if the function or
// its type is out of range.
func (m *Module) FuncType(funcIndex uint32) *FuncType {
	t, ok := m.FuncTypeIndex(funcIndex)
	if !ok || uint64(t) >= uint64(len(m.Types)) {
		return nil
	}
	return &m.Types[t]
}

// FuncName returns the name of function funcIndex: from the name section
// if it names the function, else the name of its first export, else "".
func (m *Module) FuncName(funcIndex uint32) string {
	if m.Names != nil {
		fs := m.Names.Funcs
		i := sort.Search(len(fs), func(i int) bool { return fs[i].Index >= funcIndex })
		if i < len(fs) && fs[i].Index == funcIndex {
			return fs[i].Name
		}
	}
	return m.ExportName(KindFunc, funcIndex)
}

// TableExportName returns the name of the first export of table tableIndex,
// or "" if it is not exported.
func (m *Module) TableExportName(tableIndex uint32) string {
	return m.ExportName(KindTable, tableIndex)
}

// ExportName returns the name of the first export of the item of kind k at
// index, or "".
func (m *Module) ExportName(k ExternKind, index uint32) string {
	for i := range m.Exports {
		if e := &m.Exports[i]; e.Kind == k && e.Index == index {
			return e.Name
		}
	}
	return ""
}

// LocalName returns the name of local localIndex of function funcIndex from
// the name section, or "".
func (m *Module) LocalName(funcIndex, localIndex uint32) string {
	if m.Names == nil {
		return ""
	}
	ls := m.Names.Locals
	i := sort.Search(len(ls), func(i int) bool { return ls[i].Index >= funcIndex })
	if i == len(ls) || ls[i].Index != funcIndex {
		return ""
	}
	ns := ls[i].Names
	j := sort.Search(len(ns), func(j int) bool { return ns[j].Index >= localIndex })
	if j < len(ns) && ns[j].Index == localIndex {
		return ns[j].Name
	}
	return ""
}
