package value

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/wfcompat/wfcompat/wit"
)

// fuzzTypes are the fixed types the fuzzers parse against.
var fuzzTypes = []*wit.Type{
	named("big", recordOf(
		field("a", listOf(tupleOf(tyU8, tyS16, tyChar))),
		field("b", optionOf(optionOf(tyString))),
		field("c", resultOf(tyF32, named("v", variantOf(cse("x", tyU64), cse("y", nil), cse("some", listOf(tyF64)), cse("inf", nil))))),
		field("d", named("perm", flagsOf("read", "write", "none"))),
		field("e", named("kw", enumOf("true", "nan", "left"))),
		field("f", optionOf(tyS64)),
		field("g", listOf(ownOf(cart))),
		field("h", fixedList(tyBool, 2)),
	)),
	listOf(tyString),
	listOf(tyChar),
	listOf(tyF32),
	tupleOf(tyF64, tyS8, tyU32),
	optionOf(resultOf(nil, tyU8)),
	resultOf(optionOf(tyU16), nil),
	optionOf(named("basic", recordOf(field("required", tyU8), field("optional", optionOf(tyU8))))),
}

func fuzzSeeds(f *testing.F, format func(Value, *wit.Type) (string, error)) {
	r := rand.New(rand.NewSource(3))
	for i, typ := range fuzzTypes {
		for range 4 {
			s, err := format(randValue(r, typ), typ)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i), s)
		}
	}
}

func FuzzParseWAVE(f *testing.F) {
	fuzzSeeds(f, FormatWAVE)
	// The value parts of the conformance inputs.
	files, _ := filepath.Glob(filepath.Join(shared.ConformanceDir(), "wasm-wave-ui", "*.waves"))
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		inputs, _ := splitInputs(string(src))
		for i, in := range inputs {
			if open := strings.IndexByte(in, '('); open >= 0 && strings.HasSuffix(in, ")") {
				f.Add(uint8(i), in[open+1:len(in)-1])
			}
		}
	}
	f.Add(uint8(0), "{a: [(1, -2, '\\u{301}')], b: some(none), c: err(%some([nan, -inf, 1e-300])), d: {none, read}, e: %nan, f: 5, g: [7], h: [true, false]}")
	f.Add(uint8(1), "[\"\"\"\n  x\n  \"\"\", \"\\u{10ffff}\"] // c")
	f.Fuzz(func(t *testing.T, which uint8, src string) {
		typ := fuzzTypes[int(which)%len(fuzzTypes)]
		v, err := ParseWAVE(src, typ)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if err := Check(v, typ); err != nil {
			t.Fatalf("ParseWAVE(%q) = %v, which does not check: %v", src, v, err)
		}
		out, err := FormatWAVE(v, typ)
		if err != nil {
			t.Fatalf("FormatWAVE(%v): %v", v, err)
		}
		again, err := ParseWAVE(out, typ)
		if err != nil {
			t.Fatalf("ParseWAVE(%q) (printed from %q): %v", out, src, err)
		}
		if !again.Equal(v) {
			t.Fatalf("%q parsed to %v, printed %q, parsed back to %v", src, v, out, again)
		}
		if out2, _ := FormatWAVE(again, typ); out2 != out {
			t.Fatalf("printing is not stable: %q then %q", out, out2)
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	fuzzSeeds(f, func(v Value, t *wit.Type) (string, error) {
		b, err := FormatJSON(v, t)
		return string(b), err
	})
	f.Add(uint8(0), `{"a":[[1,-2,"x"]],"b":{"some":null},"c":{"err":{"some":[1,"nan"]}},"d":["none"],"e":"nan","f":"5","g":[7],"h":[true,false]}`)
	f.Add(uint8(5), `{"ok":null}`)
	f.Fuzz(func(t *testing.T, which uint8, src string) {
		typ := fuzzTypes[int(which)%len(fuzzTypes)]
		v, err := ParseJSON([]byte(src), typ)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if err := Check(v, typ); err != nil {
			t.Fatalf("ParseJSON(%q) = %v, which does not check: %v", src, v, err)
		}
		out, err := FormatJSON(v, typ)
		if err != nil {
			t.Fatalf("FormatJSON(%v): %v", v, err)
		}
		again, err := ParseJSON(out, typ)
		if err != nil {
			t.Fatalf("ParseJSON(%s) (printed from %q): %v", out, src, err)
		}
		if !again.Equal(v) {
			t.Fatalf("%q parsed to %v, printed %s, parsed back to %v", src, v, out, again)
		}
		// The JSON and WAVE encodings carry the same values.
		w, err := FormatWAVE(v, typ)
		if err != nil {
			t.Fatalf("FormatWAVE(%v): %v", v, err)
		}
		if fromWAVE, err := ParseWAVE(w, typ); err != nil || !fromWAVE.Equal(v) {
			t.Fatalf("WAVE %q of %v: %v, %v", w, v, fromWAVE, err)
		}
	})
}
