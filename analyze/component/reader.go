package component

import (
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
)

// reader is the decoding cursor. b is the whole input, so positions are
// absolute offsets; end bounds the section (or nested component) being read.
// Errors are sticky: after the first failure every read returns a zero value
// and err keeps the first error, so loops only need to check err.
type reader struct {
	b     []byte
	pos   int
	end   int
	where string // "type section", for end-of-input messages
	err   *FormatError
	types *arena // where type definitions are allocated
}

func (r *reader) failf(off int, val any, format string, args ...any) {
	if r.err == nil {
		r.err = errorf(off, val, format, args...)
	}
}

func (r *reader) remaining() int { return r.end - r.pos }

func (r *reader) eof() {
	r.failf(r.pos, nil, "unexpected end of %s", r.where)
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= r.end {
		r.eof()
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) peek() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= r.end {
		r.eof()
		return 0
	}
	return r.b[r.pos]
}

// bool reads a 0x00/0x01 flag byte.
func (r *reader) bool(what string) bool {
	off := r.pos
	switch c := r.byte(); c {
	case 0:
		return false
	case 1:
		return true
	default:
		r.failf(off, c, "invalid %s flag 0x%02x (want 0x00 or 0x01)", what, c)
		return false
	}
}

// uleb reads an unsigned LEB128 integer of at most bits bits.
func (r *reader) uleb(bits uint) uint64 {
	if r.err != nil {
		return 0
	}
	start := r.pos
	v, p, st := wasmbin.ReadUnsigned(r.b[:r.end], r.pos, bits)
	r.pos = p
	switch st {
	case wasmbin.LEBEOF:
		r.eof()
	case wasmbin.LEBTooLong:
		r.failf(start, nil, "invalid LEB128: u%d encoding longer than %d bytes", bits, (bits+6)/7)
	case wasmbin.LEBTooLarge:
		r.failf(start, nil, "invalid LEB128: u%d value out of range", bits)
	default:
		return v
	}
	return 0
}

func (r *reader) u32() uint32 {
	if r.err == nil && r.pos < r.end && r.b[r.pos] < 0x80 {
		c := r.b[r.pos]
		r.pos++
		return uint32(c)
	}
	return uint32(r.uleb(32))
}

func (r *reader) u64() uint64 { return r.uleb(64) }

// s33 reads a signed 33-bit LEB128 integer (value types, heap types).
func (r *reader) s33() int64 {
	if r.err != nil {
		return 0
	}
	start := r.pos
	v, p, st := wasmbin.ReadSigned(r.b[:r.end], r.pos, 33)
	r.pos = p
	switch st {
	case wasmbin.LEBEOF:
		r.eof()
	case wasmbin.LEBTooLong:
		r.failf(start, nil, "invalid LEB128: s33 encoding longer than 5 bytes")
	case wasmbin.LEBTooLarge:
		r.failf(start, nil, "invalid LEB128: s33 value out of range")
	default:
		return v
	}
	return 0
}

// count reads a vector length and checks that n entries of at least minSize
// bytes each fit in the rest of the current section before anyone allocates.
func (r *reader) count(what string, minSize int) int {
	off := r.pos
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if uint64(n)*uint64(minSize) > uint64(r.remaining()) {
		r.failf(off, n, "%s count %d cannot fit in the %d remaining bytes of the %s", what, n, r.remaining(), r.where)
		return 0
	}
	return int(n)
}

// name reads a length-prefixed UTF-8 string.
func (r *reader) name(what string) string {
	off := r.pos
	n := r.u32()
	if r.err != nil {
		return ""
	}
	if uint64(n) > uint64(r.remaining()) {
		r.failf(off, n, "%s length %d exceeds the %d remaining bytes of the %s", what, n, r.remaining(), r.where)
		return ""
	}
	s := r.b[r.pos : r.pos+int(n)]
	if !utf8.Valid(s) {
		r.failf(r.pos, nil, "%s is not valid UTF-8", what)
		return ""
	}
	r.pos += int(n)
	return string(s)
}
