package manifest

import (
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/wasmbin"
)

// SectionName is the name of the custom section holding an embedded
// manifest.
const SectionName = analyze.ManifestSection

// maxNesting bounds the depth of nested components searched for producers.
const maxNesting = 16

// producers collects the producers sections of b and, for a component, of
// its nested core modules and components, in file order without
// duplicates. Malformed producers sections are skipped: they are advisory.
func producers(b []byte) []Producer {
	var out []Producer
	seen := map[Producer]bool{}
	var walk func(b []byte, depth int)
	walk = func(b []byte, depth int) {
		component := wasmbin.KindOf(b) == wasmbin.KindComponent
		secs, err := wasmbin.Sections(b, 0)
		if err != nil {
			return
		}
		for _, s := range secs {
			switch {
			case s.ID == wasmbin.SectionCustom && s.Name == "producers":
				for _, p := range parseProducers(s.Data(b)) {
					if !seen[p] {
						seen[p] = true
						out = append(out, p)
					}
				}
			case component && (s.ID == wasmbin.ComponentSectionCoreModule || s.ID == wasmbin.ComponentSectionComponent) && depth < maxNesting:
				walk(b[s.Start:s.End], depth+1)
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
		n, next, st := wasmbin.ReadU32(d, pos)
		if st != wasmbin.LEBOK || uint64(n) > uint64(len(d)-next) {
			return "", false
		}
		s := string(d[next : next+int(n)])
		pos = next + int(n)
		return s, utf8.ValidString(s)
	}
	count := func() (int, bool) {
		n, next, st := wasmbin.ReadU32(d, pos)
		if st != wasmbin.LEBOK || uint64(n) > uint64(len(d)) {
			return 0, false
		}
		pos = next
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
