package value

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/wit"
)

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		typ  *wit.Type
		in   string
		want Value
		out  string // canonical output; "" means same as in
	}{
		{"bool", tyBool, "true", Bool(true), ""},
		{"u8", tyU8, " 255 ", U8(255), "255"},
		{"s8", tyS8, "-128", S8(-128), ""},
		{"u64 number", tyU64, "18446744073709551615", U64(math.MaxUint64), ""},
		{"u64 string", tyU64, `"18446744073709551615"`, U64(math.MaxUint64), "18446744073709551615"},
		{"s64 string", tyS64, `"-9223372036854775808"`, S64(math.MinInt64), "-9223372036854775808"},
		{"f32", tyF32, "0.1", F32(0.1), ""},
		{"f64 exp", tyF64, "1e21", F64(1e21), "1e+21"},
		{"f64 -0", tyF64, "-0", F64(math.Copysign(0, -1)), ""},
		{"f64 nan", tyF64, `"nan"`, F64(math.NaN()), ""},
		{"f64 inf", tyF64, `"inf"`, F64(math.Inf(1)), ""},
		{"f64 -inf", tyF64, `"-inf"`, F64(math.Inf(-1)), ""},
		{"char", tyChar, `"☃"`, Char('☃'), ""},
		{"char escaped", tyChar, `"\u0000"`, Char(0), ""},
		{"char surrogate pair", tyChar, `"\ud83c\udf0a"`, Char('🌊'), `"🌊"`},
		{"string", tyString, `"a\"b\\c\n\u2028é"`, String("a\"b\\c\n\u2028é"), ""},
		{"list", listOf(tyU8), "[1, 2]", List(U8(1), U8(2)), "[1,2]"},
		{"tuple", tupleOf(tyU8, tyString), `[1,"x"]`, Tuple(U8(1), String("x")), ""},
		{"record", basicRec, `{"optional":2,"required":1}`, Record(U8(1), Some(U8(2))), `{"required":1,"optional":2}`},
		{"record missing option", basicRec, `{"required":1}`, Record(U8(1), None()), `{"required":1,"optional":null}`},
		{"variant payload", kwVar, `{"plain":"x"}`, Variant(3, String("x")), ""},
		{"variant no payload", kwVar, `"none"`, Variant(1), ""},
		{"variant no payload null", kwVar, `{"none":null}`, Variant(1), `"none"`},
		{"enum", enumOf("left", "right"), `"right"`, Enum(1), ""},
		{"option", optionOf(tyU8), "5", Some(U8(5)), ""},
		{"option none", optionOf(tyU8), "null", None(), ""},
		{"option nested none", optionOf(optionOf(tyU8)), "null", None(), ""},
		{"option nested some none", optionOf(optionOf(tyU8)), `{"some":null}`, Some(None()), ""},
		{"option nested some some", optionOf(optionOf(tyU8)), `{"some":5}`, Some(Some(U8(5))), ""},
		{"option triple", optionOf(optionOf(optionOf(tyU8))), `{"some":{"some":null}}`, Some(Some(None())), ""},
		{"option of record with some field", optionOf(recordOf(field("some", tyU8))), `{"some":5}`, Some(Record(U8(5))), ""},
		{"result ok", resultOf(tyU8, tyString), `{"ok":1}`, Ok(U8(1)), ""},
		{"result err", resultOf(tyU8, tyString), `{"err":"no"}`, Err(String("no")), ""},
		{"result no payload", resultOf(nil, nil), `{"ok":null}`, Ok(), ""},
		{"result no payload string", resultOf(nil, nil), `"err"`, Err(), `{"err":null}`},
		{"flags", flagsOf("read", "write", "exec"), `["exec","read"]`, Flags(0b101), `["read","exec"]`},
		{"own", ownOf(cart), "7", Own(7), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseJSON([]byte(tt.in), tt.typ)
			if err != nil {
				t.Fatalf("ParseJSON(%s): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseJSON(%s) (-want +got):\n%s", tt.in, diff)
			}
			out, err := FormatJSON(got, tt.typ)
			if err != nil {
				t.Fatalf("FormatJSON: %v", err)
			}
			want := tt.out
			if want == "" {
				want = tt.in
			}
			if string(out) != want {
				t.Errorf("FormatJSON = %s, want %s", out, want)
			}
			again, err := ParseJSON(out, tt.typ)
			if err != nil || !again.Equal(got) {
				t.Errorf("round trip of %s: %v, %v", out, again, err)
			}
		})
	}
}

func TestJSONErrors(t *testing.T) {
	rec := recordOf(field("items", listOf(recordOf(field("qty", tyU8)))))
	tests := []struct {
		name   string
		typ    *wit.Type
		in     string
		offset int
		path   string
		msg    string
	}{
		{"u8 overflow", tyU8, "256", 0, "", "invalid u8"},
		{"u8 fraction", tyU8, "1.0", 0, "", "invalid u8"},
		{"u8 bad string", tyU8, `"x"`, 0, "", "invalid u8"},
		{"nested path", rec, `{"items": [{"qty": 1}, {"qty": -1}]}`, 31, ".field(items).elem.field(qty)", "invalid u8"},
		{"unknown field", basicRec, `{"required": 1, "x": 2}`, 16, "", `unknown field "x"`},
		{"duplicate field", basicRec, `{"required": 1, "required": 2}`, 16, "", "duplicate field"},
		{"missing field", basicRec, `{}`, 0, "", `missing field "required"`},
		{"char two", tyChar, `"ab"`, 0, "", "exactly one character"},
		{"char empty", tyChar, `""`, 0, "", "exactly one character"},
		{"float string", tyF64, `"Infinity"`, 0, "", "expected number"},
		{"tuple short", tupleOf(tyU8, tyU8), "[1]", 0, "", "1 members"},
		{"tuple long", tupleOf(tyU8), "[1,2]", 3, "", "too many members"},
		{"fixed list", fixedList(tyU8, 2), "[1]", 0, "", "1 elements"},
		{"variant unknown", kwVar, `"zzz"`, 0, "", "unknown case"},
		{"variant missing payload", kwVar, `"plain"`, 0, "", "missing payload"},
		{"variant two keys", kwVar, `{"none": null, "ok": null}`, 15, "", "exactly one key"},
		{"variant unexpected payload", kwVar, `{"none": 1}`, 9, ".case(none)", "unexpected payload"},
		{"nested option flat", optionOf(optionOf(tyU8)), "5", 0, "", `expected null or {"some": ...}`},
		{"result bad", resultOf(tyU8, nil), `{"okay": 1}`, 1, "", "unknown case"},
		{"flags dup", flagsOf("a"), `["a","a"]`, 5, "", "duplicate flag"},
		{"flags unknown", flagsOf("a"), `["b"]`, 1, "", "unknown flag"},
		{"trailing", tyU8, "1 2", 2, "", "after the value"},
		{"syntax", listOf(tyU8), "[1,", 3, ".elem", "found end of input"},
		{"trailing comma", listOf(tyU8), "[1,]", 3, ".elem", `found "]"`},
		{"missing colon", basicRec, `{"required" 1}`, 12, "", `expected ":"`},
		{"bad escape", tyString, `"\x"`, 1, "", "invalid escape"},
		{"lone surrogate", tyString, `"\ud800"`, 1, "", "unpaired surrogate"},
		{"raw control", tyString, "\"a\nb\"", 2, "", "control character"},
		{"bad utf8", tyString, "\"a\xffb\"", 2, "", "invalid UTF-8"},
		{"bad number", tyF64, "01", 1, "", "unexpected number 1"},
		{"bad literal", tyBool, "tru", 0, "", "invalid character"},
		{"syntax bad token", listOf(tyU8), "[1 x]", 3, "", "invalid character"},
		{"empty", tyU8, "", 0, "", "found end of input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseJSON([]byte(tt.in), tt.typ)
			if err == nil {
				t.Fatalf("ParseJSON(%s) = %v, want error", tt.in, v)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			if e.Offset != tt.offset || e.Path != tt.path || !strings.Contains(e.Msg, tt.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q (offset %d, path %q), want offset %d, path %q, %q", err, e.Offset, e.Path, tt.offset, tt.path, tt.msg)
			}
		})
	}
}

func TestJSONArgs(t *testing.T) {
	params := []wit.Param{{Name: "a", Type: tyU8}, {Name: "b", Type: optionOf(tyString)}}
	for _, in := range []string{`[1]`, `[1, null]`, `{"a": 1}`, `{"b": null, "a": 1}`} {
		args, err := ParseJSONArgs([]byte(in), params)
		if err != nil {
			t.Fatalf("ParseJSONArgs(%s): %v", in, err)
		}
		if diff := cmp.Diff([]Value{U8(1), None()}, args); diff != "" {
			t.Errorf("ParseJSONArgs(%s) (-want +got):\n%s", in, diff)
		}
	}
	for _, in := range []string{`[]`, `[1, null, 2]`, `{"c": 1}`, `{"a": 1, "a": 1}`, `1`, `[1] 2`} {
		if args, err := ParseJSONArgs([]byte(in), params); err == nil {
			t.Errorf("ParseJSONArgs(%s) = %v, want error", in, args)
		}
	}
	out, err := FormatJSONArgs([]Value{U8(1), Some(String("x"))}, params)
	if err != nil || string(out) != `[1,"x"]` {
		t.Errorf("FormatJSONArgs = %s, %v", out, err)
	}
}
