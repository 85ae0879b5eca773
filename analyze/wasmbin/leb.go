package wasmbin

// LEB128 readers take the buffer and a position and return the value, the
// position after it, and a LEBStatus; callers turn a bad status into a
// *FormatError worded for what they were reading. Non-minimal encodings are accepted as the spec requires
// (linkers pad indices to 5 bytes), but an encoding may not be longer than
// ceil(N/7) bytes and the unused bits of its last byte must be zero
// (unsigned) or copies of the sign bit (signed).

// LEBStatus says how a LEB128 read ended.
type LEBStatus uint8

// LEB128 read statuses.
const (
	LEBOK       LEBStatus = iota // a well-formed integer
	LEBEOF                       // the input ended inside the integer
	LEBTooLong                   // more than ceil(bits/7) bytes
	LEBTooLarge                  // unused bits of the last byte are not zero (or sign copies)
)

// ReadUnsigned decodes an unsigned LEB128 integer of at most bits bits
// (32 or 64) from b[p:].
func ReadUnsigned(b []byte, p int, bits uint) (uint64, int, LEBStatus) {
	var v uint64
	var shift uint
	for {
		if p >= len(b) {
			return 0, p, LEBEOF
		}
		c := b[p]
		p++
		if shift+7 >= bits { // last byte allowed
			if c&0x80 != 0 {
				return 0, p, LEBTooLong
			}
			if c>>(bits-shift) != 0 {
				return 0, p, LEBTooLarge
			}
			return v | uint64(c)<<shift, p, LEBOK
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, p, LEBOK
		}
		shift += 7
	}
}

// ReadU32 decodes an unsigned LEB128 u32 from b[p:].
func ReadU32(b []byte, p int) (uint32, int, LEBStatus) {
	if p < len(b) && b[p] < 0x80 {
		return uint32(b[p]), p + 1, LEBOK
	}
	v, p, st := ReadUnsigned(b, p, 32)
	return uint32(v), p, st
}

// ReadSigned decodes a signed LEB128 integer of bits bits (32, 33 or 64)
// from b[p:], sign-extended to int64.
func ReadSigned(b []byte, p int, bits uint) (int64, int, LEBStatus) {
	var v int64
	var shift uint
	for {
		if p >= len(b) {
			return 0, p, LEBEOF
		}
		c := b[p]
		p++
		if shift+7 >= bits { // last byte allowed
			if c&0x80 != 0 {
				return 0, p, LEBTooLong
			}
			// Bits from the sign bit (bits-1-shift) up to bit 6 must agree.
			mask := byte(0x7f) &^ (1<<(bits-1-shift) - 1)
			if t := c & mask; t != 0 && t != mask {
				return 0, p, LEBTooLarge
			}
			v |= int64(c) << shift
			return v << (64 - bits) >> (64 - bits), p, LEBOK
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c < 0x80 {
			if c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, p, LEBOK
		}
	}
}

// AppendU32 appends v as an unsigned LEB128 of minimal length.
func AppendU32(b []byte, v uint32) []byte { return AppendU64(b, uint64(v)) }

// AppendU64 appends v as an unsigned LEB128 of minimal length.
func AppendU64(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// AppendS64 appends v as a signed LEB128 of minimal length (also right for
// s32 and s33 values).
func AppendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// SizeU32 returns the length of v's minimal LEB128 encoding.
func SizeU32(v uint32) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// AppendName appends s as a Wasm name: its length as a u32 LEB128, then
// its bytes.
func AppendName(b []byte, s string) []byte {
	b = AppendU32(b, uint32(len(s)))
	return append(b, s...)
}
