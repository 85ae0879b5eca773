package value

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/wit"
)

// FormatJSON returns the JSON encoding of v, a value of type t, compact, with
// record fields in the type's order (none-valued option fields as null).
func FormatJSON(v Value, t *wit.Type) ([]byte, error) {
	return AppendJSON(nil, v, t)
}

// FormatJSONArgs returns arguments as a JSON array, one element per parameter.
func FormatJSONArgs(args []Value, params []wit.Param) ([]byte, error) {
	if len(args) != len(params) {
		return nil, fmt.Errorf("value: %d arguments for %d parameters", len(args), len(params))
	}
	b := []byte{'['}
	for i, a := range args {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendJSON(b, a, params[i].Type); err != nil {
			return nil, mismatch(a, params[i].Type, "("+params[i].Name+")")
		}
	}
	return append(b, ']'), nil
}

// AppendJSON appends the JSON encoding of v (see FormatJSON) to dst.
func AppendJSON(dst []byte, v Value, t *wit.Type) ([]byte, error) {
	b, err := appendJSON(dst, v, t)
	if err != nil {
		return b, mismatch(v, t, "")
	}
	return b, nil
}

func appendJSON(b []byte, v Value, t *wit.Type) ([]byte, error) {
	if t == nil || v.k != kindOf(t.Kind) {
		return b, errMismatch
	}
	switch v.k {
	case kBool, kS8, kS16, kS32, kS64, kU8, kU16, kU32, kU64, kOwn, kBorrow, kFuture, kStream, kErrorContext:
		return appendScalarWAVE(b, v), nil
	case kF32, kF64:
		f, bits := v.Float(), v.k.floatBits()
		switch {
		case math.IsNaN(f):
			return append(b, `"nan"`...), nil
		case math.IsInf(f, 1):
			return append(b, `"inf"`...), nil
		case math.IsInf(f, -1):
			return append(b, `"-inf"`...), nil
		}
		return strconv.AppendFloat(b, f, 'g', -1, bits), nil
	case kChar:
		if !validScalar(v.bits) {
			return b, errMismatch
		}
		return appendJSONString(b, string(rune(v.bits))), nil
	case kString:
		if !utf8.ValidString(v.str) {
			return b, errMismatch
		}
		return appendJSONString(b, v.str), nil
	case kList, kTuple:
		if (v.k == kTuple && len(v.elems) != len(t.Elems)) || (v.k == kList && t.Len > 0 && len(v.elems) != int(t.Len)) {
			return b, errMismatch
		}
		b = append(b, '[')
		for i, e := range v.elems {
			if i > 0 {
				b = append(b, ',')
			}
			et := t.Elem
			if v.k == kTuple {
				et = t.Elems[i]
			}
			var err error
			if b, err = appendJSON(b, e, et); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case kRecord:
		if len(v.elems) != len(t.Fields) {
			return b, errMismatch
		}
		b = append(b, '{')
		for i, f := range t.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f.Name)
			b = append(b, ':')
			var err error
			if b, err = appendJSON(b, v.elems[i], f.Type); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case kEnum:
		if v.bits >= uint64(len(t.Labels)) {
			return b, errMismatch
		}
		return appendJSONString(b, t.Labels[v.bits]), nil
	case kFlags:
		if len(t.Labels) < 64 && v.bits>>len(t.Labels) != 0 {
			return b, errMismatch
		}
		b = append(b, '[')
		n := 0
		for i, l := range t.Labels {
			if i < 64 && v.bits&(1<<i) != 0 {
				if n > 0 {
					b = append(b, ',')
				}
				n++
				b = appendJSONString(b, l)
			}
		}
		return append(b, ']'), nil
	case kOption:
		if v.bits == 0 && len(v.elems) == 0 {
			return append(b, "null"...), nil
		}
		if v.bits != 1 || len(v.elems) != 1 {
			return b, errMismatch
		}
		if t.Elem != nil && t.Elem.Kind == wit.Option {
			b = append(b, `{"some":`...)
			b, err := appendJSON(b, v.elems[0], t.Elem)
			return append(b, '}'), err
		}
		return appendJSON(b, v.elems[0], t.Elem)
	case kResult:
		name, pt := "ok", t.Ok
		if v.bits == 1 {
			name, pt = "err", t.Err
		} else if v.bits != 0 {
			return b, errMismatch
		}
		return appendJSONCase(b, v, name, pt, false)
	case kVariant:
		if v.bits >= uint64(len(t.Cases)) {
			return b, errMismatch
		}
		c := t.Cases[v.bits]
		return appendJSONCase(b, v, c.Name, c.Type, true)
	}
	return b, errMismatch
}

// appendJSONCase writes {"name": payload}; a case without payload is "name"
// when bare, else {"name": null}.
func appendJSONCase(b []byte, v Value, name string, pt *wit.Type, bare bool) ([]byte, error) {
	if (pt == nil) != (len(v.elems) == 0) || len(v.elems) > 1 {
		return b, errMismatch
	}
	if pt == nil && bare {
		return appendJSONString(b, name), nil
	}
	b = append(b, '{')
	b = appendJSONString(b, name)
	b = append(b, ':')
	if pt == nil {
		b = append(b, "null"...)
	} else {
		var err error
		if b, err = appendJSON(b, v.elems[0], pt); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s (valid UTF-8) as a JSON string, escaping only
// what JSON requires (and U+2028, U+2029 for JavaScript's sake).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"':
			b = append(b, `\"`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = append(b, `\u`...)
			b = append(b, hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
