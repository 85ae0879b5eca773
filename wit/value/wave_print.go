package value

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/wit"
)

// FormatWAVE returns the canonical WAVE encoding of v, a value of type t, as
// wasm-wave's writer prints it: no optional whitespace beyond ", " and ": ",
// none-valued option fields of records left out, some(x) and ok(x) always
// explicit, keywords among enum and variant cases escaped with '%', floats
// in shortest round-trip decimal without exponent, non-printable chars
// escaped as \u{...}. It fails when v does not match t.
func FormatWAVE(v Value, t *wit.Type) (string, error) {
	b, err := AppendWAVE(nil, v, t)
	return string(b), err
}

// AppendWAVE appends the canonical WAVE encoding of v (see FormatWAVE) to dst.
func AppendWAVE(dst []byte, v Value, t *wit.Type) ([]byte, error) {
	b, err := appendWAVE(dst, v, t)
	if err != nil {
		return b, mismatch(v, t, "")
	}
	return b, nil
}

// errMismatch is returned by the printers when the value does not match the
// type; the caller finds out where with Check (the printers track no paths,
// to print without allocating).
var errMismatch = errors.New("value does not match type")

// mismatch explains a printer's errMismatch; prefix is the path of v.
func mismatch(v Value, t *wit.Type, prefix string) error {
	if err := check(v, t); err != nil {
		if prefix != "" {
			err.segs = append(err.segs, prefix)
		}
		return err.error()
	}
	return fmt.Errorf("value: %s: %s value does not match %s", pathOrTop(prefix), v.Kind(), typeString(t))
}

func appendWAVE(b []byte, v Value, t *wit.Type) ([]byte, error) {
	if t == nil || v.k != kindOf(t.Kind) {
		return b, errMismatch
	}
	switch v.k {
	case kBool, kS8, kS16, kS32, kS64, kU8, kU16, kU32, kU64, kF32, kF64, kOwn, kBorrow, kFuture, kStream, kErrorContext:
		return appendScalarWAVE(b, v), nil
	case kChar:
		if !validScalar(v.bits) {
			return b, errMismatch
		}
		return appendScalarWAVE(b, v), nil
	case kString:
		if !utf8.ValidString(v.str) {
			return b, errMismatch
		}
		return appendScalarWAVE(b, v), nil
	case kList:
		if t.Len > 0 && len(v.elems) != int(t.Len) {
			return b, errMismatch
		}
		return appendSeq(b, '[', ']', v.elems, func(int) *wit.Type { return t.Elem })
	case kTuple:
		if len(v.elems) != len(t.Elems) {
			return b, errMismatch
		}
		return appendSeq(b, '(', ')', v.elems, func(i int) *wit.Type { return t.Elems[i] })
	case kRecord:
		if len(v.elems) != len(t.Fields) {
			return b, errMismatch
		}
		b = append(b, '{')
		n := 0
		for i, f := range t.Fields {
			fv := v.elems[i]
			if fv.k == kOption && fv.bits == 0 && f.Type != nil && f.Type.Kind == wit.Option {
				continue
			}
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = append(b, f.Name...)
			b = append(b, ": "...)
			var err error
			if b, err = appendWAVE(b, fv, f.Type); err != nil {
				return b, err
			}
		}
		if n == 0 {
			b = append(b, ':')
		}
		return append(b, '}'), nil
	case kVariant:
		if v.bits >= uint64(len(t.Cases)) {
			return b, errMismatch
		}
		c := t.Cases[v.bits]
		b = appendLabel(b, c.Name)
		return appendPayload(b, v, c.Type)
	case kEnum:
		if v.bits >= uint64(len(t.Labels)) {
			return b, errMismatch
		}
		return appendLabel(b, t.Labels[v.bits]), nil
	case kOption:
		if v.bits == 0 {
			if len(v.elems) != 0 {
				return b, errMismatch
			}
			return append(b, "none"...), nil
		}
		if v.bits != 1 || len(v.elems) != 1 {
			return b, errMismatch
		}
		b = append(b, "some"...)
		return appendPayload(b, v, t.Elem)
	case kResult:
		switch v.bits {
		case 0:
			b = append(b, "ok"...)
			return appendPayload(b, v, t.Ok)
		case 1:
			b = append(b, "err"...)
			return appendPayload(b, v, t.Err)
		}
		return b, errMismatch
	case kFlags:
		if len(t.Labels) < 64 && v.bits>>len(t.Labels) != 0 {
			return b, errMismatch
		}
		b = append(b, '{')
		n := 0
		for i, l := range t.Labels {
			if i < 64 && v.bits&(1<<i) != 0 {
				if n > 0 {
					b = append(b, ", "...)
				}
				n++
				b = append(b, l...)
			}
		}
		return append(b, '}'), nil
	}
	return b, errMismatch
}

func appendSeq(b []byte, open, close byte, elems []Value, typ func(int) *wit.Type) ([]byte, error) {
	b = append(b, open)
	for i, e := range elems {
		if i > 0 {
			b = append(b, ", "...)
		}
		var err error
		if b, err = appendWAVE(b, e, typ(i)); err != nil {
			return b, err
		}
	}
	return append(b, close), nil
}

func appendPayload(b []byte, v Value, t *wit.Type) ([]byte, error) {
	if (t == nil) != (len(v.elems) == 0) || len(v.elems) > 1 {
		return b, errMismatch
	}
	if t == nil {
		return b, nil
	}
	b = append(b, '(')
	b, err := appendWAVE(b, v.elems[0], t)
	return append(b, ')'), err
}

func appendLabel(b []byte, l string) []byte {
	if isKeyword(l) {
		b = append(b, '%')
	}
	return append(b, l...)
}

// appendScalarWAVE writes a scalar without checking it against a type.
func appendScalarWAVE(b []byte, v Value) []byte {
	switch v.k {
	case kBool:
		return strconv.AppendBool(b, v.bits != 0)
	case kS8, kS16, kS32, kS64:
		return strconv.AppendInt(b, int64(v.bits), 10)
	case kU8, kU16, kU32, kU64, kOwn, kBorrow, kFuture, kStream, kErrorContext:
		return strconv.AppendUint(b, v.bits, 10)
	case kF32:
		return appendFloat(b, float64(math.Float32frombits(uint32(v.bits))), 32)
	case kF64:
		return appendFloat(b, math.Float64frombits(v.bits), 64)
	case kChar:
		b = append(b, '\'')
		b = appendEscaped(b, rune(v.bits))
		return append(b, '\'')
	case kString:
		b = append(b, '"')
		for _, r := range v.str {
			b = appendEscaped(b, r)
		}
		return append(b, '"')
	}
	return b
}

// appendFloat writes nan, inf, -inf, or the shortest decimal that parses
// back to the same float, without exponent (as Rust's Display does).
func appendFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, bits)
}

// appendEscaped writes r as wasm-wave does inside char and string literals:
// \\ \" \' \t \r \n, \u{hex} for control, non-printable and grapheme-extending
// characters, the character itself otherwise.
func appendEscaped(b []byte, r rune) []byte {
	switch r {
	case '\\':
		return append(b, `\\`...)
	case '"':
		return append(b, `\"`...)
	case '\'':
		return append(b, `\'`...)
	case '\t':
		return append(b, `\t`...)
	case '\r':
		return append(b, `\r`...)
	case '\n':
		return append(b, `\n`...)
	}
	if r < 0x20 || r == 0x7f || (r >= utf8.RuneSelf && (!unicode.IsPrint(r) || isGraphemeExtend(r))) {
		b = append(b, `\u{`...)
		b = strconv.AppendUint(b, uint64(r), 16)
		return append(b, '}')
	}
	return utf8.AppendRune(b, r)
}

func isGraphemeExtend(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Other_Grapheme_Extend)
}
