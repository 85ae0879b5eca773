package wasmbin

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSections(t *testing.T) {
	core := CoreHeader[:]
	mod := func(secs ...byte) []byte { return append(append([]byte{}, core...), secs...) }
	for _, tc := range []struct {
		name string
		in   []byte
		want []Section
		err  string
	}{
		{"empty module", mod(), nil, ""},
		{"type and custom", mod(1, 1, 0, 0, 4, 2, 'h', 'i', 7),
			[]Section{{ID: 1, Off: 8, Start: 10, End: 11}, {ID: 0, Off: 11, Start: 13, End: 17, Name: "hi", DataOff: 16}}, ""},
		{"not wasm", []byte("hello world"), nil, "offset 0x0: not a WebAssembly module or component (bad preamble)"},
		{"size truncated", mod(1, 0x80), nil, "offset 0x9: section size: unexpected end of data in LEB128"},
		{"size too long", mod(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0), nil, "offset 0x9: section size: LEB128 longer than 5 bytes"},
		{"size too large", mod(1, 0xff, 0xff, 0xff, 0xff, 0x7f), nil, "offset 0x9: section size: LEB128 value exceeds u32"},
		{"overrun", mod(1, 5, 0), nil, "offset 0x8: section 1 of 5 bytes runs past the end of the file (1 bytes left)"},
		{"custom name overrun", mod(0, 2, 5, 'a'), nil, "offset 0xa: custom section name runs past the end of the section"},
		{"custom name not UTF-8", mod(0, 2, 1, 0xff), nil, "offset 0xb: custom section name is not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sections(tc.in, 0)
			if tc.err != "" {
				var fe *FormatError
				if !errors.As(err, &fe) || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCustomSectionRoundTrip(t *testing.T) {
	base := append(CoreHeader[:], 1, 1, 0)
	data := make([]byte, 200) // a two-byte size
	in := AppendCustomSection(append([]byte{}, base...), "x:y", data)
	in = AppendCustomSection(in, "other", []byte{1})
	in = AppendCustomSection(in, "x:y", nil)
	out, found, err := StripCustom(in, "x:y")
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 || found[0].Name != "x:y" || len(found[0].Data(in)) != 200 {
		t.Fatalf("found %+v", found)
	}
	want := AppendCustomSection(append([]byte{}, base...), "other", []byte{1})
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("stripped (-want +got):\n%s", diff)
	}
	if same, _, _ := StripCustom(want, "x:y"); &same[0] != &want[0] {
		t.Error("StripCustom copied an input without the section")
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Kind
		err  string
	}{
		{"\x00asm\x01\x00\x00\x00", KindCore, ""},
		{"\x00asm\x0d\x00\x01\x00", KindComponent, ""},
		{"\x00as", "", "offset 0x3: truncated preamble: need 8 bytes, file has 3"},
		{"\x7fELF\x02\x01\x01\x00", "", "offset 0x0: bad magic number, not a WebAssembly binary: 7f 45 4c 46"},
		{"\x00asm\x02\x00\x00\x00", "", "offset 0x4: unknown WebAssembly version/layer (want 01 00 00 00 for a core module, 0d 00 01 00 for a component): 02 00 00 00"},
	} {
		got, err := Sniff([]byte(tc.in))
		if (err != nil && err.Error() != tc.err) || (err == nil && tc.err != "") || got != tc.want {
			t.Errorf("Sniff(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestAppendLEB(t *testing.T) {
	for _, v := range []int64{0, 1, 63, 64, -1, -64, -65, 1 << 40, -1 << 63, 1<<63 - 1} {
		b := AppendS64(nil, v)
		got, n, st := ReadSigned(b, 0, 64)
		if st != LEBOK || got != v || n != len(b) {
			t.Errorf("s64 %d: % x read back as %d, %d, %d", v, b, got, n, st)
		}
	}
	for _, v := range []uint64{0, 127, 128, 1<<32 - 1, 1<<64 - 1} {
		b := AppendU64(nil, v)
		got, n, st := ReadUnsigned(b, 0, 64)
		if st != LEBOK || got != v || n != len(b) {
			t.Errorf("u64 %d: % x read back as %d, %d, %d", v, b, got, n, st)
		}
		if v <= 1<<32-1 && SizeU32(uint32(v)) != len(b) {
			t.Errorf("SizeU32(%d) = %d, want %d", v, SizeU32(uint32(v)), len(b))
		}
	}
}
