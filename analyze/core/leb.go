package core

// LEB128 decoding. Each reader takes the buffer and a position and returns
// the value, the position after it, and a status; callers turn a bad status
// into a FormatError with lebError. Non-minimal encodings are accepted as
// the spec requires (linkers pad indices to 5 bytes), but an encoding may not
// be longer than ceil(N/7) bytes and the unused bits of its last byte must be
// zero (unsigned) or copies of the sign bit (signed).

type lebStatus uint8

const (
	lebOK lebStatus = iota
	lebEOF
	lebTooLong
	lebTooLarge
)

// readUnsigned decodes an unsigned LEB128 integer of at most bits bits
// (32 or 64) from b[p:].
func readUnsigned(b []byte, p int, bits uint) (uint64, int, lebStatus) {
	var v uint64
	var shift uint
	for {
		if p >= len(b) {
			return 0, p, lebEOF
		}
		c := b[p]
		p++
		if shift+7 >= bits { // last byte allowed
			if c&0x80 != 0 {
				return 0, p, lebTooLong
			}
			if c>>(bits-shift) != 0 {
				return 0, p, lebTooLarge
			}
			return v | uint64(c)<<shift, p, lebOK
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, p, lebOK
		}
		shift += 7
	}
}

// readU32 decodes an unsigned LEB128 u32 from b[p:].
func readU32(b []byte, p int) (uint32, int, lebStatus) {
	if p < len(b) && b[p] < 0x80 {
		return uint32(b[p]), p + 1, lebOK
	}
	v, p, st := readUnsigned(b, p, 32)
	return uint32(v), p, st
}

// readSigned decodes a signed LEB128 integer of bits bits (32, 33 or 64)
// from b[p:], sign-extended to int64.
func readSigned(b []byte, p int, bits uint) (int64, int, lebStatus) {
	var v int64
	var shift uint
	for {
		if p >= len(b) {
			return 0, p, lebEOF
		}
		c := b[p]
		p++
		if shift+7 >= bits { // last byte allowed
			if c&0x80 != 0 {
				return 0, p, lebTooLong
			}
			// Bits from the sign bit (bits-1-shift) up to bit 6 must agree.
			mask := byte(0x7f) &^ (1<<(bits-1-shift) - 1)
			if t := c & mask; t != 0 && t != mask {
				return 0, p, lebTooLarge
			}
			v |= int64(c) << shift
			return v << (64 - bits) >> (64 - bits), p, lebOK
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c < 0x80 {
			if c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, p, lebOK
		}
	}
}

// lebError describes a failed LEB128 read that started at off. what names
// the integer ("u32", "s33", ...) and where the enclosing structure
// ("type section", "function body") for end-of-input errors.
func lebError(st lebStatus, off, end int, what, where string) *FormatError {
	switch st {
	case lebEOF:
		return errorf(end, nil, "unexpected end of %s reading %s", where, what)
	case lebTooLong:
		return errorf(off, nil, "%s LEB128 integer representation too long", what)
	default:
		return errorf(off, nil, "%s LEB128 integer too large", what)
	}
}
