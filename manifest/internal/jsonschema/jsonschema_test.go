package jsonschema

import (
	"strings"
	"testing"
)

const testSchema = `{
  "title": "t",
  "type": "object",
  "required": ["a"],
  "additionalProperties": false,
  "properties": {
    "a": {"$ref": "#/$defs/thing"},
    "b": {"type": ["array", "null"], "items": {"enum": ["x", 1, true]}},
    "c": {"type": "object", "additionalProperties": {"type": "integer"}}
  },
  "$defs": {
    "thing": {"type": "object", "required": ["n"], "properties": {"n": {"type": "number"}, "next": {"$ref": "#/$defs/thing"}}}
  }
}`

func TestValidate(t *testing.T) {
	s, err := Compile([]byte(testSchema))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"a": {"n": 1}}`, ""},
		{`{"a": {"n": 1.5, "next": {"n": 2, "other": "ok"}}, "b": null, "c": {"k": 3}}`, ""},
		{`{"a": {"n": 1}, "b": ["x", 1, true]}`, ""},
		{`{}`, `missing required property "a"`},
		{`{"a": {"n": "1"}}`, `/a/n: want number, got string`},
		{`{"a": {"n": 1, "next": {}}}`, `/a/next: missing required property "n"`},
		{`{"a": {"n": 1}, "d": 1}`, `unknown property "d"`},
		{`{"a": {"n": 1}, "b": ["y"]}`, `/b/0: "y" is not one of "x", 1, true`},
		{`{"a": {"n": 1}, "b": {}}`, `/b: want array or null, got object`},
		{`{"a": {"n": 1}, "c": {"k/1": 1.5}}`, `/c/k~11: want integer, got number`},
		{`{"a": {"n": 1}, "c": {"k": 1e2}}`, ``},
		{`[]`, `want object, got array`},
	} {
		v, _, err := Decode([]byte(tc.in))
		if err != nil {
			t.Fatalf("Decode(%s): %v", tc.in, err)
		}
		got := ""
		if e := s.Validate(v); e != nil {
			got = e.Error()
		}
		if got != tc.want {
			t.Errorf("Validate(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCompileRefusesOtherKeywords(t *testing.T) {
	for _, bad := range []string{
		`{"type": "string", "pattern": "x"}`,
		`{"oneOf": []}`,
		`{"$ref": "#/$defs/missing"}`,
		`{"$ref": "other.json"}`,
		`{"type": "text"}`,
		`{"properties": {"a": 1}}`,
	} {
		if _, err := Compile([]byte(bad)); err == nil {
			t.Errorf("Compile(%s) accepted", bad)
		}
	}
}

func TestDecodeOffsets(t *testing.T) {
	in := "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": null\n}"
	_, offs, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"": "{", "/a": "[1", "/a/0": "1,", "/a/1": `{"b"`, "/a/1/b": `"x"`, "/c": "null"} {
		off, ok := offs[path]
		if !ok || !strings.HasPrefix(in[off:], want) {
			t.Errorf("offset of %q = %d (%q), want the start of %q", path, off, in[min(int(off), len(in)):], want)
		}
	}
	for _, tc := range []struct {
		in   string
		off  int64
		part string
	}{
		{`{"a": 1, "a": 2}`, 9, "duplicate key"},
		{`{"a": 1} 2`, 9, "data after"},
		{`{"a": `, 6, "unexpected end"},
	} {
		_, _, err := Decode([]byte(tc.in))
		se, ok := err.(*SyntaxError)
		if !ok || se.Offset != tc.off || !strings.Contains(se.Msg, tc.part) {
			t.Errorf("Decode(%s) = %v (%+v), want %q at %d", tc.in, err, se, tc.part, tc.off)
		}
	}
}
