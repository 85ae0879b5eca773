package jsontext

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestInvalidUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", -1},
		{`{"a":"é"}`, -1},
		{"\xff", 0},
		{`{"a":"` + "\xc3" + `"}`, 6},
		{"ok\xed\xa0\x80", 2}, // a surrogate is not UTF-8
		{"é\xe2\x82", 2},      // truncated at the end
	} {
		if got := InvalidUTF8([]byte(tc.in)); got != tc.want {
			t.Errorf("InvalidUTF8(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestValueStart: the offsets encoding/json reports for values of the
// wrong type lead back to where each value starts.
func TestValueStart(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want int64 // where the value of "v" starts
	}{
		{`{"v": 12.5e3}`, 6},
		{`{"v": "a\"b"}`, 6},
		{`{"v": true}`, 6},
		{`{"v": [1, 2]}`, 6},
		{`{"v": {"x": 1}}`, 6},
		{`{"v": null, "w": 1}`, -1}, // null decodes into anything
	} {
		var v struct{ V uint8 }
		if tc.want < 0 {
			if err := json.Unmarshal([]byte(tc.doc), &v); err != nil {
				t.Errorf("%s: %v", tc.doc, err)
			}
			continue
		}
		err := json.Unmarshal([]byte(tc.doc), &v)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			t.Fatalf("%s: %v, want a type error", tc.doc, err)
		}
		if got := ValueStart([]byte(tc.doc), te.Offset, te.Value); got != tc.want {
			t.Errorf("%s: ValueStart(%d, %q) = %d, want %d", tc.doc, te.Offset, te.Value, got, tc.want)
		}
	}
	// Offsets out of range are clamped.
	if got := ValueStart([]byte(`1`), 99, "number"); got != 0 {
		t.Errorf("clamped: %d", got)
	}
	if got := ValueStart(nil, -3, "object"); got != 0 {
		t.Errorf("empty: %d", got)
	}
}

func TestKeyOffset(t *testing.T) {
	for _, tc := range []struct {
		doc, key string
		want     int
	}{
		{`{"a": 1, "b": 2}`, "b", 9},
		{`{"x": "b", "b" : 2}`, "b", 11}, // "b" as a value is no key
		{"{\"a\":\n  \"b\"\n  :1}", "b", 8},
		{`{"a": 1}`, "b", -1},
		{`{"q\"": 1}`, `q"`, 1},
	} {
		if got := KeyOffset([]byte(tc.doc), tc.key); got != tc.want {
			t.Errorf("KeyOffset(%q, %q) = %d, want %d", tc.doc, tc.key, got, tc.want)
		}
	}
}

func TestFirstValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{` {"a": 1} x`, `{"a": 1}`},
		{"[1, 2]\n\f", `[1, 2]`},
		{`7`, `7`},
		{`{"a": `, ``},
		{``, ``},
		{"\x00asm", ``},
	} {
		if got := string(FirstValue([]byte(tc.in))); got != tc.want {
			t.Errorf("FirstValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
