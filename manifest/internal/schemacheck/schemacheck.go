package schemacheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/wfcompat/wfcompat/manifest/internal/jsonpos"
)

// Schema is a compiled schema.
type Schema struct {
	root *node
}

// node is one schema object.
type node struct {
	types    uint8 // allowed JSON types (tNull…), 0 for any
	enum     []any // allowed strings and numbers (json.Number), nil for any
	ref      *node // $ref target
	required []string
	props    map[string]*node // properties, nil when absent
	closed   bool             // additionalProperties: false
	items    *node
}

// JSON types, in the order the library lists a type rule's alternatives.
const (
	tNull uint8 = 1 << iota
	tBoolean
	tNumber
	tInteger
	tString
	tArray
	tObject
)

var typeNames = []struct {
	t    uint8
	name string
}{{tNull, "null"}, {tBoolean, "boolean"}, {tNumber, "number"}, {tInteger, "integer"}, {tString, "string"}, {tArray, "array"}, {tObject, "object"}}

// Compile compiles a schema document (JSON). It fails on anything outside
// the supported subset: an unknown keyword, a $ref that is not
// #/$defs/NAME or names no definition, additionalProperties other than
// false, an enum of anything but strings and numbers, an unknown type name.
func Compile(doc []byte) (*Schema, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	c := &compiler{defs: map[string]*node{}}
	if d, ok := top["$defs"]; ok {
		defs, ok := d.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("schema: $defs is not an object")
		}
		for name := range defs { // allocate first: definitions refer to each other
			c.defs[name] = &node{}
		}
		names := make([]string, 0, len(defs))
		for name := range defs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := c.fill(c.defs[name], defs[name], "/$defs/"+name, false); err != nil {
				return nil, err
			}
		}
	}
	root := &node{}
	if err := c.fill(root, top, "", true); err != nil {
		return nil, err
	}
	return &Schema{root: root}, nil
}

type compiler struct {
	defs map[string]*node
}

// fill compiles the schema object v (at JSON pointer at) into n.
func (c *compiler) fill(n *node, v any, at string, top bool) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("schema %s: not an object (boolean schemas are not supported)", at)
	}
	for k, val := range obj {
		var err error
		switch k {
		case "description", "title":
		case "$schema", "$id":
			if !top {
				err = fmt.Errorf("only at the top")
			}
		case "$defs":
			if !top {
				err = fmt.Errorf("only at the top")
			}
		case "type":
			n.types, err = compileType(val)
		case "enum":
			n.enum, err = enumList(val)
			if err == nil && n.enum == nil {
				n.enum = []any{}
			}
		case "required":
			n.required, err = stringList(val)
		case "$ref":
			s, _ := val.(string)
			name, ok := strings.CutPrefix(s, "#/$defs/")
			if n.ref = c.defs[name]; !ok || n.ref == nil {
				err = fmt.Errorf("%q: only #/$defs/NAME of a definition is supported", s)
			}
		case "additionalProperties":
			if b, ok := val.(bool); !ok || b {
				err = fmt.Errorf("only false is supported")
			}
			n.closed = true
		case "properties":
			props, ok := val.(map[string]any)
			if !ok {
				err = fmt.Errorf("not an object")
				break
			}
			n.props = make(map[string]*node, len(props))
			for name, p := range props {
				sub := &node{}
				if err := c.fill(sub, p, at+"/properties/"+jsonpos.Escape(name), false); err != nil {
					return err
				}
				n.props[name] = sub
			}
		case "items":
			n.items = &node{}
			err = c.fill(n.items, val, at+"/items", false)
			if err != nil {
				return err
			}
		default:
			err = fmt.Errorf("keyword not supported")
		}
		if err != nil {
			return fmt.Errorf("schema %s/%s: %w", at, jsonpos.Escape(k), err)
		}
	}
	return nil
}

func compileType(v any) (uint8, error) {
	var names []string
	switch v := v.(type) {
	case string:
		names = []string{v}
	case []any:
		var err error
		if names, err = stringList(v); err != nil {
			return 0, err
		}
	default:
		return 0, fmt.Errorf("want a type name or a list of them")
	}
	var t uint8
	for _, name := range names {
		found := false
		for _, tn := range typeNames {
			if tn.name == name {
				t |= tn.t
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown type %q", name)
		}
	}
	return t, nil
}

// stringList returns v, a JSON list of strings, as a slice.
// enumList reads an enum's values: strings and numbers.
func enumList(v any) ([]any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings and numbers")
	}
	for _, x := range list {
		switch x.(type) {
		case string, json.Number:
		default:
			return nil, fmt.Errorf("want a list of strings and numbers")
		}
	}
	return list, nil
}

// enumEqual reports whether v is the enum value e, as JSON Schema compares
// them: strings by their text, numbers by their value (32 is 32.0 and
// 3.2e1).
func enumEqual(e, v any) bool {
	switch e := e.(type) {
	case string:
		s, ok := v.(string)
		return ok && s == e
	case json.Number:
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		return canonNumber(string(e)) == canonNumber(string(n))
	}
	return false
}

// canonNumber writes JSON number text in one form per value, digits
// without leading or trailing zeros and a power of ten ("32", "32.0" and
// "3.2e1" are all "32e0"; every zero is "0"), in time linear in the text
// however large its exponent (a manifest is input: big.Rat would expand
// 1e1000000000).
func canonNumber(text string) string {
	sign := ""
	if strings.HasPrefix(text, "-") {
		sign, text = "-", text[1:]
	}
	mant, expText, _ := strings.Cut(strings.ToLower(text), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	exp := new(big.Int)
	if expText != "" {
		if _, ok := exp.SetString(strings.TrimPrefix(expText, "+"), 10); !ok {
			return "invalid:" + text
		}
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return "0"
	}
	trimmed := strings.TrimRight(digits, "0")
	exp.Add(exp, big.NewInt(int64(len(digits)-len(trimmed)-len(frac))))
	return sign + trimmed + "e" + exp.String()
}

func stringList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings")
	}
	var out []string
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("want a list of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// Validate validates v, a value as jsonpos.Decode produces it (objects as
// map[string]any, arrays as []any, numbers as json.Number), and returns
// the failure to report, or nil.
func (s *Schema) Validate(v any) *jsonpos.Error {
	var vd validator
	vd.value(s.root, v, nil)
	if vd.best == nil {
		return nil
	}
	return vd.best
}

type validator struct {
	best      *jsonpos.Error
	bestDepth int
}

// fail records a failure at the value whose location is loc: the deepest
// wins, then the first by JSON pointer, then the first reported.
func (vd *validator) fail(loc []string, msg string) {
	path := pointer(loc)
	d := len(loc)
	if vd.best == nil || d > vd.bestDepth || d == vd.bestDepth && path < vd.best.Path {
		vd.best, vd.bestDepth = &jsonpos.Error{Path: path, Msg: msg}, d
	}
}

func pointer(loc []string) string {
	var b strings.Builder
	for _, seg := range loc {
		b.WriteByte('/')
		b.WriteString(jsonpos.Escape(seg))
	}
	return b.String()
}

// value validates v at loc against n, in the library's order: type, then
// enum (each ends the check of this value when it fails), then $ref, then
// the object's or array's own rules.
func (vd *validator) value(n *node, v any, loc []string) {
	if n.types != 0 {
		t := typeOf(v)
		ok := n.types&t != 0 || n.types&tInteger != 0 && t == tNumber && isInteger(v)
		if !ok {
			var want []string
			for _, tn := range typeNames {
				if n.types&tn.t != 0 {
					want = append(want, tn.name)
				}
			}
			vd.fail(loc, fmt.Sprintf("want %s, got %s", strings.Join(want, " or "), typeName(t)))
			return
		}
	}
	if n.enum != nil {
		found := false
		for _, e := range n.enum {
			if enumEqual(e, v) {
				found = true
				break
			}
		}
		if !found {
			want := make([]string, len(n.enum))
			for i, e := range n.enum {
				want[i] = jsonText(e)
			}
			vd.fail(loc, fmt.Sprintf("%s is not one of %s", clip(jsonText(v)), strings.Join(want, ", ")))
			return
		}
	}
	if n.ref != nil {
		vd.value(n.ref, v, loc)
	}
	switch v := v.(type) {
	case map[string]any:
		for _, name := range n.required {
			if _, ok := v[name]; !ok {
				vd.fail(loc, fmt.Sprintf("missing required property %q", name))
				break
			}
		}
		var unknown []string
		for name, pv := range v {
			if p, ok := n.props[name]; ok {
				vd.value(p, pv, append(loc[:len(loc):len(loc)], name))
			} else if n.closed {
				unknown = append(unknown, name)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			vd.fail(loc, fmt.Sprintf("unknown property %q", unknown[0]))
		}
	case []any:
		if n.items != nil {
			for i, item := range v {
				vd.value(n.items, item, append(loc[:len(loc):len(loc)], fmt.Sprint(i)))
			}
		}
	}
}

func typeOf(v any) uint8 {
	switch v.(type) {
	case nil:
		return tNull
	case bool:
		return tBoolean
	case json.Number, float64:
		return tNumber
	case string:
		return tString
	case []any:
		return tArray
	case map[string]any:
		return tObject
	}
	return 0
}

func typeName(t uint8) string {
	for _, tn := range typeNames {
		if tn.t == t {
			return tn.name
		}
	}
	return "invalid"
}

// isInteger reports whether a number has an integral value (1, 1.0, 1e3),
// as the library decides it.
func isInteger(v any) bool {
	r, ok := new(big.Rat).SetString(fmt.Sprint(v))
	return ok && r.IsInt()
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// clip shortens a quoted value to 80 bytes.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
