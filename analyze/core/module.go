package core

import (
	"fmt"
	"math"
)

// Module is a decoded core module. It is plain data: Decode fills it and
// callers read (or modify) its fields. Slices of bytes alias the input.
type Module struct {
	Version  uint32    // always 1
	Sections []Section // every section in file order, custom sections included

	Types    []FuncType
	Imports  []Import
	Funcs    []uint32 // function section: type index of each defined function
	Tables   []Table
	Memories []Memory
	Globals  []Global
	Exports  []Export

	Start    uint32 // start function index, if HasStart
	HasStart bool

	Elements []Element

	DataCount    uint32 // data count section, if HasDataCount
	HasDataCount bool

	Code []Code // one per entry of Funcs, in the same order
	Data []Data

	Customs []Custom // every custom section in file order

	// Names is the decoded "name" section, or nil if there is none. The
	// name section is advisory: if it is malformed, NamesErr describes the
	// problem and Names holds what was decoded before it.
	Names    *Names
	NamesErr string

	// Producers is the decoded "producers" section, or nil; advisory like
	// Names.
	Producers    *Producers
	ProducersErr string
}

// SectionID identifies a section.
type SectionID byte

// Section IDs.
const (
	SectionCustom    SectionID = 0
	SectionType      SectionID = 1
	SectionImport    SectionID = 2
	SectionFunction  SectionID = 3
	SectionTable     SectionID = 4
	SectionMemory    SectionID = 5
	SectionGlobal    SectionID = 6
	SectionExport    SectionID = 7
	SectionStart     SectionID = 8
	SectionElement   SectionID = 9
	SectionCode      SectionID = 10
	SectionData      SectionID = 11
	SectionDataCount SectionID = 12
)

var sectionNames = [...]string{"custom", "type", "import", "function", "table", "memory", "global",
	"export", "start", "element", "code", "data", "data count"}

// sectionWhere names sections in end-of-input errors: sectionNames with
// " section", written out so that no start-up work builds them
// (TestSectionWhere checks they agree).
var sectionWhere = [len(sectionNames)]string{"custom section", "type section", "import section",
	"function section", "table section", "memory section", "global section", "export section",
	"start section", "element section", "code section", "data section", "data count section"}

// String returns the section's name, e.g. "code".
func (id SectionID) String() string {
	if int(id) < len(sectionNames) {
		return sectionNames[id]
	}
	return fmt.Sprintf("section(%d)", byte(id))
}

// sectionRank gives the required order of non-custom sections.
var sectionRank = [...]int{
	SectionType: 1, SectionImport: 2, SectionFunction: 3, SectionTable: 4,
	SectionMemory: 5, SectionGlobal: 6, SectionExport: 7, SectionStart: 8,
	SectionElement: 9, SectionDataCount: 10, SectionCode: 11, SectionData: 12,
}

// Section locates one section in the file. The raw section, header
// included, is b[Off:End]; its payload is b[Start:End].
type Section struct {
	ID    SectionID
	Name  string // custom sections only
	Off   uint32 // offset of the section id byte
	Start uint32 // first byte of the payload (after the size)
	End   uint32 // end of the payload (exclusive)
}

// Decode decodes the core module in b. The returned Module retains b: its
// byte-slice fields are sub-slices of b. Function bodies are checked only up
// to their local declarations; use InstrReader, Code.Instructions or
// Module.Instructions to decode their instructions.
func Decode(b []byte) (*Module, error) {
	m := &Module{}
	if err := decodeModule(m, b); err != nil {
		return nil, err
	}
	return m, nil
}

var magic = [4]byte{0x00, 'a', 's', 'm'}

func decodeHeader(b []byte) (uint32, error) {
	if uint64(len(b)) > math.MaxUint32 {
		return 0, errorf(0, len(b), "module of %d bytes exceeds 4 GiB", len(b))
	}
	for i := 0; i < 4; i++ {
		if i >= len(b) {
			return 0, errorf(len(b), nil, "unexpected end of file reading the magic number")
		}
		if b[i] != magic[i] {
			return 0, errorf(0, nil, "bad magic number %q, not a WebAssembly module", b[:min(4, len(b))])
		}
	}
	if len(b) < 8 {
		return 0, errorf(len(b), nil, "unexpected end of file reading the version")
	}
	version := uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16 | uint32(b[7])<<24
	switch {
	case version == 1:
		return version, nil
	case b[6] == 1 && b[7] == 0: // layer 1
		return 0, errorf(4, version, "binary is a component (version 0x%02x, layer 1), not a core module", uint16(version))
	default:
		return 0, errorf(4, version, "unsupported version 0x%x, want 1", version)
	}
}

func decodeModule(m *Module, b []byte) error {
	v, err := decodeHeader(b)
	if err != nil {
		return err
	}
	m.Version = v
	d := &decoder{b: b, pos: 8, end: len(b), where: "file", m: m}
	var (
		lastID    SectionID
		lastRank  int
		codeFuncs = -1 // code section entry count, -1 if absent
		dataSeen  bool
	)
	for d.pos < len(b) {
		off := d.pos
		id := SectionID(b[off])
		d.pos++
		d.end, d.where = len(b), "file"
		sizeOff := d.pos
		size := d.u32()
		if d.err != nil {
			return d.err
		}
		if uint64(size) > uint64(len(b)-d.pos) {
			return errorf(sizeOff, size, "expected section size within %d remaining bytes, got %d", len(b)-d.pos, size)
		}
		start, end := d.pos, d.pos+int(size)
		if id > SectionDataCount {
			note := ""
			if id == 13 {
				note = " (tag section, exception handling proposal)"
			}
			return errorf(off, byte(id), "unsupported section id %d%s", byte(id), note)
		}
		if id != SectionCustom {
			r := sectionRank[id]
			if r == lastRank {
				return errorf(off, byte(id), "duplicate %s section", id)
			}
			if r < lastRank {
				return errorf(off, byte(id), "%s section out of order (after %s section)", id, lastID)
			}
			lastRank, lastID = r, id
		}
		d.end = end
		d.where = sectionWhere[id]
		sec := Section{ID: id, Off: uint32(off), Start: uint32(start), End: uint32(end)}
		switch id {
		case SectionCustom:
			d.decodeCustomSection(m, &sec)
		case SectionType:
			d.decodeTypeSection(m)
		case SectionImport:
			d.decodeImportSection(m)
		case SectionFunction:
			d.decodeFunctionSection(m)
		case SectionTable:
			d.decodeTableSection(m)
		case SectionMemory:
			d.decodeMemorySection(m)
		case SectionGlobal:
			d.decodeGlobalSection(m)
		case SectionExport:
			d.decodeExportSection(m)
		case SectionStart:
			d.decodeStartSection(m)
		case SectionElement:
			d.decodeElementSection(m)
		case SectionDataCount:
			d.decodeDataCountSection(m)
		case SectionCode:
			codeFuncs = d.decodeCodeSection(m)
		case SectionData:
			dataSeen = true
			d.decodeDataSection(m)
		}
		if d.err != nil {
			return d.err
		}
		if d.pos != end {
			return errorf(d.pos, size, "%s section size mismatch: declared %d bytes, decoded %d", id, size, d.pos-start)
		}
		m.Sections = append(m.Sections, sec)
	}
	if codeFuncs < 0 && len(m.Funcs) > 0 {
		return errorf(len(b), len(m.Funcs), "function section declares %d functions but the code section is missing", len(m.Funcs))
	}
	if m.HasDataCount && !dataSeen && m.DataCount != 0 {
		return errorf(len(b), m.DataCount, "data count section declares %d segments but the data section is missing", m.DataCount)
	}
	return nil
}
