// Package leb decodes LEB128 integers for the core and component decoders.
// Each reader takes the buffer and a position and returns the value, the
// position after it, and a Status; callers turn a bad status into their own
// FormatError. Non-minimal encodings are accepted as the spec requires
// (linkers pad indices to 5 bytes), but an encoding may not be longer than
// ceil(N/7) bytes and the unused bits of its last byte must be zero
// (unsigned) or copies of the sign bit (signed).
package leb

// Status says how a read ended.
type Status uint8

// Read statuses.
const (
	OK       Status = iota
	EOF             // the input ended inside the integer
	TooLong         // more than ceil(bits/7) bytes
	TooLarge        // unused bits of the last byte are not zero (or sign copies)
)

// Unsigned decodes an unsigned LEB128 integer of at most bits bits
// (32 or 64) from b[p:].
func Unsigned(b []byte, p int, bits uint) (uint64, int, Status) {
	var v uint64
	var shift uint
	for {
		if p >= len(b) {
			return 0, p, EOF
		}
		c := b[p]
		p++
		if shift+7 >= bits { // last byte allowed
			if c&0x80 != 0 {
				return 0, p, TooLong
			}
			if c>>(bits-shift) != 0 {
				return 0, p, TooLarge
			}
			return v | uint64(c)<<shift, p, OK
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, p, OK
		}
		shift += 7
	}
}

// U32 decodes an unsigned LEB128 u32 from b[p:].
func U32(b []byte, p int) (uint32, int, Status) {
	if p < len(b) && b[p] < 0x80 {
		return uint32(b[p]), p + 1, OK
	}
	v, p, st := Unsigned(b, p, 32)
	return uint32(v), p, st
}

// Signed decodes a signed LEB128 integer of bits bits (32, 33 or 64)
// from b[p:], sign-extended to int64.
func Signed(b []byte, p int, bits uint) (int64, int, Status) {
	var v int64
	var shift uint
	for {
		if p >= len(b) {
			return 0, p, EOF
		}
		c := b[p]
		p++
		if shift+7 >= bits { // last byte allowed
			if c&0x80 != 0 {
				return 0, p, TooLong
			}
			// Bits from the sign bit (bits-1-shift) up to bit 6 must agree.
			mask := byte(0x7f) &^ (1<<(bits-1-shift) - 1)
			if t := c & mask; t != 0 && t != mask {
				return 0, p, TooLarge
			}
			v |= int64(c) << shift
			return v << (64 - bits) >> (64 - bits), p, OK
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c < 0x80 {
			if c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, p, OK
		}
	}
}
