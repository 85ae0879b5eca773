package value

import (
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/wit"
)

var (
	basicRec = named("basic", recordOf(field("required", tyU8), field("optional", optionOf(tyU8))))
	kwVar    = named("kw", variantOf(cse("some", tyU8), cse("none", nil), cse("ok", nil), cse("plain", tyString), cse("true", nil)))
	cart     = resource("cart", "shop:api/cart@1.0.0")
)

func TestWAVE(t *testing.T) {
	tests := []struct {
		name string
		typ  *wit.Type
		in   string
		want Value
		out  string // canonical form; "" means same as in
	}{
		{"bool", tyBool, "true", Bool(true), ""},
		{"bool false", tyBool, " false // c", Bool(false), "false"},
		{"u8 max", tyU8, "255", U8(255), ""},
		{"s8 min", tyS8, "-128", S8(-128), ""},
		{"s8 -0", tyS8, "-0", S8(0), "0"},
		{"u16", tyU16, "65535", U16(65535), ""},
		{"s16", tyS16, "-32768", S16(-32768), ""},
		{"u32", tyU32, "4294967295", U32(math.MaxUint32), ""},
		{"s32", tyS32, "-2147483648", S32(math.MinInt32), ""},
		{"u64 max", tyU64, "18446744073709551615", U64(math.MaxUint64), ""},
		{"s64 min", tyS64, "-9223372036854775808", S64(math.MinInt64), ""},
		{"f32", tyF32, "0.1", F32(0.1), ""},
		{"f32 exp", tyF32, "1.5e3", F32(1500), "1500"},
		{"f32 max", tyF32, "3.4028234664e38", F32(math.MaxFloat32), "340282350000000000000000000000000000000"},
		{"f32 overflow", tyF32, "1e39", F32(float32(math.Inf(1))), "inf"},
		{"f64", tyF64, "-2.5E-3", F64(-0.0025), "-0.0025"},
		{"f64 big", tyF64, "1e21", F64(1e21), "1000000000000000000000"},
		{"f64 -0", tyF64, "-0.0", F64(math.Copysign(0, -1)), "-0"},
		{"f64 nan", tyF64, "nan", F64(math.NaN()), ""},
		{"f64 inf", tyF64, "inf", F64(math.Inf(1)), ""},
		{"f64 -inf", tyF64, "-inf", F64(math.Inf(-1)), ""},
		{"f64 smallest", tyF64, "5e-324", F64(5e-324), "0." + strings.Repeat("0", 323) + "5"},
		{"char", tyChar, "'x'", Char('x'), ""},
		{"char emoji", tyChar, "'🌊'", Char('🌊'), ""},
		{"char escape", tyChar, `'\u{2603}'`, Char('☃'), "'☃'"},
		{"char quote", tyChar, `'"'`, Char('"'), `'\"'`},
		{"char nul", tyChar, `'\u{0}'`, Char(0), ""},
		{"char del", tyChar, `'\u{7f}'`, Char(0x7f), ""},
		{"char combining", tyChar, `'\u{301}'`, Char(0x301), ""},
		{"char nbsp", tyChar, `'\u{a0}'`, Char(0xa0), ""},
		{"char zwsp", tyChar, `'\u{200b}'`, Char(0x200b), ""},
		{"string", tyString, `"a\"b\\c\n\t\r'"`, String("a\"b\\c\n\t\r'"), `"a\"b\\c\n\t\r\'"`},
		{"string raw tab", tyString, "\"a\tb\"", String("a\tb"), `"a\tb"`},
		{"string multiline", tyString, "\"\"\"\r\n  one\r\n   two \"\"\n  \"\"\"", String("one\n two \"\""), `"one\n two \"\""`},
		{"string multiline single line", tyString, "\"\"\"\nx\n\"\"\"", String("x"), `"x"`},
		{"list", listOf(tyU8), "[1, 2, 3,]", List(U8(1), U8(2), U8(3)), "[1, 2, 3]"},
		{"list empty", listOf(tyU8), "[ ]", List(), "[]"},
		{"fixed list", fixedList(tyS32, 2), "[-1, 1]", List(S32(-1), S32(1)), ""},
		{"tuple", tupleOf(tyU8, tyString), `(1, "a",)`, Tuple(U8(1), String("a")), `(1, "a")`},
		{"record", basicRec, "{optional: 2, required: 1}", Record(U8(1), Some(U8(2))), "{required: 1, optional: some(2)}"},
		{"record none omitted", basicRec, "{required: 1, optional: none}", Record(U8(1), None()), "{required: 1}"},
		{"record escaped names", basicRec, "{%required: 1}", Record(U8(1), None()), "{required: 1}"},
		{"record all none", recordOf(field("a", optionOf(tyU8))), "{:}", Record(None()), ""},
		{"record keyword field", recordOf(field("true", tyBool)), "{true: true}", Record(Bool(true)), ""},
		{"variant payload", kwVar, `%some(7)`, Variant(0, U8(7)), ""},
		{"variant keyword no payload", kwVar, `%none`, Variant(1), ""},
		{"variant plain", kwVar, `plain("x")`, Variant(3, String("x")), ""},
		{"variant escaped plain", kwVar, `%plain("x")`, Variant(3, String("x")), `plain("x")`},
		{"variant true", kwVar, `%true`, Variant(4), ""},
		{"enum", enumOf("left", "right"), "right", Enum(1), ""},
		{"enum keyword", enumOf("a", "nan"), "%nan", Enum(1), ""},
		{"option some", optionOf(tyU8), "some(1)", Some(U8(1)), ""},
		{"option none", optionOf(tyU8), "none", None(), ""},
		{"option flat", optionOf(tyU8), "1", Some(U8(1)), "some(1)"},
		{"option flat record", optionOf(basicRec), "{required: 1}", Some(Record(U8(1), None())), "some({required: 1})"},
		{"option flat enum none case", optionOf(enumOf("none")), "%none", Some(Enum(0)), "some(%none)"},
		{"option nested", optionOf(optionOf(tyU8)), "some(none)", Some(None()), ""},
		{"option nested some", optionOf(optionOf(tyU8)), "some(some(0))", Some(Some(U8(0))), ""},
		{"result ok", resultOf(tyU8, tyString), "ok(1)", Ok(U8(1)), ""},
		{"result err", resultOf(tyU8, tyString), `err("no")`, Err(String("no")), ""},
		{"result flat", resultOf(tyU8, tyString), "1", Ok(U8(1)), "ok(1)"},
		{"result no payloads", resultOf(nil, nil), "err", Err(), ""},
		{"result err only", resultOf(nil, tyU8), "ok", Ok(), ""},
		{"flags", flagsOf("read", "write", "exec"), "{exec, read}", Flags(0b101), "{read, exec}"},
		{"flags empty", flagsOf("read"), "{}", Flags(0), ""},
		{"own", ownOf(cart), "7", Own(7), ""},
		{"borrow", borrowOf(cart), "4294967295", Borrow(math.MaxUint32), ""},
		{"comments", listOf(tyU8), "// a\n[ // b\n1 // c\n, 2]// d", List(U8(1), U8(2)), "[1, 2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWAVE(tt.in, tt.typ)
			if err != nil {
				t.Fatalf("ParseWAVE(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseWAVE(%q) (-want +got):\n%s", tt.in, diff)
			}
			if err := Check(got, tt.typ); err != nil {
				t.Errorf("Check: %v", err)
			}
			out, err := FormatWAVE(got, tt.typ)
			if err != nil {
				t.Fatalf("FormatWAVE: %v", err)
			}
			want := tt.out
			if want == "" {
				want = tt.in
			}
			if out != want {
				t.Errorf("FormatWAVE = %s, want %s", out, want)
			}
			again, err := ParseWAVE(out, tt.typ)
			if err != nil {
				t.Fatalf("ParseWAVE(%q) of printed form: %v", out, err)
			}
			if !again.Equal(got) {
				t.Errorf("round trip: %v, want %v", again, got)
			}
		})
	}
}

func TestWAVEErrors(t *testing.T) {
	tests := []struct {
		name   string
		typ    *wit.Type
		in     string
		offset int
		msg    string // substring of the message
	}{
		{"u8 overflow", tyU8, "256", 0, "invalid u8"},
		{"u8 negative", tyU8, "-1", 0, "invalid u8"},
		{"u8 float", tyU8, "1.0", 0, "invalid u8"},
		{"u8 exponent", tyU8, "1e2", 0, "invalid u8"},
		{"leading zero", tyU8, "01", 1, "expected end of input"},
		{"s8 overflow", tyS8, "-129", 0, "invalid s8"},
		{"int nan", tyS32, "nan", 0, "expected s32"},
		{"float label", tyF32, "NaN", 0, "expected f32"},
		{"bool escaped", tyBool, "%true", 0, "expected bool"},
		{"trailing", tyU8, "1 2", 2, "expected end of input"},
		{"empty", tyU8, "  ", 2, "found end of input"},
		{"bad char", tyU8, "#", 0, "invalid character"},
		{"string newline", tyString, "\"a\nb\"", 0, "unterminated string"},
		{"string bad utf8", tyString, "\"a\xffb\"", 2, "invalid UTF-8"},
		{"multiline dedent", tyString, "\"\"\"\n  a\n b\n  \"\"\"", 8, "indented"},
		{"multiline empty line under indent", tyString, "\"\"\"\n  a\n\n  \"\"\"", 8, "indented"},
		{"tuple short", tupleOf(tyU8, tyU8), "(1)", 0, "1 members"},
		{"tuple long", tupleOf(tyU8), "(1, 2)", 4, "too many members"},
		{"tuple empty", tupleOf(tyU8), "()", 1, "expected value"},
		{"fixed list", fixedList(tyU8, 2), "[1]", 0, "1 elements"},
		{"record unknown field", basicRec, "{required: 1, extra: 2}", 14, `unknown field "extra"`},
		{"record missing comma", basicRec, "{required: 1 optional: none}", 13, `expected "," or "}"`},
		{"flags missing comma", flagsOf("a", "b"), "{a b}", 3, `expected "," or "}"`},
		{"flags as record", flagsOf("a"), "{a: 1}", 2, `expected "," or "}"`},
		{"variant unknown", kwVar, "other", 0, "unknown case"},
		{"variant keyword unescaped", kwVar, "some(1)", 0, "expected variant case"},
		{"variant missing payload", kwVar, "plain", 0, "missing payload"},
		{"variant extra payload", kwVar, "%none(1)", 0, "unexpected payload"},
		{"enum payload", enumOf("a"), "a(1)", 1, "expected end of input"},
		{"option nested flat", optionOf(optionOf(tyU8)), "1", 0, "expected some(...) or none"},
		{"result flat no ok", resultOf(nil, tyU8), "1", 0, "expected ok or err"},
		{"handle", ownOf(cart), "-1", 0, "invalid handle"},
		{"resource", cart, "1", 0, "has no values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseWAVE(tt.in, tt.typ)
			if err == nil {
				t.Fatalf("ParseWAVE(%q) = %v, want error", tt.in, v)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			if e.Offset != tt.offset || !strings.Contains(e.Msg, tt.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q (offset %d), want offset %d and %q", err, e.Offset, tt.offset, tt.msg)
			}
		})
	}
}

func TestFormatWAVEMismatch(t *testing.T) {
	tests := []struct {
		name string
		v    Value
		typ  *wit.Type
	}{
		{"kind", U8(1), tyU16},
		{"zero", Value{}, tyU8},
		{"record arity", Record(U8(1)), basicRec},
		{"case range", Variant(9), kwVar},
		{"payload missing", Variant(0), kwVar},
		{"enum range", Enum(2), enumOf("a", "b")},
		{"flags range", Flags(4), flagsOf("a", "b")},
		{"bad string", String("\xff"), tyString},
		{"surrogate", Char(0xd800), tyChar},
		{"fixed list", List(U8(1)), fixedList(tyU8, 2)},
		{"nested", List(U8(1), U16(2)), listOf(tyU8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := FormatWAVE(tt.v, tt.typ); err == nil {
				t.Errorf("FormatWAVE = %s, want error", s)
			}
			if b, err := FormatJSON(tt.v, tt.typ); err == nil {
				t.Errorf("FormatJSON = %s, want error", b)
			}
			if err := Check(tt.v, tt.typ); err == nil {
				t.Errorf("Check: no error")
			}
		})
	}
}

func TestCalls(t *testing.T) {
	f := &wit.Function{Name: "add", Params: []wit.Param{{Name: "a", Type: tyU8}, {Name: "b", Type: optionOf(tyString)}, {Name: "c", Type: optionOf(tyU8)}}}
	lookup := func(name string) (*wit.Function, error) {
		if _, fn := SplitCallName(name); fn == "add" {
			return f, nil
		}
		return nil, errors.New("unknown function " + name)
	}
	c, err := ParseCall(` // call
	shop:api/cart.add(1, "x") `, lookup)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Value{U8(1), Some(String("x")), None()}, c.Args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	if s, _ := c.WAVE(); s != `shop:api/cart.add(1, some("x"), none)` {
		t.Errorf("WAVE = %s", s)
	}
	if s, _ := c.Labeled(); s != `shop:api/cart.add(a: 1, b: some("x"), c: none)` {
		t.Errorf("Labeled = %s", s)
	}
	for _, bad := range []string{"add()", "add", "add(1, none, none, 1)", "add(1) x", "(1)", "other(1)", "add(,)"} {
		if _, err := ParseCall(bad, lookup); err == nil {
			t.Errorf("ParseCall(%q): no error", bad)
		}
	}

	args, err := ParseArgs("(1,)", f.Params)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FormatArgs(args, f.Params)
	if err != nil || s != "(1, none, none)" {
		t.Errorf("FormatArgs = %q, %v", s, err)
	}
	if args, err := ParseArgs("()", nil); err != nil || len(args) != 0 {
		t.Errorf("ParseArgs(()) = %v, %v", args, err)
	}
	if s, err := FormatArgs(nil, nil); err != nil || s != "()" {
		t.Errorf("FormatArgs(nil) = %q, %v", s, err)
	}
}

func TestSplitCallName(t *testing.T) {
	tests := []struct{ in, iface, fn string }{
		{"string", "", "string"},
		{"ui.string", "ui", "string"},
		{"ui:tests/ui.nullary", "ui:tests/ui", "nullary"},
		{"ui:tests/ui.string@0.1.0", "ui:tests/ui@0.1.0", "string"},
		{"[method]cart.add-item", "", "[method]cart.add-item"},
		{"shop:api/cart.[method]cart.add-item@1.0.0", "shop:api/cart@1.0.0", "[method]cart.add-item"},
		{"[constructor]cart", "", "[constructor]cart"},
	}
	for _, tt := range tests {
		iface, fn := SplitCallName(tt.in)
		if iface != tt.iface || fn != tt.fn {
			t.Errorf("SplitCallName(%q) = %q, %q; want %q, %q", tt.in, iface, fn, tt.iface, tt.fn)
		}
	}
}

// TestRandomRoundTrip prints random values of random types in WAVE and JSON
// and parses them back.
func TestRandomRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		typ := randType(r, 4)
		v := randValue(r, typ)
		if err := Check(v, typ); err != nil {
			t.Fatalf("random value of %s: %v", typ.WIT(), err)
		}
		w, err := FormatWAVE(v, typ)
		if err != nil {
			t.Fatalf("FormatWAVE(%v, %s): %v", v, typ.WIT(), err)
		}
		got, err := ParseWAVE(w, typ)
		if err != nil {
			t.Fatalf("ParseWAVE(%q, %s): %v", w, typ.WIT(), err)
		}
		if !got.Equal(v) {
			t.Fatalf("WAVE %q of %s: got %v, want %v", w, typ.WIT(), got, v)
		}
		j, err := FormatJSON(v, typ)
		if err != nil {
			t.Fatalf("FormatJSON(%v, %s): %v", v, typ.WIT(), err)
		}
		got, err = ParseJSON(j, typ)
		if err != nil {
			t.Fatalf("ParseJSON(%s, %s): %v", j, typ.WIT(), err)
		}
		if !got.Equal(v) {
			t.Fatalf("JSON %s of %s: got %v, want %v", j, typ.WIT(), got, v)
		}
	}
}

func TestValueAccessors(t *testing.T) {
	if U8(3).Uint() != 3 || S16(-3).Int() != -3 || !Bool(true).Bool() || Char('x').Char() != 'x' || String("s").Text() != "s" {
		t.Error("scalar accessors")
	}
	if F32(1.5).Float() != 1.5 || F32(1.5).F32() != 1.5 || F64(2.5).Float() != 2.5 {
		t.Error("float accessors")
	}
	if v, ok := Some(U8(1)).Payload(); !ok || !v.Equal(U8(1)) {
		t.Error("Payload")
	}
	if _, ok := None().Payload(); ok {
		t.Error("Payload of none")
	}
	if Err(U8(1)).Case() != 1 || Variant(2).Case() != 2 || Enum(1).Case() != 1 {
		t.Error("Case")
	}
	if l := List(U8(1), U8(2)); l.Len() != 2 || !l.Index(1).Equal(U8(2)) || len(l.Elems()) != 2 {
		t.Error("list accessors")
	}
	if Own(5).Handle() != 5 || Handle(wit.Stream, 6).Kind() != wit.Stream || Flags(3).FlagSet() != 3 {
		t.Error("handles and flags")
	}
	if v, err := Int(wit.S8, -129); err == nil {
		t.Errorf("Int(s8, -129) = %v", v)
	}
	if v, err := Uint(wit.U16, 65535); err != nil || v.Uint() != 65535 {
		t.Errorf("Uint(u16, 65535) = %v, %v", v, err)
	}
	if v, err := Uint(wit.S64, math.MaxUint64); err == nil {
		t.Errorf("Uint(s64, max) = %v", v)
	}
	if !F64(math.NaN()).Equal(F64(-math.NaN())) || F64(0).Equal(F64(math.Copysign(0, -1))) {
		t.Error("float Equal")
	}
	if (Value{}).IsValid() || (Value{}).Kind() != "" {
		t.Error("zero Value")
	}
	defer func() {
		if recover() == nil {
			t.Error("U8(1).Int() did not panic")
		}
	}()
	U8(1).Int()
}

func TestDebugString(t *testing.T) {
	v := Record(List(U8(1), S8(-1)), Variant(1, String("x")), Enum(2), Some(None()), Err(), Flags(5), Own(3), F64(math.NaN()), Char('\n'))
	want := `record{[1, -1], case#1("x"), enum#2, some(none), err, flags#0x5, own#3, nan, '\n'}`
	if got := v.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}
