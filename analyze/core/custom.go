package core

import (
	"fmt"
	"slices"
)

// Custom is a custom section.
type Custom struct {
	Name    string
	Off     uint32 // offset of the section id byte
	Start   uint32 // first byte of the payload (the name's length)
	DataOff uint32 // first byte after the name
	End     uint32 // end of the payload (exclusive)
	Data    []byte // b[DataOff:End], a sub-slice of the input
}

// Names is the decoded "name" custom section.
type Names struct {
	Module    string // module name, if HasModule
	HasModule bool
	Funcs     []NameAssoc         // function names, sorted by index
	Locals    []IndirectNameAssoc // local names per function, sorted by function index
	// Subsections lists every subsection, including those not decoded
	// (labels, types, tables, ...).
	Subsections []NameSubsection
}

// NameAssoc names the item at Index.
type NameAssoc struct {
	Index uint32
	Name  string
}

// IndirectNameAssoc holds the names of the locals of function Index.
type IndirectNameAssoc struct {
	Index uint32
	Names []NameAssoc
}

// NameSubsection locates a subsection of the name section. Its payload is
// b[Start:End].
type NameSubsection struct {
	ID    byte // 0 module, 1 functions, 2 locals, 3 labels, 4 types, ...
	Off   uint32
	Start uint32
	End   uint32
}

// Producers is the decoded "producers" custom section.
type Producers struct {
	Fields []ProducerField
}

// ProducerField is a field of the producers section, such as "language",
// "processed-by" or "sdk".
type ProducerField struct {
	Name   string
	Values []ProducerValue
}

// ProducerValue is a tool or language name with its version.
type ProducerValue struct {
	Name    string
	Version string
}

func (d *decoder) decodeCustomSection(m *Module, sec *Section) {
	c := Custom{Off: sec.Off, Start: sec.Start, End: sec.End}
	c.Name = d.name("custom section name")
	if d.err != nil {
		return
	}
	sec.Name = c.Name
	c.DataOff = uint32(d.pos)
	c.Data = d.b[d.pos:d.end:d.end]
	m.Customs = append(m.Customs, c)
	// The contents are advisory: decode them with a separate decoder so that
	// failures are recorded instead of returned.
	sub := &decoder{b: d.b, pos: d.pos, end: d.end}
	switch c.Name {
	case "name":
		sub.where = "name section"
		if m.Names != nil || m.NamesErr != "" {
			if m.NamesErr == "" {
				m.NamesErr = fmt.Sprintf("offset 0x%x: duplicate name section ignored", c.Off)
			}
			break
		}
		m.Names = &Names{}
		sub.decodeNames(m.Names)
		if sub.err != nil {
			m.NamesErr = sub.err.Error()
		}
	case "producers":
		sub.where = "producers section"
		if m.Producers != nil || m.ProducersErr != "" {
			if m.ProducersErr == "" {
				m.ProducersErr = fmt.Sprintf("offset 0x%x: duplicate producers section ignored", c.Off)
			}
			break
		}
		m.Producers = &Producers{}
		sub.decodeProducers(m.Producers)
		if sub.err != nil {
			m.ProducersErr = sub.err.Error()
		}
	}
	d.pos = d.end
}

func (d *decoder) decodeNames(n *Names) {
	sectionEnd := d.end
	last := -1
	for d.pos < sectionEnd && d.err == nil {
		s := NameSubsection{Off: uint32(d.pos)}
		s.ID = d.byte()
		sizeOff := d.pos
		size := d.u32()
		if d.err != nil {
			return
		}
		if uint64(size) > uint64(d.remaining()) {
			d.failf(sizeOff, size, "expected name subsection size within %d remaining bytes, got %d", d.remaining(), size)
			return
		}
		s.Start, s.End = uint32(d.pos), uint32(d.pos)+size
		n.Subsections = append(n.Subsections, s)
		if int(s.ID) <= last {
			d.failf(int(s.Off), s.ID, "name subsection %d out of order or duplicated", s.ID)
			return
		}
		last = int(s.ID)
		d.end = int(s.End)
		switch s.ID {
		case 0:
			n.Module = d.name("module name")
			n.HasModule = d.err == nil
		case 1:
			n.Funcs = d.nameMap("function name")
		case 2:
			k := d.count("local name map", 2)
			n.Locals = make([]IndirectNameAssoc, 0, capHint(k))
			prev := int64(-1)
			for i := 0; i < k && d.err == nil; i++ {
				off := d.pos
				a := IndirectNameAssoc{Index: d.u32()}
				a.Names = d.nameMap("local name")
				if d.err != nil && a.Names == nil {
					break
				}
				if d.err == nil && int64(a.Index) <= prev {
					d.failf(off, a.Index, "local names for function %d out of order", a.Index)
				}
				prev = int64(a.Index)
				n.Locals = append(n.Locals, a)
			}
		default:
			d.pos = d.end // recorded, not decoded
		}
		if d.err == nil && d.pos != d.end {
			d.failf(d.pos, size, "name subsection %d size mismatch: declared %d bytes, decoded %d", s.ID, size, d.pos-int(s.Start))
		}
		d.end = sectionEnd
	}
}

// nameMap decodes a name map. Out-of-order entries are recorded as an error
// but kept, sorted, so that lookups still work.
func (d *decoder) nameMap(what string) []NameAssoc {
	k := d.count(what, 2)
	if k == 0 {
		return nil
	}
	names := make([]NameAssoc, 0, capHint(k))
	prev := int64(-1)
	sorted := true
	firstBad := 0
	for i := 0; i < k && d.err == nil; i++ {
		off := d.pos
		a := NameAssoc{Index: d.u32()}
		a.Name = d.name(what)
		if d.err != nil {
			break
		}
		if int64(a.Index) <= prev && sorted {
			sorted, firstBad = false, off
		}
		prev = int64(a.Index)
		names = append(names, a)
	}
	if !sorted {
		slices.SortStableFunc(names, func(a, b NameAssoc) int { return int(int64(a.Index) - int64(b.Index)) })
		d.failf(firstBad, nil, "%s map not in strictly increasing index order", what)
	}
	return names
}

func (d *decoder) decodeProducers(p *Producers) {
	k := d.count("producers field", 2)
	p.Fields = make([]ProducerField, 0, capHint(k))
	for i := 0; i < k && d.err == nil; i++ {
		f := ProducerField{Name: d.name("producers field name")}
		n := d.count("producers value", 2)
		f.Values = make([]ProducerValue, 0, capHint(n))
		for j := 0; j < n && d.err == nil; j++ {
			f.Values = append(f.Values, ProducerValue{Name: d.name("producer name"), Version: d.name("producer version")})
		}
		p.Fields = append(p.Fields, f)
	}
	if d.err == nil && d.pos != d.end {
		d.failf(d.pos, nil, "unexpected data after the producers fields")
	}
}
