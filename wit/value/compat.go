package value

import (
	"fmt"
	"math"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// Step records, per path, each conversion or problem found comparing old to new.
type Step struct {
	// Path locates the step from the compared types: empty for the top,
	// else segments such as field qty, case ok, elem (list, option, future,
	// stream element; also the new option's element for option-wrap), ok,
	// err, tuple member 1, flag read; its String is ".field(qty).elem".
	Path Path
	// Code is a stable code: see CheckTypes.
	Code string
	// Old and New are the WIT of the two types at Path; "" on the side where
	// the field or payload does not exist. For enum cases and flags, which
	// have no type, they are the WIT of the enclosing enum or flags types.
	Old, New string
	// Message is one sentence.
	Message string
}

// TypeCompat is the outcome of comparing an old type with a new one.
type TypeCompat struct {
	OK          bool   // every value of old converts to new
	Conversions []Step // non-identity conversions used (empty when identical)
	Problems    []Step // why not compatible (empty when OK)
}

// Conversion codes (TypeCompat.Conversions).
const (
	CodeIntWiden         = "int-widen"
	CodeFloatWiden       = "float-widen"
	CodeOptionWrap       = "option-wrap"
	CodeEnumCaseAdded    = "enum-case-added"
	CodeVariantCaseAdded = "variant-case-added"
	CodeFlagAdded        = "flag-added"
	CodeRecordFieldAdded = "record-field-added"
	CodeTypeRenamed      = "type-renamed"
)

// Problem codes (TypeCompat.Problems).
const (
	CodeKindChanged               = "kind-changed"
	CodeIntNarrow                 = "int-narrow"
	CodeFloatNarrow               = "float-narrow"
	CodeRecordFieldRemoved        = "record-field-removed"
	CodeRecordFieldRequiredAdded  = "record-field-required-added"
	CodeVariantCaseRemoved        = "variant-case-removed"
	CodeVariantCasePayloadChanged = "variant-case-payload-changed"
	CodeEnumCaseRemoved           = "enum-case-removed"
	CodeFlagRemoved               = "flag-removed"
	CodeTupleLengthChanged        = "tuple-length-changed"
	CodeResourceChanged           = "resource-changed"
	CodeListLengthChanged         = "list-length-changed"
)

// CheckTypes compares an old type with a new one and reports whether every
// value of old converts to a value of new ("value-compatible"), walking the
// whole tree and recording every conversion and every problem.
//
// Accepted: identical types; integer widening (u8→u16→u32→u64,
// s8→s16→s32→s64, and unsigned to a strictly wider signed type: u8→s16,
// u16→s32, u32→s64; code int-widen); f32→f64 (float-widen); T→option<T'>
// with T→T' accepted (option-wrap); enum, variant cases and flags added
// (enum-case-added, variant-case-added, flag-added); a record field of option
// type added (record-field-added, filled with none). list, tuple, option,
// result, future and stream compare element-wise; records match fields by
// name (reordering is fine), variants and enums cases by name, flags by name.
// Type names and owners do not matter for values; a changed name (or owner,
// ignoring its version) is a type-renamed note.
//
// Problems: kind-changed, int-narrow (also a change of signedness that is not
// a widening), float-narrow, record-field-removed,
// record-field-required-added, variant-case-removed,
// variant-case-payload-changed (a case, or result ok/err, gains or loses its
// payload; changed payload types are compared further down, under the case's
// path), enum-case-removed, flag-removed, tuple-length-changed,
// resource-changed (own/borrow of another resource: wit.SameResource,
// name and owner through aliases, at owner versions host matching links
// as one), list-length-changed (any change of a fixed-size list's length,
// including to or from a variable-length list).
//
// A nil type stands for "no type" (a function without result): two nils are
// identical; nil against a type is kind-changed.
func CheckTypes(old, new *wit.Type) TypeCompat {
	return NewConverter(old, new).Compat()
}

// Convert converts v, a value of old, to a value of new. It may succeed where
// CheckTypes fails, when this value fits: 7 converts from u32 to u16, a
// variant value converts when its case was not removed, a record converts
// when a removed field is an option holding none, some(x) converts to x's
// type. The error names the path of the first part that does not fit.
func Convert(v Value, old, new *wit.Type) (Value, error) {
	return NewConverter(old, new).Convert(v)
}

// ConvertReport is Convert that also returns the type comparison, so the
// caller can tell "converted because the types are compatible" from
// "converted although the types are not" (TypeCompat.OK false, error nil).
func ConvertReport(v Value, old, new *wit.Type) (Value, TypeCompat, error) {
	c := NewConverter(old, new)
	out, err := c.Convert(v)
	return out, c.Compat(), err
}

// Converter is the compiled comparison of an old type with a new one: build
// it once to convert many values. It is safe for concurrent use.
type Converter struct {
	old, new *wit.Type
	compat   TypeCompat
	plan     *plan
}

// NewConverter compares old with new (see CheckTypes) and prepares the
// value conversion.
func NewConverter(old, new *wit.Type) *Converter {
	c := &Converter{old: old, new: new}
	w := walker{compat: &c.compat}
	c.plan = w.walk(old, new, nil)
	c.compat.OK = len(c.compat.Problems) == 0
	return c
}

// Compat returns the type comparison.
func (c *Converter) Compat() TypeCompat { return c.compat }

// Convert converts v (a value of the old type, see Check) to the new type.
func (c *Converter) Convert(v Value) (Value, error) {
	if err := check(v, c.old); err != nil {
		return Value{}, err.error()
	}
	return c.plan.apply(v)
}

type op uint8

const (
	opIdentity op = iota
	opFail        // never converts; msg says why
	opInt         // integer to integer kind `to`, range-checked
	opFloat       // float to float kind `to`; f64→f32 only when exact
	opWrap        // x -> some(kids[0](x))
	opUnwrap      // some(x) -> kids[0](x)
	opList        // kids[0] per element; n = fixed length to check (0: none)
	opTuple       // kids per member
	opRecord      // new field i from old field idx[i] via kids[i], or none (idx -1); drop: old fields that must be none
	opVariant     // old case c -> new case idx[c] (-1: removed), payload via kids[c]
	opEnum        // old case c -> idx[c]
	opFlags       // old flag i -> idx[i]
	opOption      // payload via kids[0]
	opResult      // ok payload via kids[0], err via kids[1]
)

// plan converts values of one old type to one new type. A payload present
// on neither side has the identity plan; a removed variant case has a nil kid.
type plan struct {
	op    op
	to    kind
	n     int
	path  Path
	msg   string
	kids  []*plan
	idx   []int
	drop  []int
	names []string // old member names, for messages
}

var identity = &plan{op: opIdentity}

type walker struct {
	compat *TypeCompat
	silent int // >0: do not record steps (inside a failed unwrap)
}

func (w *walker) conv(path Path, code string, old, new *wit.Type, format string, args ...any) {
	if w.silent == 0 {
		w.compat.Conversions = append(w.compat.Conversions, Step{Path: path, Code: code, Old: witOf(old), New: witOf(new), Message: fmt.Sprintf(format, args...)})
	}
}

func (w *walker) problem(path Path, code string, old, new *wit.Type, format string, args ...any) {
	if w.silent == 0 {
		w.compat.Problems = append(w.compat.Problems, Step{Path: path, Code: code, Old: witOf(old), New: witOf(new), Message: fmt.Sprintf(format, args...)})
	}
}

func witOf(t *wit.Type) string {
	if t == nil {
		return ""
	}
	return t.WIT()
}

// typeString renders t for a message, on one line.
func typeString(t *wit.Type) string {
	if t == nil {
		return "_"
	}
	s := t.WIT()
	if strings.ContainsRune(s, '\n') {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

func fail(path Path, msg string) *plan { return &plan{op: opFail, path: path, msg: msg} }

func (w *walker) walk(old, new *wit.Type, path Path) *plan {
	if old == nil || new == nil {
		if old == nil && new == nil {
			return identity
		}
		w.problem(path, CodeKindChanged, old, new, "%s became %s.", describe(old), describe(new))
		return fail(path, fmt.Sprintf("%s became %s", describe(old), describe(new)))
	}
	if renamed(old, new) {
		w.conv(path, CodeTypeRenamed, old, new, "Type %s is now %s; values are unaffected.", typeLabel(old), typeLabel(new))
	}
	ok, nk := kindOf(old.Kind), kindOf(new.Kind)
	switch {
	case old.Kind == new.Kind:
		return w.same(old, new, path)
	case ok.isInt() && nk.isInt():
		if intWidens(ok, nk) {
			w.conv(path, CodeIntWiden, old, new, "%s widens to %s.", old.Kind, new.Kind)
		} else {
			w.problem(path, CodeIntNarrow, old, new, "%s does not fit in %s.", old.Kind, new.Kind)
		}
		return &plan{op: opInt, to: nk, path: path}
	case ok == kF32 && nk == kF64:
		w.conv(path, CodeFloatWiden, old, new, "f32 widens to f64.")
		return &plan{op: opFloat, to: nk, path: path}
	case ok == kF64 && nk == kF32:
		w.problem(path, CodeFloatNarrow, old, new, "f64 does not fit in f32.")
		return &plan{op: opFloat, to: nk, path: path}
	case nk == kOption:
		w.conv(path, CodeOptionWrap, old, new, "%s is wrapped as some(...) of %s.", typeString(old), typeString(new))
		return &plan{op: opWrap, path: path, kids: []*plan{w.walk(old, new.Elem, path.With(ElemSeg()))}}
	case ok == kOption:
		w.problem(path, CodeKindChanged, old, new, "%s became %s; none has no counterpart.", typeString(old), typeString(new))
		w.silent++
		kid := w.walk(old.Elem, new, path.With(ElemSeg()))
		w.silent--
		return &plan{op: opUnwrap, path: path, kids: []*plan{kid}}
	}
	w.problem(path, CodeKindChanged, old, new, "%s became %s.", describe(old), describe(new))
	return fail(path, fmt.Sprintf("%s became %s", describe(old), describe(new)))
}

func describe(t *wit.Type) string {
	if t == nil {
		return "no type"
	}
	if t.Name != "" {
		return string(t.Kind) + " " + t.Name
	}
	return typeString(t)
}

func typeLabel(t *wit.Type) string {
	if t.Name == "" {
		return "(anonymous " + string(t.Kind) + ")"
	}
	return t.Name
}

// renamed reports whether the type names differ, or the owners apart from
// their versions.
func renamed(old, new *wit.Type) bool {
	return old.Name != new.Name || unversioned(old.Owner) != unversioned(new.Owner)
}

func unversioned(owner string) string { return wit.UnversionedName(owner) }

// intWidens reports whether every value of integer kind a fits kind b.
func intWidens(a, b kind) bool {
	switch {
	case a == b:
		return true
	case a.isSigned() && b.isUnsigned():
		return false
	case a.isUnsigned() && b.isSigned():
		return b.intBits() > a.intBits()
	}
	return b.intBits() >= a.intBits()
}

// same compares two types of the same kind.
func (w *walker) same(old, new *wit.Type, path Path) *plan {
	switch old.Kind {
	case wit.List, wit.Map:
		kid := w.walk(old.Elem, new.Elem, path.With(ElemSeg()))
		if old.Len != new.Len {
			w.problem(path, CodeListLengthChanged, old, new, "%s became %s.", listLen(old), listLen(new))
			return &plan{op: opList, n: int(new.Len), path: path, kids: []*plan{kid}}
		}
		if kid == identity {
			return identity
		}
		return &plan{op: opList, path: path, kids: []*plan{kid}}
	case wit.Option, wit.Future, wit.Stream:
		before := len(w.compat.Problems)
		kid := w.walk(old.Elem, new.Elem, path.With(ElemSeg()))
		if kid == identity {
			return identity
		}
		if old.Kind != wit.Option {
			// Future and stream values are handles: there is nothing to
			// convert, but the payload types must be compatible.
			if kid.op == opFail || len(w.compat.Problems) > before {
				return fail(path, "the "+string(old.Kind)+" payload type changed incompatibly")
			}
			return identity
		}
		return &plan{op: opOption, path: path, kids: []*plan{kid}}
	case wit.Tuple:
		if len(old.Elems) != len(new.Elems) {
			w.problem(path, CodeTupleLengthChanged, old, new, "The tuple had %d members and now has %d.", len(old.Elems), len(new.Elems))
		}
		kids := make([]*plan, min(len(old.Elems), len(new.Elems)))
		all := true
		for i := range kids {
			kids[i] = w.walk(old.Elems[i], new.Elems[i], path.With(TupleSeg(i)))
			all = all && kids[i] == identity
		}
		if len(old.Elems) != len(new.Elems) {
			return fail(path, fmt.Sprintf("tuple of %d members became one of %d", len(old.Elems), len(new.Elems)))
		}
		if all {
			return identity
		}
		return &plan{op: opTuple, path: path, kids: kids}
	case wit.Result:
		kids := []*plan{
			w.payload(old.Ok, new.Ok, path.With(OkSeg()), "ok"),
			w.payload(old.Err, new.Err, path.With(ErrSeg()), "err"),
		}
		if kids[0] == identity && kids[1] == identity {
			return identity
		}
		return &plan{op: opResult, path: path, kids: kids}
	case wit.Record:
		return w.record(old, new, path)
	case wit.Variant:
		return w.variant(old, new, path)
	case wit.Enum, wit.Flags:
		return w.labels(old, new, path)
	case wit.Own, wit.Borrow, wit.Resource:
		o, n := old, new
		if old.Kind != wit.Resource {
			o, n = old.Elem, new.Elem
		}
		if !sameResource(o, n) {
			w.problem(path, CodeResourceChanged, old, new, "Handle to resource %s became one to %s.", resourceName(o), resourceName(n))
			return fail(path, fmt.Sprintf("resource %s became %s", resourceName(o), resourceName(n)))
		}
		return identity
	}
	return identity // primitives of the same kind
}

func listLen(t *wit.Type) string {
	if t.Len == 0 {
		return "A variable-length list"
	}
	return fmt.Sprintf("a list of length %d", t.Len)
}

func sameResource(a, b *wit.Type) bool {
	if a == nil || b == nil {
		return a == b
	}
	return wit.SameResource(a, b)
}

// resourceName names resource t, and the resource it stands for when t is
// an alias (`type headers = fields`), which is what handles are compared by.
func resourceName(t *wit.Type) string {
	if t == nil {
		return "_"
	}
	name := qualified(t)
	if r := wit.AliasOf(t); r != t {
		name += " (an alias of " + qualified(r) + ")"
	}
	return name
}

func qualified(t *wit.Type) string {
	if t.Owner != "" {
		return t.Owner + "." + t.Name
	}
	return t.Name
}

// payload compares optional payload types (variant cases, result ok/err):
// nil kid means neither side has a payload.
func (w *walker) payload(old, new *wit.Type, path Path, name string) *plan {
	switch {
	case old == nil && new == nil:
		return identity
	case old == nil:
		w.problem(path, CodeVariantCasePayloadChanged, old, new, "Case %s gained a payload of type %s.", name, typeString(new))
		return fail(path, "case "+name+" gained a payload")
	case new == nil:
		w.problem(path, CodeVariantCasePayloadChanged, old, new, "Case %s lost its payload of type %s.", name, typeString(old))
		return fail(path, "case "+name+" lost its payload")
	}
	return w.walk(old, new, path)
}

func (w *walker) record(old, new *wit.Type, path Path) *plan {
	p := &plan{op: opRecord, path: path, idx: make([]int, len(new.Fields)), kids: make([]*plan, len(new.Fields))}
	changed := len(old.Fields) != len(new.Fields)
	for i, nf := range new.Fields {
		fp := path.With(FieldSeg(nf.Name))
		j := fieldIndex(old, nf.Name)
		p.idx[i] = j
		if j < 0 {
			changed = true
			if nf.Type != nil && nf.Type.Kind == wit.Option {
				w.conv(fp, CodeRecordFieldAdded, nil, nf.Type, "Field %s of type %s was added; old values get none.", nf.Name, typeString(nf.Type))
				p.kids[i] = identity
			} else {
				w.problem(fp, CodeRecordFieldRequiredAdded, nil, nf.Type, "Field %s of type %s was added and old values have nothing to fill it with.", nf.Name, typeString(nf.Type))
				p.kids[i] = fail(fp, "required field "+nf.Name+" was added")
			}
			continue
		}
		p.kids[i] = w.walk(old.Fields[j].Type, nf.Type, fp)
		changed = changed || j != i || p.kids[i] != identity
	}
	for j, of := range old.Fields {
		if fieldIndex(new, of.Name) < 0 {
			fp := path.With(FieldSeg(of.Name))
			w.problem(fp, CodeRecordFieldRemoved, of.Type, nil, "Field %s was removed.", of.Name)
			p.drop = append(p.drop, j)
		}
	}
	if !changed {
		return identity
	}
	p.names = make([]string, len(old.Fields))
	for j, of := range old.Fields {
		p.names[j] = of.Name
	}
	return p
}

func (w *walker) variant(old, new *wit.Type, path Path) *plan {
	p := &plan{op: opVariant, path: path, idx: make([]int, len(old.Cases)), kids: make([]*plan, len(old.Cases)), names: make([]string, len(old.Cases))}
	changed := len(old.Cases) != len(new.Cases)
	for i, oc := range old.Cases {
		p.names[i] = oc.Name
		cp := path.With(CaseSeg(oc.Name))
		j := caseIndex(new, oc.Name)
		p.idx[i] = j
		if j < 0 {
			changed = true
			w.problem(cp, CodeVariantCaseRemoved, old, new, "Case %s was removed.", oc.Name)
			continue
		}
		p.kids[i] = w.payload(oc.Type, new.Cases[j].Type, cp, oc.Name)
		changed = changed || i != j || p.kids[i] != identity
	}
	for _, nc := range new.Cases {
		if caseIndex(old, nc.Name) < 0 {
			w.conv(path.With(CaseSeg(nc.Name)), CodeVariantCaseAdded, old, new, "Case %s was added.", nc.Name)
		}
	}
	if !changed {
		return identity
	}
	return p
}

func caseIndex(t *wit.Type, name string) int { return t.CaseIndex(name) }

// labels compares enums and flags.
func (w *walker) labels(old, new *wit.Type, path Path) *plan {
	what, seg, added, removed := "Case", CaseSeg, CodeEnumCaseAdded, CodeEnumCaseRemoved
	p := &plan{op: opEnum, path: path, idx: make([]int, len(old.Labels)), names: old.Labels}
	if old.Kind == wit.Flags {
		what, seg, added, removed = "Flag", FlagSeg, CodeFlagAdded, CodeFlagRemoved
		p.op = opFlags
		if len(old.Labels) > MaxFlags || len(new.Labels) > MaxFlags {
			w.problem(path, CodeKindChanged, old, new, "Flags types with more than %d flags are not supported.", MaxFlags)
			return fail(path, "too many flags")
		}
	}
	changed := len(old.Labels) != len(new.Labels)
	for i, l := range old.Labels {
		j := labelIndex(new.Labels, l)
		p.idx[i] = j
		changed = changed || i != j
		if j < 0 {
			w.problem(path.With(seg(l)), removed, old, new, "%s %s was removed.", what, l)
		}
	}
	for _, l := range new.Labels {
		if labelIndex(old.Labels, l) < 0 {
			w.conv(path.With(seg(l)), added, old, new, "%s %s was added.", what, l)
		}
	}
	if !changed {
		return identity
	}
	return p
}

// apply converts one value along the plan.
func (p *plan) apply(v Value) (Value, error) {
	switch p.op {
	case opIdentity:
		return v, nil
	case opFail:
		return Value{}, p.errorf("%s", p.msg)
	case opInt:
		var out Value
		var err error
		if v.k.isSigned() {
			out, err = Int(witKinds[p.to], int64(v.bits))
		} else {
			out, err = Uint(witKinds[p.to], v.bits)
		}
		if err != nil {
			return Value{}, p.errorf("%s does not fit %s", v.String(), witKinds[p.to])
		}
		return out, nil
	case opFloat:
		if p.to == kF64 {
			return F64(v.Float()), nil
		}
		f := v.Float()
		if f32 := float32(f); float64(f32) == f || math.IsNaN(f) {
			return F32(f32), nil
		}
		return Value{}, p.errorf("%s does not fit f32 exactly", v.String())
	case opWrap:
		x, err := p.kids[0].apply(v)
		if err != nil {
			return Value{}, err
		}
		return Some(x), nil
	case opUnwrap:
		if v.bits == 0 {
			return Value{}, p.errorf("none has no counterpart in the new type")
		}
		return p.kids[0].apply(v.elems[0])
	case opList:
		if p.n > 0 && len(v.elems) != p.n {
			return Value{}, p.errorf("%d elements do not fit a list of length %d", len(v.elems), p.n)
		}
		return p.each(v, func(int) *plan { return p.kids[0] })
	case opTuple:
		return p.each(v, func(i int) *plan { return p.kids[i] })
	case opOption:
		if v.bits == 0 {
			return v, nil
		}
		x, err := p.kids[0].apply(v.elems[0])
		if err != nil {
			return Value{}, err
		}
		return Some(x), nil
	case opResult:
		if len(v.elems) == 0 {
			if p.kids[v.bits].op == opFail {
				return p.kids[v.bits].apply(v)
			}
			return v, nil
		}
		x, err := p.kids[v.bits].apply(v.elems[0])
		if err != nil {
			return Value{}, err
		}
		return Value{k: kResult, bits: v.bits, elems: []Value{x}}, nil
	case opRecord:
		for _, j := range p.drop {
			if f := v.elems[j]; f.k != kOption || f.bits != 0 {
				return Value{}, p.errorf("field %s was removed and holds a value", p.names[j])
			}
		}
		out := make([]Value, len(p.idx))
		for i, j := range p.idx {
			if j < 0 {
				if p.kids[i].op == opFail {
					return Value{}, p.kids[i].errorf("%s", p.kids[i].msg)
				}
				out[i] = None()
				continue
			}
			x, err := p.kids[i].apply(v.elems[j])
			if err != nil {
				return Value{}, err
			}
			out[i] = x
		}
		return Value{k: kRecord, elems: out}, nil
	case opVariant:
		c := v.bits
		j := p.idx[c]
		if j < 0 {
			return Value{}, p.errorf("case %s was removed", p.names[c])
		}
		kid := p.kids[c]
		if len(v.elems) == 0 {
			if kid.op == opFail {
				return kid.apply(v)
			}
			return Value{k: kVariant, bits: uint64(j)}, nil
		}
		x, err := kid.apply(v.elems[0])
		if err != nil {
			return Value{}, err
		}
		return Value{k: kVariant, bits: uint64(j), elems: []Value{x}}, nil
	case opEnum:
		j := p.idx[v.bits]
		if j < 0 {
			return Value{}, p.errorf("case %s was removed", p.names[v.bits])
		}
		return Enum(j), nil
	case opFlags:
		var set uint64
		for i, j := range p.idx {
			if v.bits&(1<<i) == 0 {
				continue
			}
			if j < 0 {
				return Value{}, p.errorf("flag %s was removed and is set", p.names[i])
			}
			set |= 1 << j
		}
		return Flags(set), nil
	}
	return Value{}, p.errorf("unknown conversion")
}

// each converts the elements of a list or tuple.
func (p *plan) each(v Value, kid func(int) *plan) (Value, error) {
	out := make([]Value, len(v.elems))
	for i, e := range v.elems {
		x, err := kid(i).apply(e)
		if err != nil {
			return Value{}, err
		}
		out[i] = x
	}
	return Value{k: v.k, elems: out}, nil
}

func (p *plan) errorf(format string, args ...any) error {
	return fmt.Errorf("value: convert %s: %s", pathOrTop(p.path.String()), fmt.Sprintf(format, args...))
}

// Identical reports whether two types are structurally identical: same
// kinds, same field, case and label names in the same order, identical
// element types, same fixed lengths, and the same names for named types
// (Type.Name is compared; Owner is not, so moving a type to another
// interface or version keeps it identical) and resources (wit.SameResource:
// name and owner, at owner versions host matching links as one). Two nil
// types are identical.
func Identical(old, new *wit.Type) bool {
	if old == nil || new == nil {
		return old == new
	}
	if old == new {
		return true
	}
	if old.Kind != new.Kind || old.Name != new.Name || old.Len != new.Len ||
		len(old.Fields) != len(new.Fields) || len(old.Cases) != len(new.Cases) ||
		len(old.Labels) != len(new.Labels) || len(old.Elems) != len(new.Elems) {
		return false
	}
	if old.Kind == wit.Resource {
		// Resources are nominal: the same name for the same resource.
		return wit.SameResource(old, new)
	}
	for i := range old.Fields {
		if old.Fields[i].Name != new.Fields[i].Name || !Identical(old.Fields[i].Type, new.Fields[i].Type) {
			return false
		}
	}
	for i := range old.Cases {
		if old.Cases[i].Name != new.Cases[i].Name || !Identical(old.Cases[i].Type, new.Cases[i].Type) {
			return false
		}
	}
	for i := range old.Labels {
		if old.Labels[i] != new.Labels[i] {
			return false
		}
	}
	for i := range old.Elems {
		if !Identical(old.Elems[i], new.Elems[i]) {
			return false
		}
	}
	return Identical(old.Elem, new.Elem) && Identical(old.Ok, new.Ok) && Identical(old.Err, new.Err)
}

// SameStructure reports whether two types are the same Component Model
// value type: value types are structural, so the names of records,
// variants, enums, flags and aliases do not matter (Identical compares
// them), while resources are nominal: handles must refer to the same
// resource (wit.SameResource: name and owner of its definition, through
// aliases, at owner versions host matching links as one). Two nil types
// are the same.
func SameStructure(old, new *wit.Type) bool {
	if old == nil || new == nil {
		return old == new
	}
	if old == new {
		return true
	}
	if old.Kind != new.Kind || old.Len != new.Len ||
		len(old.Fields) != len(new.Fields) || len(old.Cases) != len(new.Cases) ||
		len(old.Labels) != len(new.Labels) || len(old.Elems) != len(new.Elems) {
		return false
	}
	if old.Kind == wit.Resource {
		// Resources are nominal: an alias is the resource it names.
		return wit.SameResource(old, new)
	}
	for i := range old.Fields {
		if old.Fields[i].Name != new.Fields[i].Name || !SameStructure(old.Fields[i].Type, new.Fields[i].Type) {
			return false
		}
	}
	for i := range old.Cases {
		if old.Cases[i].Name != new.Cases[i].Name || !SameStructure(old.Cases[i].Type, new.Cases[i].Type) {
			return false
		}
	}
	for i := range old.Labels {
		if old.Labels[i] != new.Labels[i] {
			return false
		}
	}
	for i := range old.Elems {
		if !SameStructure(old.Elems[i], new.Elems[i]) {
			return false
		}
	}
	return SameStructure(old.Elem, new.Elem) && SameStructure(old.Ok, new.Ok) && SameStructure(old.Err, new.Err)
}
