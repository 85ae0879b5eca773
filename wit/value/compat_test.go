package value

import (
	"math"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/wit"
)

// step is the part of a Step the table tests compare (messages are checked
// to be one non-empty sentence).
type step struct{ Path, Code string }

func steps(ss []Step) []step {
	var out []step
	for _, s := range ss {
		out = append(out, step{s.Path.String(), s.Code})
	}
	return out
}

func TestCheckTypes(t *testing.T) {
	order := named("order", recordOf(field("id", tyU64), field("qty", tyU32), field("note", optionOf(tyString))))
	color := named("color", enumOf("red", "green"))
	perm := named("perm", flagsOf("read", "write"))
	ev := named("ev", variantOf(cse("a", tyU8), cse("b", nil), cse("c", tyString)))
	cartV2 := resource("cart", "shop:api/cart@1.1.0")
	other := resource("order", "shop:api/cart@1.0.0")
	tests := []struct {
		name     string
		old, new *wit.Type
		ok       bool
		conv     []step
		problems []step
	}{
		{"identical", tyU32, tyU32, true, nil, nil},
		{"both nil", nil, nil, true, nil, nil},
		{"nil to type", nil, tyU8, false, nil, []step{{"", "kind-changed"}}},
		{"u8 u16", tyU8, tyU16, true, []step{{"", "int-widen"}}, nil},
		{"u8 u64", tyU8, tyU64, true, []step{{"", "int-widen"}}, nil},
		{"s8 s64", tyS8, tyS64, true, []step{{"", "int-widen"}}, nil},
		{"u8 s16", tyU8, tyS16, true, []step{{"", "int-widen"}}, nil},
		{"u16 s32", tyU16, tyS32, true, []step{{"", "int-widen"}}, nil},
		{"u32 s64", tyU32, tyS64, true, []step{{"", "int-widen"}}, nil},
		{"u8 s8", tyU8, tyS8, false, nil, []step{{"", "int-narrow"}}},
		{"u64 s64", tyU64, tyS64, false, nil, []step{{"", "int-narrow"}}},
		{"s8 u64", tyS8, tyU64, false, nil, []step{{"", "int-narrow"}}},
		{"u32 u16", tyU32, tyU16, false, nil, []step{{"", "int-narrow"}}},
		{"f32 f64", tyF32, tyF64, true, []step{{"", "float-widen"}}, nil},
		{"f64 f32", tyF64, tyF32, false, nil, []step{{"", "float-narrow"}}},
		{"int to float", tyU8, tyF64, false, nil, []step{{"", "kind-changed"}}},
		{"string to char", tyString, tyChar, false, nil, []step{{"", "kind-changed"}}},
		{"wrap", tyU8, optionOf(tyU16), true, []step{{"", "option-wrap"}, {".elem", "int-widen"}}, nil},
		{"wrap twice", tyU8, optionOf(optionOf(tyU8)), true, []step{{"", "option-wrap"}, {".elem", "option-wrap"}}, nil},
		{"option elementwise", optionOf(tyU8), optionOf(optionOf(tyU8)), true, []step{{".elem", "option-wrap"}}, nil},
		{"unwrap", optionOf(tyU8), tyU16, false, nil, []step{{"", "kind-changed"}}},
		{"list elem", listOf(tyU8), listOf(tyU16), true, []step{{".elem", "int-widen"}}, nil},
		{"list fixed len", fixedList(tyU8, 2), fixedList(tyU8, 3), false, nil, []step{{"", "list-length-changed"}}},
		{"list to fixed", listOf(tyU8), fixedList(tyU8, 3), false, nil, []step{{"", "list-length-changed"}}},
		{"fixed to list", fixedList(tyU8, 3), listOf(tyU8), false, nil, []step{{"", "list-length-changed"}}},
		{"tuple member", tupleOf(tyU8, tyF32), tupleOf(tyU8, tyF64), true, []step{{".elems[1]", "float-widen"}}, nil},
		{"tuple length", tupleOf(tyU8, tyU8), tupleOf(tyU8), false, nil, []step{{"", "tuple-length-changed"}}},
		{"result", resultOf(tyU8, tyS8), resultOf(tyU16, tyS16), true, []step{{".ok", "int-widen"}, {".err", "int-widen"}}, nil},
		{"result payload gained", resultOf(nil, tyString), resultOf(tyU8, tyString), false, nil, []step{{".ok", "variant-case-payload-changed"}}},
		{"result payload lost", resultOf(tyU8, tyString), resultOf(tyU8, nil), false, nil, []step{{".err", "variant-case-payload-changed"}}},
		{"record identical", order, order, true, nil, nil},
		{"record reordered", order, named("order", recordOf(field("qty", tyU32), field("note", optionOf(tyString)), field("id", tyU64))), true, nil, nil},
		{"record option field added", order, named("order", recordOf(field("id", tyU64), field("qty", tyU32), field("note", optionOf(tyString)), field("tag", optionOf(tyU8)))),
			true, []step{{".field(tag)", "record-field-added"}}, nil},
		{"record required field added", order, named("order", recordOf(field("id", tyU64), field("qty", tyU32), field("note", optionOf(tyString)), field("tag", tyU8))),
			false, nil, []step{{".field(tag)", "record-field-required-added"}}},
		{"record field removed and narrowed", order, named("order", recordOf(field("id", tyU32), field("qty", tyU32))),
			false, nil, []step{{".field(id)", "int-narrow"}, {".field(note)", "record-field-removed"}}},
		{"record field widened", order, named("order", recordOf(field("id", tyU64), field("qty", tyU64), field("note", optionOf(tyString)))),
			true, []step{{".field(qty)", "int-widen"}}, nil},
		{"renamed", order, named("purchase", order), true, []step{{"", "type-renamed"}}, nil},
		{"owner moved", named("x", tyU8), &wit.Type{Kind: wit.U8, Name: "x", Owner: "a:b/c"}, true, []step{{"", "type-renamed"}}, nil},
		{"owner version only", &wit.Type{Kind: wit.U8, Name: "x", Owner: "a:b/c@1.0.0"}, &wit.Type{Kind: wit.U8, Name: "x", Owner: "a:b/c@2.0.0"}, true, nil, nil},
		{"alias introduced", tyU8, named("id", tyU8), true, []step{{"", "type-renamed"}}, nil},
		{"enum case added", color, named("color", enumOf("red", "green", "blue")), true, []step{{".case(blue)", "enum-case-added"}}, nil},
		{"enum reordered", color, named("color", enumOf("green", "red")), true, nil, nil},
		{"enum case removed", color, named("color", enumOf("green", "blue")), false, []step{{".case(blue)", "enum-case-added"}}, []step{{".case(red)", "enum-case-removed"}}},
		{"flag added", perm, named("perm", flagsOf("read", "write", "exec")), true, []step{{".flag(exec)", "flag-added"}}, nil},
		{"flag removed", perm, named("perm", flagsOf("write")), false, nil, []step{{".flag(read)", "flag-removed"}}},
		{"variant case added", ev, named("ev", variantOf(cse("a", tyU8), cse("b", nil), cse("c", tyString), cse("d", nil))), true, []step{{".case(d)", "variant-case-added"}}, nil},
		{"variant case removed", ev, named("ev", variantOf(cse("a", tyU8), cse("c", tyString))), false, nil, []step{{".case(b)", "variant-case-removed"}}},
		{"variant payload widened", ev, named("ev", variantOf(cse("a", tyU16), cse("b", nil), cse("c", tyString))), true, []step{{".case(a)", "int-widen"}}, nil},
		{"variant payload narrowed", ev, named("ev", variantOf(cse("a", tyS8), cse("b", nil), cse("c", tyString))), false, nil, []step{{".case(a)", "int-narrow"}}},
		{"variant payload gained", ev, named("ev", variantOf(cse("a", tyU8), cse("b", tyU8), cse("c", tyString))), false, nil, []step{{".case(b)", "variant-case-payload-changed"}}},
		{"variant payload lost", ev, named("ev", variantOf(cse("a", nil), cse("b", nil), cse("c", tyString))), false, nil, []step{{".case(a)", "variant-case-payload-changed"}}},
		{"variant payload kind", ev, named("ev", variantOf(cse("a", tyU8), cse("b", nil), cse("c", tyU8))), false, nil, []step{{".case(c)", "kind-changed"}}},
		{"own same", ownOf(cart), ownOf(cart), true, nil, nil},
		{"own resource version", ownOf(cart), ownOf(cartV2), true, nil, nil},
		{"own other resource", ownOf(cart), ownOf(other), false, nil, []step{{"", "resource-changed"}}},
		{"own to borrow", ownOf(cart), borrowOf(cart), false, nil, []step{{"", "kind-changed"}}},
		{"stream elem", &wit.Type{Kind: wit.Stream, Elem: tyU8}, &wit.Type{Kind: wit.Stream, Elem: tyU16}, true, []step{{".elem", "int-widen"}}, nil},
		{"future elem narrowed", &wit.Type{Kind: wit.Future, Elem: tyU16}, &wit.Type{Kind: wit.Future, Elem: tyU8}, false, nil, []step{{".elem", "int-narrow"}}},
		{"everything at once",
			recordOf(field("a", listOf(ev)), field("b", tupleOf(tyU8, color)), field("c", resultOf(tyU32, perm))),
			recordOf(field("a", listOf(named("ev", variantOf(cse("a", tyU8), cse("c", tyChar))))), field("b", tupleOf(tyS8, named("color", enumOf("red")))), field("c", resultOf(tyU64, named("perm", flagsOf("read", "write", "x")))), field("d", tyBool)),
			false,
			[]step{{".field(c).ok", "int-widen"}, {".field(c).err.flag(x)", "flag-added"}},
			[]step{{".field(a).elem.case(b)", "variant-case-removed"}, {".field(a).elem.case(c)", "kind-changed"}, {".field(b).elems[0]", "int-narrow"}, {".field(b).elems[1].case(green)", "enum-case-removed"}, {".field(d)", "record-field-required-added"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckTypes(tt.old, tt.new)
			if got.OK != tt.ok {
				t.Errorf("OK = %v, want %v", got.OK, tt.ok)
			}
			if diff := cmp.Diff(tt.conv, steps(got.Conversions)); diff != "" {
				t.Errorf("conversions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, steps(got.Problems)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			for _, s := range slices.Concat(got.Conversions, got.Problems) {
				if s.Message == "" || strings.Contains(s.Message, "\n") || !strings.HasSuffix(s.Message, ".") {
					t.Errorf("step %+v: message must be one sentence", s)
				}
			}
		})
	}
}

func TestCheckTypesStepTypes(t *testing.T) {
	old := recordOf(field("id", tyU32), field("gone", tyString))
	new := recordOf(field("id", tyU64), field("extra", optionOf(tyU8)))
	got := CheckTypes(old, new)
	want := TypeCompat{
		OK: false,
		Conversions: []Step{
			{Path: Path{FieldSeg("id")}, Code: "int-widen", Old: "u32", New: "u64", Message: "u32 widens to u64."},
			{Path: Path{FieldSeg("extra")}, Code: "record-field-added", Old: "", New: "option<u8>", Message: "Field extra of type option<u8> was added; old values get none."},
		},
		Problems: []Step{
			{Path: Path{FieldSeg("gone")}, Code: "record-field-removed", Old: "string", New: "", Message: "Field gone was removed."},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckTypes (-want +got):\n%s", diff)
	}
}

func TestConvert(t *testing.T) {
	rec := recordOf(field("id", tyU32), field("note", optionOf(tyString)))
	ev := variantOf(cse("a", tyU8), cse("b", nil), cse("c", tyString))
	tests := []struct {
		name     string
		v        Value
		old, new *wit.Type
		want     Value // invalid: conversion fails
		typesOK  bool
	}{
		{"identity", U8(1), tyU8, tyU8, U8(1), true},
		{"widen", U8(200), tyU8, tyS16, S16(200), true},
		{"widen signed", S8(-5), tyS8, tyS64, S64(-5), true},
		{"narrow fits", U32(7), tyU32, tyU16, U16(7), false},
		{"narrow does not fit", U32(70000), tyU32, tyU16, Value{}, false},
		{"sign change fits", S8(5), tyS8, tyU8, U8(5), false},
		{"sign change negative", S8(-1), tyS8, tyU64, Value{}, false},
		{"u64 to s64 big", U64(math.MaxUint64), tyU64, tyS64, Value{}, false},
		{"f32 f64", F32(0.1), tyF32, tyF64, F64(float64(float32(0.1))), true},
		{"f64 f32 exact", F64(0.5), tyF64, tyF32, F32(0.5), false},
		{"f64 f32 inexact", F64(0.1), tyF64, tyF32, Value{}, false},
		{"f64 f32 nan", F64(math.NaN()), tyF64, tyF32, F32(float32(math.NaN())), false},
		{"f64 f32 inf", F64(math.Inf(-1)), tyF64, tyF32, F32(float32(math.Inf(-1))), false},
		{"wrap", U8(1), tyU8, optionOf(tyU32), Some(U32(1)), true},
		{"unwrap some", Some(U8(1)), optionOf(tyU8), tyU8, U8(1), false},
		{"unwrap none", None(), optionOf(tyU8), tyU8, Value{}, false},
		{"option elementwise", Some(U8(1)), optionOf(tyU8), optionOf(optionOf(tyU8)), Some(Some(U8(1))), true},
		{"option none", None(), optionOf(tyU8), optionOf(tyU16), None(), true},
		{"list", List(U8(1), U8(2)), listOf(tyU8), listOf(tyU16), List(U16(1), U16(2)), true},
		{"list to fixed fits", List(U8(1), U8(2)), listOf(tyU8), fixedList(tyU8, 2), List(U8(1), U8(2)), false},
		{"list to fixed", List(U8(1)), listOf(tyU8), fixedList(tyU8, 2), Value{}, false},
		{"tuple", Tuple(U8(1), F32(2)), tupleOf(tyU8, tyF32), tupleOf(tyU16, tyF64), Tuple(U16(1), F64(2)), true},
		{"tuple length", Tuple(U8(1)), tupleOf(tyU8), tupleOf(tyU8, tyU8), Value{}, false},
		{"record reorder add", Record(U32(1), Some(String("x"))), rec, recordOf(field("tag", optionOf(tyU8)), field("note", optionOf(tyString)), field("id", tyU64)),
			Record(None(), Some(String("x")), U64(1)), true},
		{"record removed none", Record(U32(1), None()), rec, recordOf(field("id", tyU32)), Record(U32(1)), false},
		{"record removed some", Record(U32(1), Some(String("x"))), rec, recordOf(field("id", tyU32)), Value{}, false},
		{"record required added", Record(U32(1), None()), rec, recordOf(field("id", tyU32), field("note", optionOf(tyString)), field("x", tyU8)), Value{}, false},
		{"variant remap", Variant(2, String("x")), ev, variantOf(cse("c", tyString), cse("a", tyU8), cse("b", nil)), Variant(0, String("x")), true},
		{"variant removed other case", Variant(0, U8(1)), ev, variantOf(cse("a", tyU16), cse("c", tyString)), Variant(0, U16(1)), false},
		{"variant removed case", Variant(1), ev, variantOf(cse("a", tyU8), cse("c", tyString)), Value{}, false},
		{"variant payload narrowed fits", Variant(0, U8(1)), ev, variantOf(cse("a", tyS8), cse("b", nil), cse("c", tyString)), Variant(0, S8(1)), false},
		{"variant payload gained", Variant(1), ev, variantOf(cse("a", tyU8), cse("b", tyU8), cse("c", tyString)), Value{}, false},
		{"variant payload lost", Variant(0, U8(1)), ev, variantOf(cse("a", nil), cse("b", nil), cse("c", tyString)), Value{}, false},
		{"variant payload lost other case", Variant(1), ev, variantOf(cse("a", nil), cse("b", nil), cse("c", tyString)), Variant(1), false},
		{"enum remap", Enum(0), enumOf("a", "b"), enumOf("c", "b", "a"), Enum(2), true},
		{"enum removed", Enum(0), enumOf("a", "b"), enumOf("b"), Value{}, false},
		{"enum removed other", Enum(1), enumOf("a", "b"), enumOf("b"), Enum(0), false},
		{"flags remap", Flags(0b01), flagsOf("a", "b"), flagsOf("c", "b", "a"), Flags(0b100), true},
		{"flags removed unset", Flags(0b10), flagsOf("a", "b"), flagsOf("b"), Flags(0b1), false},
		{"flags removed set", Flags(0b01), flagsOf("a", "b"), flagsOf("b"), Value{}, false},
		{"result", Err(S8(-1)), resultOf(tyU8, tyS8), resultOf(tyU8, tyS16), Err(S16(-1)), true},
		{"result payload gained", Ok(), resultOf(nil, tyS8), resultOf(tyU8, tyS8), Value{}, false},
		{"result payload gained other case", Err(S8(1)), resultOf(nil, tyS8), resultOf(tyU8, tyS8), Err(S8(1)), false},
		{"own", Own(3), ownOf(cart), ownOf(resource("cart", "shop:api/cart")), Own(3), true},
		{"own other resource", Own(3), ownOf(cart), ownOf(resource("x", "")), Value{}, false},
		{"kind change", U8(1), tyU8, tyString, Value{}, false},
		{"value does not match old", U16(1), tyU8, tyU16, Value{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, compat, err := ConvertReport(tt.v, tt.old, tt.new)
			if compat.OK != tt.typesOK {
				t.Errorf("types OK = %v, want %v (problems %v)", compat.OK, tt.typesOK, compat.Problems)
			}
			if !tt.want.IsValid() {
				if err == nil {
					t.Fatalf("Convert = %v, want error", got)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("multi-line error %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Convert (-want +got):\n%s", diff)
			}
			if err := Check(got, tt.new); err != nil {
				t.Errorf("converted value does not check: %v", err)
			}
			if again, err := Convert(tt.v, tt.old, tt.new); err != nil || !again.Equal(got) {
				t.Errorf("Convert = %v, %v; ConvertReport gave %v", again, err, got)
			}
		})
	}
}

func TestIdentical(t *testing.T) {
	rec := named("r", recordOf(field("a", tyU8), field("b", listOf(tyString))))
	tests := []struct {
		name string
		a, b *wit.Type
		want bool
	}{
		{"same pointer", rec, rec, true},
		{"same structure", rec, named("r", recordOf(field("a", tyU8), field("b", listOf(tyString)))), true},
		{"other owner", rec, &wit.Type{Kind: wit.Record, Name: "r", Owner: "x:y/z", Fields: rec.Fields}, true},
		{"renamed", rec, named("s", rec), false},
		{"field order", rec, named("r", recordOf(field("b", listOf(tyString)), field("a", tyU8))), false},
		{"field type", rec, named("r", recordOf(field("a", tyU16), field("b", listOf(tyString)))), false},
		{"nil nil", nil, nil, true},
		{"nil type", nil, tyU8, false},
		{"fixed len", fixedList(tyU8, 2), fixedList(tyU8, 3), false},
		{"enum order", enumOf("a", "b"), enumOf("b", "a"), false},
		{"variant payload", variantOf(cse("a", nil)), variantOf(cse("a", tyU8)), false},
		{"result", resultOf(tyU8, nil), resultOf(tyU8, tyU8), false},
		{"resource", ownOf(cart), ownOf(resource("cart", "shop:api/cart@1.1.0")), true},
		// Host matching links 1.0.0 and 2.0.0 as two interfaces: two resources.
		{"resource incompatible version", ownOf(cart), ownOf(resource("cart", "shop:api/cart@2.0.0")), false},
		{"resource other owner", ownOf(cart), ownOf(resource("cart", "shop:api/other")), false},
		{"tuple", tupleOf(tyU8), tupleOf(tyU8, tyU8), false},
	}
	for _, tt := range tests {
		if got := Identical(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Identical = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// mutate returns a changed copy of t (sometimes t itself): compatible and
// incompatible changes at a random node.
func mutate(r *rand.Rand, t *wit.Type, depth int) *wit.Type {
	if t == nil {
		if r.Intn(2) == 0 {
			return randType(r, 1)
		}
		return nil
	}
	c := *t
	c.Fields = slices.Clone(t.Fields)
	c.Cases = slices.Clone(t.Cases)
	c.Labels = slices.Clone(t.Labels)
	c.Elems = slices.Clone(t.Elems)
	switch x := r.Intn(10); {
	case x < 3 && depth > 0: // change a child
		switch {
		case len(c.Fields) > 0:
			i := r.Intn(len(c.Fields))
			c.Fields[i].Type = mutate(r, c.Fields[i].Type, depth-1)
			if c.Fields[i].Type == nil {
				c.Fields[i].Type = tyU8
			}
		case len(c.Cases) > 0:
			i := r.Intn(len(c.Cases))
			c.Cases[i].Type = mutate(r, c.Cases[i].Type, depth-1)
		case len(c.Elems) > 0:
			i := r.Intn(len(c.Elems))
			if c.Elems[i] = mutate(r, c.Elems[i], depth-1); c.Elems[i] == nil {
				c.Elems[i] = tyU8
			}
		case c.Kind == wit.Result:
			c.Ok = mutate(r, c.Ok, depth-1)
			c.Err = mutate(r, c.Err, depth-1)
		case c.Elem != nil && c.Kind != wit.Own && c.Kind != wit.Borrow:
			c.Elem = mutate(r, c.Elem, depth-1)
			if c.Elem == nil {
				c.Elem = tyU8
			}
		}
		return &c
	case x < 6: // a change at this node
		switch c.Kind {
		case wit.S8, wit.U8, wit.S16, wit.U16, wit.S32, wit.U32, wit.S64, wit.U64:
			c.Kind = scalarKinds[1+r.Intn(8)]
		case wit.F32:
			c.Kind = wit.F64
		case wit.F64:
			c.Kind = wit.F32
		case wit.Record:
			switch r.Intn(4) {
			case 0:
				c.Fields = append(c.Fields, field("added"+strconv.Itoa(r.Intn(3)), optionOf(tyU8)))
			case 1:
				c.Fields = append(c.Fields, field("req", tyU8))
			case 2:
				if len(c.Fields) > 1 {
					i := r.Intn(len(c.Fields))
					c.Fields = slices.Delete(c.Fields, i, i+1)
				}
			default:
				r.Shuffle(len(c.Fields), func(i, j int) { c.Fields[i], c.Fields[j] = c.Fields[j], c.Fields[i] })
			}
			c.Fields = slices.CompactFunc(c.Fields, func(a, b wit.Field) bool { return a.Name == b.Name })
		case wit.Variant:
			switch r.Intn(4) {
			case 0:
				c.Cases = append(c.Cases, cse("new-case", nil))
			case 1:
				if len(c.Cases) > 1 {
					i := r.Intn(len(c.Cases))
					c.Cases = slices.Delete(c.Cases, i, i+1)
				}
			case 2:
				i := r.Intn(len(c.Cases))
				if c.Cases[i].Type == nil {
					c.Cases[i].Type = tyU8
				} else {
					c.Cases[i].Type = nil
				}
			default:
				r.Shuffle(len(c.Cases), func(i, j int) { c.Cases[i], c.Cases[j] = c.Cases[j], c.Cases[i] })
			}
		case wit.Enum, wit.Flags:
			switch r.Intn(3) {
			case 0:
				if !slices.Contains(c.Labels, "new-label") {
					c.Labels = append(c.Labels, "new-label")
				}
			case 1:
				if len(c.Labels) > 1 {
					i := r.Intn(len(c.Labels))
					c.Labels = slices.Delete(c.Labels, i, i+1)
				}
			default:
				r.Shuffle(len(c.Labels), func(i, j int) { c.Labels[i], c.Labels[j] = c.Labels[j], c.Labels[i] })
			}
		case wit.Tuple:
			if r.Intn(2) == 0 || len(c.Elems) == 1 {
				c.Elems = append(c.Elems, tyU8)
			} else {
				c.Elems = c.Elems[:len(c.Elems)-1]
			}
		case wit.List:
			c.Len = uint32(r.Intn(3))
		case wit.Option:
			if r.Intn(2) == 0 {
				return c.Elem
			}
		case wit.Own, wit.Borrow:
			if r.Intn(2) == 0 {
				c.Elem = testResources[r.Intn(len(testResources))]
			} else if c.Kind == wit.Own {
				c.Kind = wit.Borrow
			} else {
				c.Kind = wit.Own
			}
		default:
			return randType(r, 2)
		}
		return &c
	case x < 7:
		return optionOf(t)
	case x < 8:
		c.Name = "renamed"
		return &c
	case x < 9:
		return randType(r, 2)
	}
	return t
}

// TestConvertProperty is the invariant: every value of a type pair that
// CheckTypes accepts converts, and every converted value is a value of the
// new type.
func TestConvertProperty(t *testing.T) {
	r := rand.New(rand.NewSource(42))
	var pairs, okPairs, converted, convertedDespite int
	for i := 0; i < 4000; i++ {
		old := randType(r, 3)
		new := old
		for n := 1 + r.Intn(3); n > 0; n-- {
			new = mutate(r, new, 3)
			if new == nil {
				new = tyU8
			}
		}
		pairs++
		c := NewConverter(old, new)
		compat := c.Compat()
		if compat.OK != (len(compat.Problems) == 0) {
			t.Fatalf("OK %v with %d problems", compat.OK, len(compat.Problems))
		}
		if compat.OK {
			okPairs++
		}
		if Identical(old, new) && (!compat.OK || len(compat.Conversions) > 0) {
			t.Fatalf("identical %s: compat %+v", typeString(old), compat)
		}
		for j := 0; j < 10; j++ {
			v := randValue(r, old)
			out, err := c.Convert(v)
			if compat.OK && err != nil {
				t.Fatalf("%s -> %s accepted (conversions %v), but %v fails: %v", typeString(old), typeString(new), steps(compat.Conversions), v, err)
			}
			if err != nil {
				continue
			}
			converted++
			if !compat.OK {
				convertedDespite++
			}
			if err := Check(out, new); err != nil {
				t.Fatalf("%s -> %s: %v converted to %v, which is not a value of the new type: %v", typeString(old), typeString(new), v, out, err)
			}
			if Identical(old, new) && !out.Equal(v) {
				t.Fatalf("identical types changed %v to %v", v, out)
			}
		}
	}
	t.Logf("%d type pairs, %d compatible; %d values converted, %d of them across incompatible types", pairs, okPairs, converted, convertedDespite)
	if okPairs < pairs/10 || okPairs > pairs*9/10 || convertedDespite == 0 {
		t.Errorf("the generator is unbalanced: %d/%d compatible pairs, %d conversions across incompatible types", okPairs, pairs, convertedDespite)
	}
}

func TestCheckTypesSelf(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 2000; i++ {
		typ := randType(r, 4)
		got := CheckTypes(typ, typ)
		if !got.OK || len(got.Conversions) > 0 || !Identical(typ, typ) {
			t.Fatalf("%s against itself: %+v", typeString(typ), got)
		}
	}
}

// TestResourceChangedNamesAlias: a handle to a resource alias (`type
// headers = fields`) is compared by the resource it stands for, and the
// error names both, not "headers became headers".
func TestResourceChangedNamesAlias(t *testing.T) {
	const owner = "wasi:http/types@0.2.0"
	alias := &wit.Type{Kind: wit.Resource, Name: "headers", Owner: owner, Elem: resource("fields", owner)}
	_, err := Convert(Own(1), ownOf(resource("headers", owner)), ownOf(alias))
	want := "resource " + owner + ".headers became " + owner + ".headers (an alias of " + owner + ".fields)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Convert: %v, want an error containing %q", err, want)
	}
	if _, err := Convert(Own(1), ownOf(resource("fields", owner)), ownOf(alias)); err != nil {
		t.Errorf("own<fields> to own<headers = fields>: %v", err)
	}
}
