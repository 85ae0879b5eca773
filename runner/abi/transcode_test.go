package abi

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// TestStoreStringSource: lowering a string lifted from a component with
// another encoding asks realloc for the sizes definitions.py's
// store_string_into_range computes from the source's encoding and code
// units (not from the UTF-8 the value holds), and the stored string lifts
// back unchanged.
func TestStoreStringSource(t *testing.T) {
	const tag = UTF16Tag
	tests := []struct {
		s        string
		src, dst StringEncoding
		calls    [][3]uint32 // old size, align, new size
		units    uint32
	}{
		{"héllo", UTF16, UTF8, [][3]uint32{{0, 1, 5}, {5, 1, 15}, {15, 1, 6}}, 6},
		{"h€llo", UTF16, UTF8, [][3]uint32{{0, 1, 5}, {5, 1, 15}, {15, 1, 7}}, 7},
		{"hello", UTF16, UTF8, [][3]uint32{{0, 1, 5}}, 5},
		{"héllo", Latin1UTF16, UTF8, [][3]uint32{{0, 1, 5}, {5, 1, 10}, {10, 1, 6}}, 6},
		{"héllo", UTF8, UTF8, [][3]uint32{{0, 1, 6}}, 6},
		{"héllo", UTF16, UTF16, [][3]uint32{{0, 2, 10}}, 5},
		{"\U0001D11E", UTF16, UTF16, [][3]uint32{{0, 2, 4}}, 2},
		{"héllo", Latin1UTF16, UTF16, [][3]uint32{{0, 2, 10}}, 5},
		{"héllo", UTF8, UTF16, [][3]uint32{{0, 2, 12}, {12, 2, 10}}, 5},
		{"héllo", Latin1UTF16, Latin1UTF16, [][3]uint32{{0, 2, 5}}, 5},
		{"h€llo", Latin1UTF16, Latin1UTF16, [][3]uint32{{0, 2, 10}}, 5 | tag},
		{"h€llo", UTF16, Latin1UTF16, [][3]uint32{{0, 2, 5}, {5, 2, 10}}, 5 | tag},
		{"héllo", UTF16, Latin1UTF16, [][3]uint32{{0, 2, 5}}, 5},
		{"h€llo", UTF8, Latin1UTF16, [][3]uint32{{0, 2, 7}, {7, 2, 14}, {14, 2, 10}}, 5 | tag},
		{"héllo", UTF8, Latin1UTF16, [][3]uint32{{0, 2, 6}, {6, 2, 5}}, 5},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s-to-%s", tc.s, tc.src, tc.dst), func(t *testing.T) {
			cx, h := mkcx(make([]byte, 256), tc.dst)
			h.lastAlloc = 8
			cx.Source = tc.src
			flat, err := LowerFlatValues(cx, MaxFlatParams, []value.Value{value.String(tc.s)}, []*wit.Type{tString}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got [][3]uint32
			for _, c := range h.calls {
				got = append(got, [3]uint32{c[1], c[2], c[3]})
			}
			if diff := cmp.Diff(tc.calls, got); diff != "" {
				t.Errorf("realloc calls (-want +got):\n%s", diff)
			}
			if uint32(flat[1]) != tc.units {
				t.Errorf("tagged code units %#x, want %#x", flat[1], tc.units)
			}
			vs, err := LiftFlatValues(cx, MaxFlatParams, NewCoreValues(flat), []*wit.Type{tString})
			if err != nil || vs[0].Text() != tc.s {
				t.Errorf("lifted back %v, %v; want %q", vs, err, tc.s)
			}
		})
	}
}
