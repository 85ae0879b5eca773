package abi

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/wit/value"
)

// UTF16Tag marks a latin1+utf16 string length as counting UTF-16 code units.
const UTF16Tag = 1 << 31

// Size limits of definitions.py. A string or list lifted from memory may
// take at most MaxStringByteLength or MaxListByteLength bytes there; what
// lowering allocates is at most ReallocMax bytes (a worst-case
// transcoding size included), which values that came through a lift never
// reach.
const (
	MaxStringByteLength = 1<<28 - 1
	MaxListByteLength   = 1<<28 - 1
	ReallocMax          = 1<<32 - 1
)

// errTooLarge is the error for a value too large to lower.
func errTooLarge(what string, n uint64) error {
	return fmt.Errorf("abi: lower: %s of %d bytes exceeds what realloc can allocate", what, n)
}

// loadStringFromRange reads a string of taggedCodeUnits at ptr in the
// options' encoding (definitions.py's load_string_from_range).
func (cx *CallContext) loadStringFromRange(ptr, taggedCodeUnits uint32) (value.Value, error) {
	mem, err := cx.memory()
	if err != nil {
		return value.Value{}, err
	}
	enc := cx.encoding()
	var (
		align   uint32 = 1
		byteLen uint64
		isUTF16 bool
		latin1  bool
	)
	switch enc {
	case UTF8:
		byteLen = uint64(taggedCodeUnits)
	case UTF16:
		align, byteLen, isUTF16 = 2, 2*uint64(taggedCodeUnits), true
	case Latin1UTF16:
		align = 2
		if taggedCodeUnits&UTF16Tag != 0 {
			byteLen, isUTF16 = 2*uint64(taggedCodeUnits^UTF16Tag), true
		} else {
			byteLen, latin1 = uint64(taggedCodeUnits), true
		}
	default:
		return value.Value{}, fmt.Errorf("abi: unknown string encoding %s", enc)
	}
	if byteLen > MaxStringByteLength {
		return value.Value{}, trap(TrapStringTooLong)
	}
	if ptr%align != 0 {
		return value.Value{}, trap(TrapUnaligned)
	}
	if uint64(ptr)+byteLen > uint64(mem.Size()) {
		return value.Value{}, trap(TrapStringOutOfBounds)
	}
	b, ok := mem.Read(ptr, uint32(byteLen))
	if !ok || uint64(len(b)) < byteLen {
		return value.Value{}, trap(TrapStringOutOfBounds)
	}
	switch {
	case isUTF16:
		s, err := decodeUTF16(b)
		if err != nil {
			return value.Value{}, err
		}
		return value.String(s), nil
	case latin1:
		return value.String(decodeLatin1(b)), nil
	}
	if err := validUTF8(b); err != nil {
		return value.Value{}, err
	}
	return value.String(string(b)), nil
}

// validUTF8 traps, in the words of Rust's Utf8Error (which wasmtime shows),
// where b is not UTF-8.
func validUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			if !utf8.FullRune(b[i:]) {
				return trapf(TrapInvalidUTF8, "incomplete utf-8 byte sequence from index %d", i)
			}
			return trapf(TrapInvalidUTF8, "invalid utf-8 sequence of 1 bytes from index %d", i)
		}
		i += n
	}
	return trap(TrapInvalidUTF8)
}

func decodeUTF16(b []byte) (string, error) {
	out := make([]byte, 0, len(b)/2)
	n := len(b) / 2
	for i := 0; i < n; i++ {
		c := rune(binary.LittleEndian.Uint16(b[2*i:]))
		switch {
		case c < utf8.RuneSelf:
			out = append(out, byte(c))
			continue
		case utf16.IsSurrogate(c):
			if c < 0xDC00 && i+1 < n {
				c2 := rune(binary.LittleEndian.Uint16(b[2*i+2:]))
				if r := utf16.DecodeRune(c, c2); r != utf8.RuneError {
					out = utf8.AppendRune(out, r)
					i++
					continue
				}
			}
			return "", trapf(TrapInvalidUTF16, "invalid utf-16: unpaired surrogate at code unit %d", i)
		}
		out = utf8.AppendRune(out, c)
	}
	return string(out), nil
}

func decodeLatin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// realloc calls the realloc option and checks its result's alignment and
// bounds for newSize bytes.
func (cx *CallContext) realloc(oldPtr, oldSize, align, newSize uint32) (uint32, error) {
	mem, err := cx.memory()
	if err != nil {
		return 0, err
	}
	if cx.Opts.Realloc == nil {
		return 0, errNoRealloc
	}
	ptr, err := cx.Opts.Realloc(cx.ctx(), oldPtr, oldSize, align, newSize)
	if err != nil {
		return 0, err
	}
	if ptr%align != 0 {
		return 0, trap(TrapReallocUnaligned)
	}
	if uint64(ptr)+uint64(newSize) > uint64(mem.Size()) {
		return 0, trap(TrapReallocOutOfBounds)
	}
	return ptr, nil
}

func (cx *CallContext) write(ptr uint32, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if !cx.Opts.Memory.Write(ptr, b) {
		return trap(TrapOutOfBounds)
	}
	return nil
}

// storeStringIntoRange allocates s in the guest in the options' encoding
// and returns its pointer and tagged code units (definitions.py's
// store_string_into_range). The source encoding and code units are those
// of the component the string was lifted from (cx.Source; UTF8 for the
// host's strings): they decide the sizes realloc is asked for.
func (cx *CallContext) storeStringIntoRange(s string) (ptr, taggedCodeUnits uint32, err error) {
	if !utf8.ValidString(s) {
		return 0, 0, fmt.Errorf("abi: lower: string is not valid UTF-8")
	}
	src, n := cx.sourceOf(s)
	switch enc := cx.encoding(); enc {
	case UTF8:
		switch src {
		case srcUTF16:
			return cx.storeToUTF8(s, n, 3*n)
		case srcLatin1:
			return cx.storeToUTF8(s, n, 2*n)
		}
		return cx.storeCopy(s, n, 1, 1)
	case UTF16:
		if src == srcUTF8 {
			return cx.storeUTF8ToUTF16(s, n)
		}
		return cx.storeCopy(s, n, 2, 2)
	case Latin1UTF16:
		if cx.Source == Latin1UTF16 {
			if src == srcLatin1 {
				return cx.storeCopy(s, n, 1, 2)
			}
			return cx.storeProbablyUTF16ToLatin1OrUTF16(s, n)
		}
		return cx.storeUTF8ToLatin1OrUTF16(s, n)
	default:
		return 0, 0, fmt.Errorf("abi: unknown string encoding %s", enc)
	}
}

// Simple source encodings (definitions.py's src_simple_encoding).
const (
	srcUTF8 = iota
	srcUTF16
	srcLatin1
)

// sourceOf returns the simple encoding s had where it was lifted from and
// its code units there. A latin1+utf16 source held it in latin1 when it
// could (the string itself does not say which the guest chose).
func (cx *CallContext) sourceOf(s string) (int, uint64) {
	switch cx.Source {
	case UTF16:
		return srcUTF16, utf16Len(s)
	case Latin1UTF16:
		n := uint64(0)
		for _, r := range s {
			if r >= 1<<8 {
				return srcUTF16, utf16Len(s)
			}
			n++
		}
		return srcLatin1, n
	}
	return srcUTF8, uint64(len(s))
}

func utf16Len(s string) uint64 {
	n := uint64(0)
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// storeCopy is store_string_copy: n code units of unit bytes each, in
// the destination's encoding (utf8; utf16; latin1 when unit is 1 and the
// alignment 2).
func (cx *CallContext) storeCopy(s string, n uint64, unit, align uint32) (uint32, uint32, error) {
	size := uint64(unit) * n
	if size > ReallocMax {
		return 0, 0, errTooLarge("string", size)
	}
	ptr, err := cx.realloc(0, 0, align, uint32(size))
	if err != nil {
		return 0, 0, err
	}
	switch {
	case unit == 2:
		err = cx.write(ptr, encodeUTF16(s))
	case align == 2:
		err = cx.write(ptr, encodeLatin1(s))
	default:
		err = cx.writeString(ptr, s)
	}
	if err != nil {
		return 0, 0, err
	}
	return ptr, uint32(n), nil
}

// storeToUTF8 is store_string_to_utf8 (from utf16 or latin1 sources): n
// bytes first, the worst case from the first non-ASCII character on, then
// shrunk to fit.
func (cx *CallContext) storeToUTF8(s string, n, worst uint64) (uint32, uint32, error) {
	if n > ReallocMax {
		return 0, 0, errTooLarge("string", n)
	}
	ptr, err := cx.realloc(0, 0, 1, uint32(n))
	if err != nil {
		return 0, 0, err
	}
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if err := cx.writeString(ptr, s[:i]); err != nil {
		return 0, 0, err
	}
	if i == len(s) {
		return ptr, uint32(n), nil
	}
	if worst > ReallocMax {
		return 0, 0, errTooLarge("string", worst)
	}
	if ptr, err = cx.realloc(ptr, uint32(n), 1, uint32(worst)); err != nil {
		return 0, 0, err
	}
	if err := cx.writeString(ptr+uint32(i), s[i:]); err != nil {
		return 0, 0, err
	}
	if worst > uint64(len(s)) {
		if ptr, err = cx.realloc(ptr, uint32(worst), 1, uint32(len(s))); err != nil {
			return 0, 0, err
		}
	}
	return ptr, uint32(len(s)), nil
}

// storeProbablyUTF16ToLatin1OrUTF16 is
// store_probably_utf16_to_latin1_or_utf16 (a latin1+utf16 source that held
// s in UTF-16): the UTF-16 size, deflated to latin1 when s allows.
func (cx *CallContext) storeProbablyUTF16ToLatin1OrUTF16(s string, n uint64) (uint32, uint32, error) {
	size := 2 * n
	if size > ReallocMax {
		return 0, 0, errTooLarge("string", size)
	}
	ptr, err := cx.realloc(0, 0, 2, uint32(size))
	if err != nil {
		return 0, 0, err
	}
	if err := cx.write(ptr, encodeUTF16(s)); err != nil {
		return 0, 0, err
	}
	for _, r := range s {
		if r >= 1<<8 {
			return ptr, uint32(n) | UTF16Tag, nil
		}
	}
	l := encodeLatin1(s)
	if err := cx.write(ptr, l); err != nil {
		return 0, 0, err
	}
	if ptr, err = cx.realloc(ptr, uint32(size), 1, uint32(len(l))); err != nil {
		return 0, 0, err
	}
	return ptr, uint32(len(l)), nil
}

// encodeLatin1 encodes s, every character of which is below U+0100.
func encodeLatin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, byte(r))
	}
	return out
}

func (cx *CallContext) writeString(ptr uint32, s string) error {
	if len(s) == 0 {
		return nil
	}
	// wazero's Memory.Read returns a view; writing through WriteString
	// would avoid the copy, but Memory only promises Write.
	if w, ok := cx.Opts.Memory.(interface {
		WriteString(offset uint32, v string) bool
	}); ok {
		if !w.WriteString(ptr, s) {
			return trap(TrapOutOfBounds)
		}
		return nil
	}
	return cx.write(ptr, []byte(s))
}

func (cx *CallContext) storeUTF8ToUTF16(s string, n uint64) (uint32, uint32, error) {
	worst := 2 * n
	if worst > ReallocMax {
		return 0, 0, errTooLarge("string", worst)
	}
	ptr, err := cx.realloc(0, 0, 2, uint32(worst))
	if err != nil {
		return 0, 0, err
	}
	enc := encodeUTF16(s)
	if err := cx.write(ptr, enc); err != nil {
		return 0, 0, err
	}
	if uint64(len(enc)) < worst {
		ptr, err = cx.realloc(ptr, uint32(worst), 2, uint32(len(enc)))
		if err != nil {
			return 0, 0, err
		}
	}
	return ptr, uint32(len(enc) / 2), nil
}

// storeUTF8ToLatin1OrUTF16 is store_string_to_latin1_or_utf16 (from a
// utf8 or utf16 source of n code units).
func (cx *CallContext) storeUTF8ToLatin1OrUTF16(s string, n uint64) (uint32, uint32, error) {
	if 2*n > ReallocMax {
		return 0, 0, errTooLarge("string", 2*n)
	}
	ptr, err := cx.realloc(0, 0, 2, uint32(n))
	if err != nil {
		return 0, 0, err
	}
	latin1 := make([]byte, 0, n)
	for _, r := range s {
		if r >= 1<<8 {
			// Not latin1: grow to the worst case, write UTF-16 (the
			// latin1 prefix inflated is its UTF-16), shrink to fit.
			worst := 2 * n
			if err := cx.write(ptr, latin1); err != nil {
				return 0, 0, err
			}
			ptr, err = cx.realloc(ptr, uint32(n), 2, uint32(worst))
			if err != nil {
				return 0, 0, err
			}
			enc := encodeUTF16(s)
			if err := cx.write(ptr, enc); err != nil {
				return 0, 0, err
			}
			if worst > uint64(len(enc)) {
				ptr, err = cx.realloc(ptr, uint32(worst), 2, uint32(len(enc)))
				if err != nil {
					return 0, 0, err
				}
			}
			return ptr, uint32(len(enc)/2) | UTF16Tag, nil
		}
		latin1 = append(latin1, byte(r))
	}
	if err := cx.write(ptr, latin1); err != nil {
		return 0, 0, err
	}
	if uint64(len(latin1)) < n {
		ptr, err = cx.realloc(ptr, uint32(n), 2, uint32(len(latin1)))
		if err != nil {
			return 0, 0, err
		}
	}
	return ptr, uint32(len(latin1)), nil
}

func encodeUTF16(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			out = binary.LittleEndian.AppendUint16(out, uint16(r1))
			out = binary.LittleEndian.AppendUint16(out, uint16(r2))
			continue
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(r))
	}
	return out
}
