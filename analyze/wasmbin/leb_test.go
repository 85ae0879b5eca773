package wasmbin

import (
	"math"
	"testing"
)

func TestLEB(t *testing.T) {
	for _, tc := range []struct {
		in     []byte
		bits   uint
		signed bool
		want   int64
		st     LEBStatus
		n      int
	}{
		{[]byte{0x00}, 32, false, 0, LEBOK, 1},
		{[]byte{0x7f}, 32, false, 127, LEBOK, 1},
		{[]byte{0x80, 0x01}, 32, false, 128, LEBOK, 2},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x00}, 32, false, 0, LEBOK, 5}, // padded, allowed
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, false, math.MaxUint32, LEBOK, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 32, false, 0, LEBTooLarge, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, false, 0, LEBTooLong, 5},
		{[]byte{0x80, 0x80}, 32, false, 0, LEBEOF, 2},
		{[]byte{}, 32, false, 0, LEBEOF, 0},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, false, -1, LEBOK, 10},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 64, false, 0, LEBTooLarge, 10},

		{[]byte{0x7f}, 32, true, -1, LEBOK, 1},
		{[]byte{0x40}, 32, true, -64, LEBOK, 1},
		{[]byte{0x3f}, 32, true, 63, LEBOK, 1},
		{[]byte{0xc0, 0x00}, 32, true, 64, LEBOK, 2},
		{[]byte{0xff, 0x7f}, 32, true, -1, LEBOK, 2}, // padded, allowed
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x07}, 32, true, math.MaxInt32, LEBOK, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x78}, 32, true, math.MinInt32, LEBOK, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, true, 0, LEBTooLarge, 5}, // sign bits disagree
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 32, true, 0, LEBTooLarge, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x7f}, 32, true, -1, LEBOK, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 33, true, 0xffffffff, LEBOK, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 33, true, -1 << 32, LEBOK, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x20}, 33, true, 0, LEBTooLarge, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 33, true, 0, LEBTooLong, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 64, true, math.MinInt64, LEBOK, 10},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 64, true, math.MaxInt64, LEBOK, 10},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, true, 0, LEBTooLarge, 10},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 64, true, 0, LEBTooLong, 10},
	} {
		var got int64
		var p int
		var st LEBStatus
		if tc.signed {
			got, p, st = ReadSigned(tc.in, 0, tc.bits)
		} else {
			var u uint64
			u, p, st = ReadUnsigned(tc.in, 0, tc.bits)
			got = int64(u)
		}
		if st != tc.st || (st == LEBOK && (got != tc.want || p != tc.n)) {
			t.Errorf("% x (%d bits, signed %v) = %d, %d, status %d; want %d, %d, status %d",
				tc.in, tc.bits, tc.signed, got, p, st, tc.want, tc.n, tc.st)
		}
		if !tc.signed && tc.bits == 32 {
			v, p2, st2 := ReadU32(tc.in, 0)
			if st2 != st || (st == LEBOK && (int64(v) != got || p2 != p)) {
				t.Errorf("ReadU32(% x) = %d, %d, %d", tc.in, v, p2, st2)
			}
		}
	}
}
