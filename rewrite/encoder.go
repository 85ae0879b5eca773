package rewrite

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// Encoder writes a core module. With Src set to the bytes the module was
// decoded from, it copies every section that was not touched verbatim, and
// in touched sections every entry that still carries its source range
// (Off < End within Src); an entry whose Off and End are zero is encoded
// from its fields. To change an existing entry, set its Off and End to zero
// and Touch its section. Without Src, everything is encoded from the
// structs.
//
// Custom sections are written from Custom.Data, except the name section
// after TouchNames, which is rebuilt from Module.Names (function names) and
// Src (the other subsections).
type Encoder struct {
	Src   []byte
	dirty [core.SectionDataCount + 1]bool
	names bool
}

// Touch marks sections as changed: they are re-encoded from the Module.
func (e *Encoder) Touch(ids ...core.SectionID) {
	for _, id := range ids {
		if int(id) < len(e.dirty) {
			e.dirty[id] = true
		}
	}
}

// TouchNames marks the name section's function names as changed.
func (e *Encoder) TouchNames() { e.names = true }

// Encode encodes m without source bytes.
func Encode(m *core.Module) ([]byte, error) { return (&Encoder{}).Encode(m) }

// sectionOrder lists the non-custom sections in their required order.
var sectionOrder = [...]core.SectionID{
	core.SectionType, core.SectionImport, core.SectionFunction, core.SectionTable, core.SectionMemory,
	core.SectionGlobal, core.SectionExport, core.SectionStart, core.SectionElement, core.SectionDataCount,
	core.SectionCode, core.SectionData,
}

// Encode encodes m.
func (e *Encoder) Encode(m *core.Module) ([]byte, error) {
	// Where each existing section sits, and which custom sections follow
	// which non-custom section (anchor -1: before all of them).
	var present [core.SectionDataCount + 1]*core.Section
	anchorOf := map[int]int{} // index in m.Sections of a custom section → rank of the section before it
	rank := -1
	for i := range m.Sections {
		s := &m.Sections[i]
		if s.ID == core.SectionCustom {
			anchorOf[i] = rank
			continue
		}
		if int(s.ID) < len(present) {
			present[s.ID] = s
		}
		for r, id := range sectionOrder {
			if id == s.ID {
				rank = r
			}
		}
	}
	size := 8
	if e.Src != nil {
		size = len(e.Src) + len(e.Src)/16 + 64
	}
	out := make([]byte, 0, size)
	out = append(out, 0x00, 'a', 's', 'm', 1, 0, 0, 0)
	customs := 0 // index into m.Customs, in file order
	emitCustoms := func(r int) error {
		for i := range m.Sections {
			if m.Sections[i].ID != core.SectionCustom {
				continue
			}
			if a, ok := anchorOf[i]; !ok || a != r {
				continue
			}
			c := e.customFor(m, &m.Sections[i], &customs)
			if c == nil {
				continue
			}
			var err error
			if out, err = e.appendCustom(out, m, c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := emitCustoms(-1); err != nil {
		return nil, err
	}
	for r, id := range sectionOrder {
		sec := present[id]
		if sec != nil && e.Src != nil && !e.dirty[id] {
			out = append(out, e.Src[sec.Off:sec.End]...)
		} else if sec != nil || hasContent(m, id) {
			var err error
			if out, err = e.appendSection(out, m, id); err != nil {
				return nil, fmt.Errorf("encode %s section: %w", id, err)
			}
		}
		if err := emitCustoms(r); err != nil {
			return nil, err
		}
	}
	// Custom sections of a module built from scratch (no Sections).
	if len(m.Sections) == 0 {
		for i := range m.Customs {
			var err error
			if out, err = e.appendCustom(out, m, &m.Customs[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// customFor returns the Custom entry of custom section s.
func (e *Encoder) customFor(m *core.Module, s *core.Section, next *int) *core.Custom {
	for i := *next; i < len(m.Customs); i++ {
		if m.Customs[i].Off == s.Off {
			*next = i + 1
			return &m.Customs[i]
		}
	}
	return nil
}

func hasContent(m *core.Module, id core.SectionID) bool {
	switch id {
	case core.SectionType:
		return len(m.Types) > 0
	case core.SectionImport:
		return len(m.Imports) > 0
	case core.SectionFunction, core.SectionCode:
		return len(m.Funcs) > 0
	case core.SectionTable:
		return len(m.Tables) > 0
	case core.SectionMemory:
		return len(m.Memories) > 0
	case core.SectionGlobal:
		return len(m.Globals) > 0
	case core.SectionExport:
		return len(m.Exports) > 0
	case core.SectionStart:
		return m.HasStart
	case core.SectionElement:
		return len(m.Elements) > 0
	case core.SectionDataCount:
		return m.HasDataCount
	case core.SectionData:
		return len(m.Data) > 0
	}
	return false
}

// raw returns the source bytes of an entry, or nil if it must be encoded.
func (e *Encoder) raw(off, end uint32) []byte {
	if e.Src == nil || off >= end || int(end) > len(e.Src) {
		return nil
	}
	return e.Src[off:end]
}

// appendSection encodes section id from m's fields.
func (e *Encoder) appendSection(out []byte, m *core.Module, id core.SectionID) ([]byte, error) {
	out = append(out, byte(id))
	// Reserve a 5-byte size and fix it afterwards: one copy less than
	// building the payload separately, which matters for the code section.
	sizeAt := len(out)
	out = append(out, 0, 0, 0, 0, 0)
	start := len(out)
	var err error
	switch id {
	case core.SectionType:
		out = e.appendTypes(out, m)
	case core.SectionImport:
		out = e.appendImports(out, m)
	case core.SectionFunction:
		out = appendU32(out, uint32(len(m.Funcs)))
		for _, t := range m.Funcs {
			out = appendU32(out, t)
		}
	case core.SectionTable:
		out, err = e.appendTables(out, m)
	case core.SectionMemory:
		out = appendU32(out, uint32(len(m.Memories)))
		for i := range m.Memories {
			if r := e.raw(m.Memories[i].Off, m.Memories[i].End); r != nil {
				out = append(out, r...)
			} else {
				out = appendLimits(out, m.Memories[i].Limits)
			}
		}
	case core.SectionGlobal:
		out, err = e.appendGlobals(out, m)
	case core.SectionExport:
		out = appendU32(out, uint32(len(m.Exports)))
		for i := range m.Exports {
			x := &m.Exports[i]
			if r := e.raw(x.Off, x.End); r != nil {
				out = append(out, r...)
				continue
			}
			out = appendName(out, x.Name)
			out = append(out, byte(x.Kind))
			out = appendU32(out, x.Index)
		}
	case core.SectionStart:
		out = appendU32(out, m.Start)
	case core.SectionElement:
		out, err = e.appendElements(out, m)
	case core.SectionDataCount:
		out = appendU32(out, m.DataCount)
	case core.SectionCode:
		out, err = e.appendCode(out, m)
	case core.SectionData:
		out, err = e.appendData(out, m)
	}
	if err != nil {
		return out, err
	}
	n := len(out) - start
	if uint64(n) > 0xFFFFFFFF {
		return out, fmt.Errorf("section of %d bytes is too large", n)
	}
	// Write the size in its shortest form, moving the payload down.
	size := uint32(n)
	if k := sizeU32(size); k < 5 {
		copy(out[sizeAt+k:], out[start:])
		out = out[:len(out)-(5-k)]
	}
	appendU32(out[sizeAt:sizeAt], size)
	return out, nil
}

func (e *Encoder) appendTypes(out []byte, m *core.Module) []byte {
	out = appendU32(out, uint32(len(m.Types)))
	for i := range m.Types {
		t := &m.Types[i]
		if r := e.raw(t.Off, t.End); r != nil {
			out = append(out, r...)
			continue
		}
		out = appendFuncType(out, t)
	}
	return out
}

func appendFuncType(out []byte, t *core.FuncType) []byte {
	out = append(out, 0x60)
	out = appendU32(out, uint32(len(t.Params)))
	for _, v := range t.Params {
		out = append(out, byte(v))
	}
	out = appendU32(out, uint32(len(t.Results)))
	for _, v := range t.Results {
		out = append(out, byte(v))
	}
	return out
}

func (e *Encoder) appendImports(out []byte, m *core.Module) []byte {
	out = appendU32(out, uint32(len(m.Imports)))
	for i := range m.Imports {
		im := &m.Imports[i]
		if r := e.raw(im.Off, im.End); r != nil {
			out = append(out, r...)
			continue
		}
		out = appendName(out, im.Module)
		out = appendName(out, im.Name)
		out = append(out, byte(im.Kind))
		switch im.Kind {
		case core.KindFunc:
			out = appendU32(out, im.TypeIndex)
		case core.KindTable:
			out = appendTableType(out, im.Table)
		case core.KindMemory:
			out = appendLimits(out, im.Memory)
		case core.KindGlobal:
			out = appendGlobalType(out, im.Global)
		}
	}
	return out
}

func appendLimits(out []byte, l core.Limits) []byte {
	flags := byte(0x00)
	if l.HasMax {
		flags |= 0x01
	}
	if l.Is64 {
		flags |= 0x04
	}
	out = appendU64(append(out, flags), l.Min)
	if l.HasMax {
		out = appendU64(out, l.Max)
	}
	return out
}

func appendTableType(out []byte, t core.TableType) []byte {
	return appendLimits(append(out, byte(t.Elem)), t.Limits)
}

func appendGlobalType(out []byte, t core.GlobalType) []byte {
	mut := byte(0)
	if t.Mutable {
		mut = 1
	}
	return append(out, byte(t.Type), mut)
}

func (e *Encoder) appendTables(out []byte, m *core.Module) ([]byte, error) {
	out = appendU32(out, uint32(len(m.Tables)))
	for i := range m.Tables {
		t := &m.Tables[i]
		if r := e.raw(t.Off, t.End); r != nil {
			out = append(out, r...)
			continue
		}
		if t.Init == nil {
			out = appendTableType(out, t.Type)
			continue
		}
		out = append(out, 0x40, 0x00)
		out = appendTableType(out, t.Type)
		var err error
		if out, err = appendConstExpr(out, t.Init); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (e *Encoder) appendGlobals(out []byte, m *core.Module) ([]byte, error) {
	out = appendU32(out, uint32(len(m.Globals)))
	for i := range m.Globals {
		g := &m.Globals[i]
		if r := e.raw(g.Off, g.End); r != nil {
			out = append(out, r...)
			continue
		}
		out = appendGlobalType(out, g.Type)
		var err error
		if out, err = appendConstExpr(out, &g.Init); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (e *Encoder) appendElements(out []byte, m *core.Module) ([]byte, error) {
	out = appendU32(out, uint32(len(m.Elements)))
	for i := range m.Elements {
		el := &m.Elements[i]
		if r := e.raw(el.Off, el.End); r != nil {
			out = append(out, r...)
			continue
		}
		var err error
		if out, err = AppendElement(out, el); err != nil {
			return out, fmt.Errorf("element segment %d: %w", i, err)
		}
	}
	return out, nil
}

// AppendElement appends the encoding of element segment el in the
// encoding its Flags name (0-7).
func AppendElement(out []byte, el *core.Element) ([]byte, error) {
	if el.Flags > 7 {
		return out, fmt.Errorf("bad element segment flags %d", el.Flags)
	}
	exprs := el.Flags&4 != 0
	if exprs && el.Funcs != nil || !exprs && el.Exprs != nil {
		return out, fmt.Errorf("element segment flags %d do not match its items", el.Flags)
	}
	out = appendU32(out, el.Flags)
	var err error
	if el.Flags&1 == 0 { // active
		if el.Flags&2 != 0 {
			out = appendU32(out, el.Table)
		} else if el.Table != 0 {
			return out, fmt.Errorf("element segment flags %d cannot name table %d", el.Flags, el.Table)
		}
		if out, err = appendConstExpr(out, &el.Offset); err != nil {
			return out, err
		}
	}
	if el.Flags&3 != 0 {
		if exprs {
			out = append(out, byte(el.Type))
		} else {
			out = append(out, 0x00) // elemkind funcref
		}
	}
	if exprs {
		out = appendU32(out, uint32(len(el.Exprs)))
		for k := range el.Exprs {
			if out, err = appendConstExpr(out, &el.Exprs[k]); err != nil {
				return out, err
			}
		}
		return out, nil
	}
	out = appendU32(out, uint32(len(el.Funcs)))
	for _, f := range el.Funcs {
		out = appendU32(out, f)
	}
	return out, nil
}

func (e *Encoder) appendCode(out []byte, m *core.Module) ([]byte, error) {
	if len(m.Code) != len(m.Funcs) {
		return out, fmt.Errorf("%d function bodies for %d functions", len(m.Code), len(m.Funcs))
	}
	out = appendU32(out, uint32(len(m.Code)))
	for i := range m.Code {
		c := &m.Code[i]
		if r := e.raw(c.Off, c.End); r != nil {
			out = append(out, r...)
			continue
		}
		out = appendU32(out, uint32(len(c.Body)))
		out = append(out, c.Body...)
	}
	return out, nil
}

func (e *Encoder) appendData(out []byte, m *core.Module) ([]byte, error) {
	out = appendU32(out, uint32(len(m.Data)))
	for i := range m.Data {
		d := &m.Data[i]
		if r := e.raw(d.Off, d.End); r != nil {
			out = append(out, r...)
			continue
		}
		out = appendU32(out, d.Flags)
		var err error
		switch d.Flags {
		case 0:
			out, err = appendConstExpr(out, &d.Offset)
		case 2:
			out = appendU32(out, d.Memory)
			out, err = appendConstExpr(out, &d.Offset)
		case 1:
		default:
			return out, fmt.Errorf("data segment %d: bad flags %d", i, d.Flags)
		}
		if err != nil {
			return out, err
		}
		out = appendU32(out, uint32(len(d.Init)))
		out = append(out, d.Init...)
	}
	return out, nil
}

// appendCustom appends custom section c.
func (e *Encoder) appendCustom(out []byte, m *core.Module, c *core.Custom) ([]byte, error) {
	if c.Name == "name" && e.names && m.Names != nil && m.NamesErr == "" {
		payload := appendName(nil, "name")
		payload = e.appendNames(payload, m.Names)
		out = append(out, byte(core.SectionCustom))
		out = appendU32(out, uint32(len(payload)))
		return append(out, payload...), nil
	}
	if r := e.raw(c.Off, c.End); r != nil {
		return append(out, r...), nil
	}
	payload := appendName(nil, c.Name)
	payload = append(payload, c.Data...)
	out = append(out, byte(core.SectionCustom))
	out = appendU32(out, uint32(len(payload)))
	return append(out, payload...), nil
}

// appendNames appends the name section payload: the module name and
// function and local names from n, other subsections from Src.
func (e *Encoder) appendNames(out []byte, n *core.Names) []byte {
	sub := func(out []byte, id byte, body []byte) []byte {
		out = append(out, id)
		out = appendU32(out, uint32(len(body)))
		return append(out, body...)
	}
	wrote := [3]bool{}
	emitOwn := func(out []byte, upTo byte) []byte {
		for id := byte(0); id <= upTo && id < 3; id++ {
			if wrote[id] {
				continue
			}
			wrote[id] = true
			switch id {
			case 0:
				if n.HasModule {
					out = sub(out, 0, appendName(nil, n.Module))
				}
			case 1:
				if len(n.Funcs) > 0 {
					out = sub(out, 1, appendNameMap(nil, n.Funcs))
				}
			case 2:
				if len(n.Locals) > 0 {
					var b []byte
					b = appendU32(b, uint32(len(n.Locals)))
					for _, l := range n.Locals {
						b = appendU32(b, l.Index)
						b = appendNameMap(b, l.Names)
					}
					out = sub(out, 2, b)
				}
			}
		}
		return out
	}
	for _, s := range n.Subsections {
		if s.ID < 3 {
			out = emitOwn(out, s.ID)
			continue
		}
		out = emitOwn(out, 2)
		if r := e.raw(s.Off, s.End); r != nil {
			out = append(out, r...)
		}
	}
	return emitOwn(out, 2)
}

func appendNameMap(out []byte, m []core.NameAssoc) []byte {
	out = appendU32(out, uint32(len(m)))
	for _, a := range m {
		out = appendU32(out, a.Index)
		out = appendName(out, a.Name)
	}
	return out
}
