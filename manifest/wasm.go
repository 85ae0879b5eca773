package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// SectionName is the name of the custom section holding an embedded
// manifest.
const SectionName = "wfcompat:manifest"

// FormatError is malformed Wasm framing met while looking for custom
// sections: the byte offset and what is wrong. Its message reads
// "offset 0x1a2: ...".
type FormatError struct {
	Off int64
	Msg string
}

func (e *FormatError) Error() string { return fmt.Sprintf("offset 0x%x: %s", e.Off, e.Msg) }

var (
	coreHeader      = []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	componentHeader = []byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0}
)

// isComponent reports whether b starts with the component preamble; ok is
// false when b is not Wasm at all.
func preamble(b []byte) (component, ok bool) {
	switch {
	case bytes.HasPrefix(b, coreHeader):
		return false, true
	case bytes.HasPrefix(b, componentHeader):
		return true, true
	}
	return false, false
}

// section is one top-level section of a module or component.
type section struct {
	id         byte
	off        int    // offset of the id byte
	start, end int    // payload
	name       string // custom sections: the name
	dataOff    int    // custom sections: first byte after the name
}

// maxNesting bounds the depth of nested components searched for producers.
const maxNesting = 16

// sections splits the body of a module or component (b includes the
// 8-byte preamble; base is b's offset in the file) into its sections.
func sections(b []byte, base int) ([]section, error) {
	if _, ok := preamble(b); !ok {
		return nil, &FormatError{Off: int64(base), Msg: "not a WebAssembly module or component (bad preamble)"}
	}
	var out []section
	pos := 8
	for pos < len(b) {
		s := section{id: b[pos], off: pos}
		n, w, err := uleb32(b, pos+1)
		if err != nil {
			return nil, &FormatError{Off: int64(base + pos + 1), Msg: "section size: " + err.Error()}
		}
		s.start = pos + 1 + w
		if uint64(n) > uint64(len(b)-s.start) {
			return nil, &FormatError{Off: int64(base + pos), Msg: fmt.Sprintf("section %d of %d bytes runs past the end of the file (%d bytes left)", b[pos], n, len(b)-s.start)}
		}
		s.end = s.start + int(n)
		if s.id == 0 {
			ln, w, err := uleb32(b[:s.end], s.start)
			if err != nil {
				return nil, &FormatError{Off: int64(base + s.start), Msg: "custom section name: " + err.Error()}
			}
			if uint64(ln) > uint64(s.end-s.start-w) {
				return nil, &FormatError{Off: int64(base + s.start), Msg: "custom section name runs past the end of the section"}
			}
			s.dataOff = s.start + w + int(ln)
			s.name = string(b[s.start+w : s.dataOff])
			if !utf8.ValidString(s.name) {
				return nil, &FormatError{Off: int64(base + s.start + w), Msg: "custom section name is not valid UTF-8"}
			}
		}
		out = append(out, s)
		pos = s.end
	}
	return out, nil
}

// uleb32 reads an unsigned LEB128 u32 at b[pos:], returning it and its width.
func uleb32(b []byte, pos int) (uint32, int, error) {
	var v uint64
	for i := 0; i < 5; i++ {
		if pos+i >= len(b) {
			return 0, 0, errors.New("unexpected end of data in LEB128")
		}
		c := b[pos+i]
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			if v > 0xffffffff {
				return 0, 0, errors.New("LEB128 value exceeds u32")
			}
			return uint32(v), i + 1, nil
		}
	}
	return 0, 0, errors.New("LEB128 longer than 5 bytes")
}

func appendULEB(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

// strip returns b without its wfcompat:manifest sections (b itself when it
// has none), and the removed sections.
func strip(b []byte) ([]byte, []section, error) {
	secs, err := sections(b, 0)
	if err != nil {
		return nil, nil, err
	}
	var found []section
	for _, s := range secs {
		if s.id == 0 && s.name == SectionName {
			found = append(found, s)
		}
	}
	if len(found) == 0 {
		return b, nil, nil
	}
	out := make([]byte, 0, len(b))
	prev := 0
	for _, s := range found {
		out = append(out, b[prev:s.off]...)
		prev = s.end
	}
	out = append(out, b[prev:]...)
	return out, found, nil
}

// customSection encodes a custom section named name holding data.
func customSection(name string, data []byte) []byte {
	var payload []byte
	payload = appendULEB(payload, uint32(len(name)))
	payload = append(payload, name...)
	payload = append(payload, data...)
	out := []byte{0}
	out = appendULEB(out, uint32(len(payload)))
	return append(out, payload...)
}

// producers collects the producers sections of b and, for a component, of
// its nested core modules and components, in file order without
// duplicates. Malformed producers sections are skipped: they are advisory.
func producers(b []byte) []Producer {
	var out []Producer
	seen := map[Producer]bool{}
	var walk func(b []byte, depth int)
	walk = func(b []byte, depth int) {
		component, _ := preamble(b)
		secs, err := sections(b, 0)
		if err != nil {
			return
		}
		for _, s := range secs {
			switch {
			case s.id == 0 && s.name == "producers":
				for _, p := range parseProducers(b[s.dataOff:s.end]) {
					if !seen[p] {
						seen[p] = true
						out = append(out, p)
					}
				}
			case component && (s.id == 1 || s.id == 4) && depth < maxNesting:
				// A nested core module (1) or component (4).
				walk(b[s.start:s.end], depth+1)
			}
		}
	}
	walk(b, 0)
	return out
}

// parseProducers decodes a producers section: vec(field name,
// vec(name, version)). It returns nil when the section is malformed.
func parseProducers(d []byte) []Producer {
	pos := 0
	str := func() (string, bool) {
		n, w, err := uleb32(d, pos)
		if err != nil || uint64(n) > uint64(len(d)-pos-w) {
			return "", false
		}
		s := string(d[pos+w : pos+w+int(n)])
		pos += w + int(n)
		return s, utf8.ValidString(s)
	}
	count := func() (int, bool) {
		n, w, err := uleb32(d, pos)
		if err != nil || uint64(n) > uint64(len(d)) {
			return 0, false
		}
		pos += w
		return int(n), true
	}
	var out []Producer
	nf, ok := count()
	if !ok {
		return nil
	}
	for i := 0; i < nf; i++ {
		field, ok := str()
		if !ok {
			return nil
		}
		nv, ok := count()
		if !ok {
			return nil
		}
		for j := 0; j < nv; j++ {
			name, ok1 := str()
			version, ok2 := str()
			if !ok1 || !ok2 {
				return nil
			}
			out = append(out, Producer{Field: field, Name: name, Version: version})
		}
	}
	if pos != len(d) {
		return nil
	}
	return out
}
