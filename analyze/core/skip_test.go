package core

import (
	"fmt"
	"testing"
)

// skipStops are the stops checkSkipPlain tries: none, the calls (the
// callback scan's), and every other opcode.
var skipStops = func() (out [3][256]bool) {
	out[1][OpCall], out[1][OpCallIndirect], out[1][OpRefFunc] = true, true, true
	for op := range 256 {
		out[2][op] = op%2 == 0
	}
	return out
}()

// checkSkipPlain holds SkipPlain to Next on body c: with each stop set,
// the instructions a SkipPlain-then-Next loop decodes are those of a
// Next loop that are stops or that SkipPlain may not skip, in order,
// and the error is the same.
func checkSkipPlain(t *testing.T, c *Code) {
	t.Helper()
	for k := range skipStops {
		stop := &skipStops[k]
		var all, fast []string
		var r InstrReader
		r.ResetCode(c)
		for r.Next() {
			if in := r.Current(); in.Op >= 256 || stop[in.Op] {
				all = append(all, fmt.Sprintf("%#x %s %d %d", in.Off, in.Op, in.Index, in.Index2))
			}
		}
		wantErr := fmt.Sprint(r.Err(), r.Offset(), r.Depth())
		r.ResetCode(c)
		for r.SkipPlain(stop); r.Next(); r.SkipPlain(stop) {
			if in := r.Current(); in.Op >= 256 || stop[in.Op] {
				fast = append(fast, fmt.Sprintf("%#x %s %d %d", in.Off, in.Op, in.Index, in.Index2))
			}
		}
		if gotErr := fmt.Sprint(r.Err(), r.Offset(), r.Depth()); gotErr != wantErr {
			t.Fatalf("stops %d: SkipPlain ends with %s; Next with %s", k, gotErr, wantErr)
		}
		if fmt.Sprint(fast) != fmt.Sprint(all) {
			t.Fatalf("stops %d: SkipPlain loop saw %d stops, Next loop %d", k, len(fast), len(all))
		}
	}
}

// TestSkipPlain: SkipPlain agrees with Next on the corpus (and, in
// FuzzDecodeCore, on whatever decodes).
func TestSkipPlain(t *testing.T) {
	for _, f := range corpusFiles(t) {
		m, _ := decodeFile(t, f)
		for i := range m.Code {
			checkSkipPlain(t, &m.Code[i])
		}
	}
	// Short and malformed encodings at the end of a body.
	for _, body := range [][]byte{
		{0x20}, {0x28, 2}, {0x02}, {0x02, 0x7f, 0x0b}, {0x02, 0x41, 0x0b, 0x0b}, {0x41, 0x80}, {0x0b, 0x0b}, {0x02, 0x40, 0x0b},
		{0x28, 0x40, 0, 0, 0x0b}, {0x02, 0x01, 0x0b, 0x0b}, {0x0c, 0x80, 0x00, 0x0b},
		// LEB128s of four bytes (skipped) and five (left to Next), cut short.
		{0x20, 0x80, 0x80, 0x80, 0x01, 0x1a, 0x0b}, {0x20, 0x80, 0x80, 0x80, 0x80, 0x01, 0x1a, 0x0b}, {0x20, 0x80, 0x80},
		{0x41, 0xff, 0xff, 0xff, 0x7f, 0x0b}, {0x41, 0xff, 0xff, 0xff, 0xff, 0x07, 0x0b}, {0x42, 0xff, 0xff, 0xff, 0x7f, 0x0b},
		{0x28, 2, 0x80, 0x80, 0x80, 0x01, 0x0b}, {0x28, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x0b}, {0x28, 2, 0x80},
		{0x28, 0x3f, 0x80, 0x01, 0x0b}, {0x10, 0x80, 0x80, 0x01, 0x0b},
	} {
		c := &Code{Start: 0, InstrOff: 0, End: uint32(len(body)), Body: body}
		checkSkipPlain(t, c)
	}
}

// TestSectionWhere checks the written-out section names of end-of-input
// errors against sectionNames.
func TestSectionWhere(t *testing.T) {
	for i, n := range sectionNames {
		if want := n + " section"; sectionWhere[i] != want {
			t.Errorf("sectionWhere[%d] = %q, want %q", i, sectionWhere[i], want)
		}
	}
}
