package wasmbin

import "testing"

// FuzzSections feeds arbitrary bytes after a preamble to Sections and
// StripCustom: errors, never panics, sections inside the input.
//
//	go test ./analyze/wasmbin -run=^$ -fuzz=FuzzSections -fuzztime=1m
func FuzzSections(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 4, 2, 'h', 'i', 7})
	f.Add([]byte{1, 0x80, 0x80, 0x80, 0x80, 0x80, 0})
	f.Fuzz(func(t *testing.T, tail []byte) {
		in := append(CoreHeader[:], tail...)
		secs, err := Sections(in, 0)
		if err != nil {
			return
		}
		for _, s := range secs {
			if s.Start > s.End || s.End > len(in) || (s.ID == SectionCustom && (s.DataOff < s.Start || s.DataOff > s.End)) {
				t.Fatalf("section out of bounds: %+v in %d bytes", s, len(in))
			}
		}
		out, _, err := StripCustom(in, "x")
		if err != nil || len(out) > len(in) {
			t.Fatalf("StripCustom after Sections succeeded: %d bytes, %v", len(out), err)
		}
	})
}
