package wasmbin

import (
	"fmt"
	"unicode/utf8"
)

// Section IDs shared by core modules and components.
const (
	// SectionCustom is the ID of a custom section in both layers.
	SectionCustom = 0
	// ComponentSectionCoreModule and ComponentSectionComponent are the IDs
	// of the component sections that nest a core module or a component.
	ComponentSectionCoreModule = 1
	ComponentSectionComponent  = 4
)

// Section is one top-level section of a module or component. Offsets are
// relative to the slice given to Sections.
type Section struct {
	ID  byte
	Off int // offset of the ID byte
	// Start and End delimit the payload.
	Start, End int
	// Name is a custom section's name; DataOff is the first byte after it.
	Name    string
	DataOff int
}

// Data returns a custom section's contents after its name (the whole
// payload for other sections) from b, the slice given to Sections.
func (s Section) Data(b []byte) []byte {
	if s.ID == SectionCustom {
		return b[s.DataOff:s.End]
	}
	return b[s.Start:s.End]
}

// Sections splits a module or component (b includes the 8-byte preamble;
// base is b's offset in the file, for error offsets) into its top-level
// sections, checking only the framing: that each section fits, and that a
// custom section's name fits and is UTF-8.
func Sections(b []byte, base int) ([]Section, error) {
	if KindOf(b) == "" {
		return nil, &FormatError{Off: int64(base), Msg: "not a WebAssembly module or component (bad preamble)"}
	}
	var out []Section
	err := EachSection(b, base, func(s Section) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// EachSection calls f for each top-level section of b in order (b includes
// the preamble, which is not checked), stopping at f's first error.
func EachSection(b []byte, base int, f func(Section) error) error {
	pos := PreambleSize
	for pos < len(b) {
		s := Section{ID: b[pos], Off: pos}
		n, next, st := ReadU32(b, pos+1)
		if st != LEBOK {
			return &FormatError{Off: int64(base + pos + 1), Msg: "section size: " + lebText(st)}
		}
		s.Start = next
		if uint64(n) > uint64(len(b)-s.Start) {
			return &FormatError{Off: int64(base + pos), Msg: fmt.Sprintf("section %d of %d bytes runs past the end of the file (%d bytes left)", b[pos], n, len(b)-s.Start), Val: n}
		}
		s.End = s.Start + int(n)
		if s.ID == SectionCustom {
			ln, next, st := ReadU32(b[:s.End], s.Start)
			if st != LEBOK {
				return &FormatError{Off: int64(base + s.Start), Msg: "custom section name: " + lebText(st)}
			}
			if uint64(ln) > uint64(s.End-next) {
				return &FormatError{Off: int64(base + s.Start), Msg: "custom section name runs past the end of the section", Val: ln}
			}
			s.DataOff = next + int(ln)
			s.Name = string(b[next:s.DataOff])
			if !utf8.ValidString(s.Name) {
				return &FormatError{Off: int64(base + next), Msg: "custom section name is not valid UTF-8"}
			}
		}
		if err := f(s); err != nil {
			return err
		}
		pos = s.End
	}
	return nil
}

// lebText words a failed u32 read for framing errors.
func lebText(st LEBStatus) string {
	switch st {
	case LEBEOF:
		return "unexpected end of data in LEB128"
	case LEBTooLong:
		return "LEB128 longer than 5 bytes"
	}
	return "LEB128 value exceeds u32"
}

// AppendCustomSection appends a custom section named name holding data.
func AppendCustomSection(b []byte, name string, data []byte) []byte {
	size := SizeU32(uint32(len(name))) + len(name) + len(data)
	b = append(b, SectionCustom)
	b = AppendU32(b, uint32(size))
	b = AppendName(b, name)
	return append(b, data...)
}

// StripCustom returns b without its custom sections named name (b itself
// when it has none) and the removed sections, with offsets in b.
func StripCustom(b []byte, name string) ([]byte, []Section, error) {
	secs, err := Sections(b, 0)
	if err != nil {
		return nil, nil, err
	}
	var found []Section
	for _, s := range secs {
		if s.ID == SectionCustom && s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) == 0 {
		return b, nil, nil
	}
	out := make([]byte, 0, len(b))
	prev := 0
	for _, s := range found {
		out = append(out, b[prev:s.Off]...)
		prev = s.End
	}
	out = append(out, b[prev:]...)
	return out, found, nil
}
