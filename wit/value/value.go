package value

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/wit"
)

// kind is the compact form of a value's kind stored in every Value.
type kind uint8

const (
	kInvalid kind = iota
	kBool
	kS8
	kU8
	kS16
	kU16
	kS32
	kU32
	kS64
	kU64
	kF32
	kF64
	kChar
	kString
	kList
	kRecord
	kTuple
	kVariant
	kEnum
	kOption
	kResult
	kFlags
	kOwn
	kBorrow
	kFuture
	kStream
	kErrorContext
	numKinds
)

var witKinds = [numKinds]wit.Kind{
	kInvalid: "", kBool: wit.Bool, kS8: wit.S8, kU8: wit.U8, kS16: wit.S16, kU16: wit.U16,
	kS32: wit.S32, kU32: wit.U32, kS64: wit.S64, kU64: wit.U64, kF32: wit.F32, kF64: wit.F64,
	kChar: wit.Char, kString: wit.String, kList: wit.List, kRecord: wit.Record, kTuple: wit.Tuple,
	kVariant: wit.Variant, kEnum: wit.Enum, kOption: wit.Option, kResult: wit.Result,
	kFlags: wit.Flags, kOwn: wit.Own, kBorrow: wit.Borrow, kFuture: wit.Future,
	kStream: wit.Stream, kErrorContext: wit.ErrorContext,
}

func kindOf(k wit.Kind) kind {
	switch k {
	case wit.Bool:
		return kBool
	case wit.S8:
		return kS8
	case wit.U8:
		return kU8
	case wit.S16:
		return kS16
	case wit.U16:
		return kU16
	case wit.S32:
		return kS32
	case wit.U32:
		return kU32
	case wit.S64:
		return kS64
	case wit.U64:
		return kU64
	case wit.F32:
		return kF32
	case wit.F64:
		return kF64
	case wit.Char:
		return kChar
	case wit.String:
		return kString
	case wit.List, wit.Map:
		return kList
	case wit.Record:
		return kRecord
	case wit.Tuple:
		return kTuple
	case wit.Variant:
		return kVariant
	case wit.Enum:
		return kEnum
	case wit.Option:
		return kOption
	case wit.Result:
		return kResult
	case wit.Flags:
		return kFlags
	case wit.Own:
		return kOwn
	case wit.Borrow:
		return kBorrow
	case wit.Future:
		return kFuture
	case wit.Stream:
		return kStream
	case wit.ErrorContext:
		return kErrorContext
	}
	return kInvalid
}

func (k kind) isSigned() bool   { return k == kS8 || k == kS16 || k == kS32 || k == kS64 }
func (k kind) isUnsigned() bool { return k == kU8 || k == kU16 || k == kU32 || k == kU64 }
func (k kind) isInt() bool      { return k.isSigned() || k.isUnsigned() }
func (k kind) isHandle() bool {
	return k == kOwn || k == kBorrow || k == kFuture || k == kStream || k == kErrorContext
}

// intBits is the width of an integer kind.
func (k kind) intBits() int {
	switch k {
	case kS8, kU8:
		return 8
	case kS16, kU16:
		return 16
	case kS32, kU32:
		return 32
	}
	return 64
}

// MaxFlags is the largest number of flags a Value can hold. The Component
// Model itself limits flags types to 32 flags.
const MaxFlags = 64

// Value is one component value. See the package documentation for the
// representation. The zero Value is invalid (Kind() == "").
//
// Values are immutable: slices returned by Elems must not be modified, and
// Convert may return (parts of) its input unchanged.
type Value struct {
	k kind
	// bits holds the scalar: bool (0/1); integers as two's complement,
	// sign-extended for signed kinds; f32 (math.Float32bits) and f64
	// (math.Float64bits); char (the scalar value); the case index of variant
	// and enum; 0 = none / 1 = some for option; 0 = ok / 1 = err for result;
	// the flag set for flags (bit i = label i); the handle number for own,
	// borrow, future, stream and error-context.
	bits uint64
	// str is the contents of a string.
	str string
	// elems are the elements of list and tuple, the fields of a record in the
	// type's order, and the payload (0 or 1 element) of variant, option and
	// result.
	elems []Value
}

// Scalar constructors.

// Bool returns a bool value.
func Bool(b bool) Value {
	if b {
		return Value{k: kBool, bits: 1}
	}
	return Value{k: kBool}
}

// S8 returns an s8 value.
func S8(x int8) Value { return Value{k: kS8, bits: uint64(int64(x))} }

// S16 returns an s16 value.
func S16(x int16) Value { return Value{k: kS16, bits: uint64(int64(x))} }

// S32 returns an s32 value.
func S32(x int32) Value { return Value{k: kS32, bits: uint64(int64(x))} }

// S64 returns an s64 value.
func S64(x int64) Value { return Value{k: kS64, bits: uint64(x)} }

// U8 returns a u8 value.
func U8(x uint8) Value { return Value{k: kU8, bits: uint64(x)} }

// U16 returns a u16 value.
func U16(x uint16) Value { return Value{k: kU16, bits: uint64(x)} }

// U32 returns a u32 value.
func U32(x uint32) Value { return Value{k: kU32, bits: uint64(x)} }

// U64 returns a u64 value.
func U64(x uint64) Value { return Value{k: kU64, bits: x} }

// F32 returns an f32 value; NaN payloads are kept as given.
func F32(x float32) Value { return Value{k: kF32, bits: uint64(math.Float32bits(x))} }

// F64 returns an f64 value; NaN payloads are kept as given.
func F64(x float64) Value { return Value{k: kF64, bits: math.Float64bits(x)} }

// Char returns a char value. r should be a Unicode scalar value (see Check).
func Char(r rune) Value { return Value{k: kChar, bits: uint64(uint32(r))} }

// String returns a string value. s should be valid UTF-8 (see Check).
func String(s string) Value { return Value{k: kString, str: s} }

// Int returns an integer value of kind k (s8 … u64) holding x, or an error
// when x does not fit k.
func Int(k wit.Kind, x int64) (Value, error) {
	kk := kindOf(k)
	if !kk.isInt() {
		return Value{}, fmt.Errorf("value: %s is not an integer kind", k)
	}
	if !fitsInt(kk, x) {
		return Value{}, fmt.Errorf("value: %d out of range for %s", x, k)
	}
	return Value{k: kk, bits: uint64(x)}, nil
}

// Uint returns an integer value of kind k (s8 … u64) holding x, or an error
// when x does not fit k.
func Uint(k wit.Kind, x uint64) (Value, error) {
	kk := kindOf(k)
	if !kk.isInt() {
		return Value{}, fmt.Errorf("value: %s is not an integer kind", k)
	}
	if !fitsUint(kk, x) {
		return Value{}, fmt.Errorf("value: %d out of range for %s", x, k)
	}
	return Value{k: kk, bits: x}, nil
}

func fitsInt(k kind, x int64) bool {
	if k.isUnsigned() {
		return x >= 0 && fitsUint(k, uint64(x))
	}
	n := k.intBits()
	if n == 64 {
		return true
	}
	lim := int64(1) << (n - 1)
	return x >= -lim && x < lim
}

func fitsUint(k kind, x uint64) bool {
	n := k.intBits()
	if k.isSigned() {
		return x <= uint64(1)<<(n-1)-1
	}
	if n == 64 {
		return true
	}
	return x < uint64(1)<<n
}

// Composite constructors.

// List returns a list value with the given elements.
func List(elems ...Value) Value { return Value{k: kList, elems: elems} }

// Tuple returns a tuple value with the given members.
func Tuple(elems ...Value) Value { return Value{k: kTuple, elems: elems} }

// Record returns a record value; fields are in the order of the type's fields.
func Record(fields ...Value) Value { return Value{k: kRecord, elems: fields} }

// Variant returns the variant value of case index c (in the type's order),
// with payload when the case has one. It panics when given more than one payload.
func Variant(c int, payload ...Value) Value {
	if len(payload) > 1 {
		panic("value.Variant: more than one payload")
	}
	return Value{k: kVariant, bits: uint64(c), elems: payload}
}

// Enum returns the enum value of case index c (in the type's order).
func Enum(c int) Value { return Value{k: kEnum, bits: uint64(c)} }

// None returns the option value none.
func None() Value { return Value{k: kOption} }

// Some returns the option value some(v).
func Some(v Value) Value { return Value{k: kOption, bits: 1, elems: []Value{v}} }

// Ok returns the result value ok, with payload when the ok type is not _.
// It panics when given more than one payload.
func Ok(payload ...Value) Value {
	if len(payload) > 1 {
		panic("value.Ok: more than one payload")
	}
	return Value{k: kResult, elems: payload}
}

// Err returns the result value err, with payload when the error type is not _.
// It panics when given more than one payload.
func Err(payload ...Value) Value {
	if len(payload) > 1 {
		panic("value.Err: more than one payload")
	}
	return Value{k: kResult, bits: 1, elems: payload}
}

// Flags returns a flags value; bit i of set is the i-th flag of the type.
func Flags(set uint64) Value { return Value{k: kFlags, bits: set} }

// Handle returns a handle value of kind k (own, borrow, future, stream or
// error-context) with handle number h, as the canonical ABI passes it.
// It panics for other kinds.
func Handle(k wit.Kind, h uint32) Value {
	kk := kindOf(k)
	if !kk.isHandle() {
		panic("value.Handle: not a handle kind: " + string(k))
	}
	return Value{k: kk, bits: uint64(h)}
}

// Own returns an own<R> handle value.
func Own(h uint32) Value { return Value{k: kOwn, bits: uint64(h)} }

// Borrow returns a borrow<R> handle value.
func Borrow(h uint32) Value { return Value{k: kBorrow, bits: uint64(h)} }

// Accessors. Like reflect.Value, they panic when the value has another kind.

// Kind returns the value's kind, or "" for the zero Value.
func (v Value) Kind() wit.Kind { return witKinds[v.k] }

// IsValid reports whether v is not the zero Value.
func (v Value) IsValid() bool { return v.k != kInvalid }

func (v Value) must(ok bool, what string) {
	if !ok {
		panic(fmt.Sprintf("value: %s of %s value", what, v.Kind()))
	}
}

// Bool returns the value of a bool.
func (v Value) Bool() bool { v.must(v.k == kBool, "Bool"); return v.bits != 0 }

// Int returns the value of a signed integer (s8 … s64).
func (v Value) Int() int64 { v.must(v.k.isSigned(), "Int"); return int64(v.bits) }

// Uint returns the value of an unsigned integer (u8 … u64).
func (v Value) Uint() uint64 { v.must(v.k.isUnsigned(), "Uint"); return v.bits }

// Float returns the value of an f32 or f64 as a float64.
func (v Value) Float() float64 {
	switch v.k {
	case kF32:
		return float64(math.Float32frombits(uint32(v.bits)))
	case kF64:
		return math.Float64frombits(v.bits)
	}
	v.must(false, "Float")
	return 0
}

// F32 returns the value of an f32, bit for bit.
func (v Value) F32() float32 { v.must(v.k == kF32, "F32"); return math.Float32frombits(uint32(v.bits)) }

// Char returns the value of a char.
func (v Value) Char() rune { v.must(v.k == kChar, "Char"); return rune(v.bits) }

// Text returns the contents of a string.
func (v Value) Text() string { v.must(v.k == kString, "Text"); return v.str }

// Bits returns the raw scalar: see the Value field documentation. It is what
// the canonical ABI stores for bool, integers (two's complement), floats
// (IEEE bits), char, flags and handles, and the discriminant of variant,
// enum, option and result.
func (v Value) Bits() uint64 { return v.bits }

// Len returns the number of elements of a list or tuple or fields of a record.
func (v Value) Len() int {
	v.must(v.k == kList || v.k == kTuple || v.k == kRecord, "Len")
	return len(v.elems)
}

// Index returns element (or field) i of a list, tuple or record.
func (v Value) Index(i int) Value {
	v.must(v.k == kList || v.k == kTuple || v.k == kRecord, "Index")
	return v.elems[i]
}

// Elems returns the elements of a list or tuple or the fields of a record
// (in the type's order). The slice must not be modified.
func (v Value) Elems() []Value {
	v.must(v.k == kList || v.k == kTuple || v.k == kRecord, "Elems")
	return v.elems
}

// Case returns the discriminant of a variant or enum (the case index in the
// type's order), an option (0 none, 1 some) or a result (0 ok, 1 err).
func (v Value) Case() int {
	v.must(v.k == kVariant || v.k == kEnum || v.k == kOption || v.k == kResult, "Case")
	return int(v.bits)
}

// Payload returns the payload of a variant, option or result, and whether
// there is one.
func (v Value) Payload() (Value, bool) {
	v.must(v.k == kVariant || v.k == kOption || v.k == kResult, "Payload")
	if len(v.elems) == 0 {
		return Value{}, false
	}
	return v.elems[0], true
}

// FlagSet returns the set of a flags value: bit i is the i-th flag of the type.
func (v Value) FlagSet() uint64 { v.must(v.k == kFlags, "FlagSet"); return v.bits }

// Handle returns the handle number of an own, borrow, future, stream or
// error-context value.
func (v Value) Handle() uint32 { v.must(v.k.isHandle(), "Handle"); return uint32(v.bits) }

// Equal reports whether v and w are the same value. Floats compare bit for
// bit, except that all NaNs are equal (the canonical ABI does not preserve
// NaN payloads); so +0 and -0 differ.
func (v Value) Equal(w Value) bool {
	if v.k != w.k {
		return false
	}
	switch v.k {
	case kF32:
		a, b := math.Float32frombits(uint32(v.bits)), math.Float32frombits(uint32(w.bits))
		if a != a && b != b {
			return true
		}
	case kF64:
		a, b := math.Float64frombits(v.bits), math.Float64frombits(w.bits)
		if a != a && b != b {
			return true
		}
	}
	if v.bits != w.bits || v.str != w.str || len(v.elems) != len(w.elems) {
		return false
	}
	for i := range v.elems {
		if !v.elems[i].Equal(w.elems[i]) {
			return false
		}
	}
	return true
}

// String renders v for debugging, without its type: records, variants, enums
// and flags show indices instead of names. Use FormatWAVE or FormatJSON for
// the real encodings.
func (v Value) String() string {
	var b strings.Builder
	v.debug(&b)
	return b.String()
}

func (v Value) debug(b *strings.Builder) {
	seq := func(open, close string) {
		b.WriteString(open)
		for i, e := range v.elems {
			if i > 0 {
				b.WriteString(", ")
			}
			e.debug(b)
		}
		b.WriteString(close)
	}
	payload := func() {
		if len(v.elems) > 0 {
			seq("(", ")")
		}
	}
	switch v.k {
	case kInvalid:
		b.WriteString("<invalid>")
	case kBool:
		b.WriteString(strconv.FormatBool(v.bits != 0))
	case kS8, kS16, kS32, kS64:
		b.WriteString(strconv.FormatInt(int64(v.bits), 10))
	case kU8, kU16, kU32, kU64:
		b.WriteString(strconv.FormatUint(v.bits, 10))
	case kF32, kF64, kChar, kString:
		b.Write(appendScalarWAVE(nil, v))
	case kList:
		seq("[", "]")
	case kTuple:
		seq("(", ")")
	case kRecord:
		seq("record{", "}")
	case kVariant:
		fmt.Fprintf(b, "case#%d", v.bits)
		payload()
	case kEnum:
		fmt.Fprintf(b, "enum#%d", v.bits)
	case kOption:
		if v.bits == 0 {
			b.WriteString("none")
		} else {
			b.WriteString("some")
			payload()
		}
	case kResult:
		if v.bits == 0 {
			b.WriteString("ok")
		} else {
			b.WriteString("err")
		}
		payload()
	case kFlags:
		fmt.Fprintf(b, "flags#%#x", v.bits)
	default:
		fmt.Fprintf(b, "%s#%d", witKinds[v.k], v.bits)
	}
}

// Check reports whether v is a value of type t: kinds agree all the way
// down, records have one value per field, tuples one per member, case
// indices and flags are in range, payloads are present exactly when the
// case has a type, fixed-size lists have their length, chars are Unicode
// scalar values and strings valid UTF-8. The error names the path of the
// first mismatch (paths as in Step.Path).
func Check(v Value, t *wit.Type) error {
	if err := check(v, t); err != nil {
		return err.error()
	}
	return nil
}

// checkError is a Check failure; its path is built on the way back up, so
// that a successful check does not allocate.
type checkError struct {
	segs []string // innermost first
	msg  string
}

func (e *checkError) at(seg string) *checkError {
	e.segs = append(e.segs, seg)
	return e
}

func (e *checkError) error() error {
	var b strings.Builder
	for i := len(e.segs) - 1; i >= 0; i-- {
		b.WriteString(e.segs[i])
	}
	return fmt.Errorf("value: %s: %s", pathOrTop(b.String()), e.msg)
}

func checkErr(format string, args ...any) *checkError {
	return &checkError{msg: fmt.Sprintf(format, args...)}
}

func check(v Value, t *wit.Type) *checkError {
	if t == nil {
		return checkErr("no type")
	}
	want := kindOf(t.Kind)
	if want == kInvalid {
		return checkErr("type %s has no values", typeString(t))
	}
	if v.k != want {
		return checkErr("%s value for type %s", v.Kind(), typeString(t))
	}
	switch want {
	case kBool:
		if v.bits > 1 {
			return checkErr("bool with bits %d", v.bits)
		}
	case kS8, kS16, kS32:
		if !fitsInt(want, int64(v.bits)) {
			return checkErr("%d out of range for %s", int64(v.bits), t.Kind)
		}
	case kU8, kU16, kU32:
		if !fitsUint(want, v.bits) {
			return checkErr("%d out of range for %s", v.bits, t.Kind)
		}
	case kF32, kOwn, kBorrow, kFuture, kStream, kErrorContext:
		if v.bits > math.MaxUint32 {
			return checkErr("invalid bits %#x", v.bits)
		}
	case kChar:
		if !validScalar(v.bits) {
			return checkErr("invalid char %#x", v.bits)
		}
	case kString:
		if !utf8.ValidString(v.str) {
			return checkErr("string is not valid UTF-8")
		}
	case kList:
		if t.Len > 0 && len(v.elems) != int(t.Len) {
			return checkErr("%d elements for %s", len(v.elems), typeString(t))
		}
		for _, e := range v.elems {
			if err := check(e, t.Elem); err != nil {
				return err.at(".elem")
			}
		}
	case kTuple:
		if len(v.elems) != len(t.Elems) {
			return checkErr("%d members for %s", len(v.elems), typeString(t))
		}
		for i, e := range v.elems {
			if err := check(e, t.Elems[i]); err != nil {
				return err.at(".elems[" + strconv.Itoa(i) + "]")
			}
		}
	case kRecord:
		if len(v.elems) != len(t.Fields) {
			return checkErr("%d fields for a record of %d", len(v.elems), len(t.Fields))
		}
		for i, e := range v.elems {
			if err := check(e, t.Fields[i].Type); err != nil {
				return err.at(".field(" + t.Fields[i].Name + ")")
			}
		}
	case kVariant:
		if v.bits >= uint64(len(t.Cases)) {
			return checkErr("case index %d out of range", v.bits)
		}
		c := t.Cases[v.bits]
		if err := checkPayload(v, c.Type); err != nil {
			return err.at(".case(" + c.Name + ")")
		}
	case kEnum:
		if v.bits >= uint64(len(t.Labels)) {
			return checkErr("case index %d out of range", v.bits)
		}
	case kOption:
		switch v.bits {
		case 0:
			if len(v.elems) != 0 {
				return checkErr("none with a payload")
			}
		case 1:
			if len(v.elems) != 1 {
				return checkErr("some without a payload")
			}
			if err := check(v.elems[0], t.Elem); err != nil {
				return err.at(".elem")
			}
		default:
			return checkErr("option discriminant %d", v.bits)
		}
	case kResult:
		switch v.bits {
		case 0:
			if err := checkPayload(v, t.Ok); err != nil {
				return err.at(".ok")
			}
		case 1:
			if err := checkPayload(v, t.Err); err != nil {
				return err.at(".err")
			}
		default:
			return checkErr("result discriminant %d", v.bits)
		}
	case kFlags:
		if len(t.Labels) > MaxFlags {
			return checkErr("more than %d flags", MaxFlags)
		}
		if len(t.Labels) < 64 && v.bits>>len(t.Labels) != 0 {
			return checkErr("flag bits %#x beyond the %d flags", v.bits, len(t.Labels))
		}
	}
	return nil
}

func checkPayload(v Value, t *wit.Type) *checkError {
	switch {
	case t == nil && len(v.elems) != 0:
		return checkErr("unexpected payload")
	case t != nil && len(v.elems) != 1:
		return checkErr("missing payload")
	case t != nil:
		return check(v.elems[0], t)
	}
	return nil
}

func pathOrTop(p string) string {
	if p == "" {
		return "(top)"
	}
	return p
}

func validScalar(r uint64) bool {
	return r < 0xD800 || (r > 0xDFFF && r <= 0x10FFFF)
}
