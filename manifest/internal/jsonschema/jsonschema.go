// Package jsonschema validates JSON against the small subset of JSON Schema
// (draft 2020-12) that wfcompat's published schemas use: type (a name or a
// list of names), required, properties, additionalProperties (false or a
// schema), items, enum, and $ref to "#/$defs/NAME". Annotations ($schema,
// $id, title, description) are allowed; any other keyword is refused when
// the schema is compiled, so a schema cannot silently rely on more.
//
// It also decodes JSON into generic values while recording where each
// value starts, so that a validation error can name a byte offset.
package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Schema is a compiled schema.
type Schema struct {
	root node
	defs map[string]node
}

// node is one (sub)schema.
type node struct {
	types    []string
	required []string
	props    map[string]*node
	propKeys []string // sorted
	// addl: nil allows anything; closed refuses any property not listed.
	addl   *node
	closed bool
	items  *node
	enum   []any
	ref    string
	hasEnm bool
}

var annotations = map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "$comment": true}

// Compile reads a schema.
func Compile(b []byte) (*Schema, error) {
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("jsonschema: %w", err)
	}
	s := &Schema{defs: map[string]node{}}
	if d, ok := raw["$defs"]; ok {
		defs, ok := d.(map[string]any)
		if !ok {
			return nil, errors.New("jsonschema: $defs is not an object")
		}
		for name, v := range defs {
			n, err := compile(v, "#/$defs/"+name)
			if err != nil {
				return nil, err
			}
			s.defs[name] = *n
		}
		delete(raw, "$defs")
	}
	root, err := compile(raw, "#")
	if err != nil {
		return nil, err
	}
	s.root = *root
	// Every $ref must resolve.
	var check func(n *node) error
	seen := map[*node]bool{}
	check = func(n *node) error {
		if n == nil || seen[n] {
			return nil
		}
		seen[n] = true
		if n.ref != "" {
			if _, ok := s.defs[n.ref]; !ok {
				return fmt.Errorf("jsonschema: $ref to unknown definition %q", n.ref)
			}
		}
		for _, p := range n.props {
			if err := check(p); err != nil {
				return err
			}
		}
		if err := check(n.addl); err != nil {
			return err
		}
		return check(n.items)
	}
	if err := check(&s.root); err != nil {
		return nil, err
	}
	for name := range s.defs {
		d := s.defs[name]
		if err := check(&d); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func compile(v any, at string) (*node, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jsonschema: %s: schema is not an object", at)
	}
	n := &node{}
	for k, x := range m {
		switch k {
		case "type":
			switch t := x.(type) {
			case string:
				n.types = []string{t}
			case []any:
				for _, e := range t {
					s, ok := e.(string)
					if !ok {
						return nil, fmt.Errorf("jsonschema: %s: type list holds a non-string", at)
					}
					n.types = append(n.types, s)
				}
			default:
				return nil, fmt.Errorf("jsonschema: %s: bad type", at)
			}
			for _, t := range n.types {
				switch t {
				case "object", "array", "string", "integer", "number", "boolean", "null":
				default:
					return nil, fmt.Errorf("jsonschema: %s: unknown type %q", at, t)
				}
			}
		case "required":
			list, ok := x.([]any)
			if !ok {
				return nil, fmt.Errorf("jsonschema: %s: required is not an array", at)
			}
			for _, e := range list {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("jsonschema: %s: required holds a non-string", at)
				}
				n.required = append(n.required, s)
			}
		case "properties":
			props, ok := x.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("jsonschema: %s: properties is not an object", at)
			}
			n.props = map[string]*node{}
			for name, p := range props {
				c, err := compile(p, at+"/properties/"+name)
				if err != nil {
					return nil, err
				}
				n.props[name] = c
				n.propKeys = append(n.propKeys, name)
			}
			sort.Strings(n.propKeys)
		case "additionalProperties":
			switch a := x.(type) {
			case bool:
				n.closed = !a
			default:
				c, err := compile(a, at+"/additionalProperties")
				if err != nil {
					return nil, err
				}
				n.addl = c
			}
		case "items":
			c, err := compile(x, at+"/items")
			if err != nil {
				return nil, err
			}
			n.items = c
		case "enum":
			list, ok := x.([]any)
			if !ok {
				return nil, fmt.Errorf("jsonschema: %s: enum is not an array", at)
			}
			n.enum, n.hasEnm = list, true
		case "$ref":
			r, ok := x.(string)
			if !ok || !strings.HasPrefix(r, "#/$defs/") {
				return nil, fmt.Errorf("jsonschema: %s: only $ref \"#/$defs/NAME\" is supported", at)
			}
			n.ref = strings.TrimPrefix(r, "#/$defs/")
		default:
			if !annotations[k] {
				return nil, fmt.Errorf("jsonschema: %s: keyword %q is outside the supported subset", at, k)
			}
		}
	}
	for _, r := range n.required {
		if n.props != nil && n.props[r] == nil && n.closed {
			return nil, fmt.Errorf("jsonschema: %s: required property %q is not allowed by properties", at, r)
		}
	}
	return n, nil
}

// Error is a validation failure at a JSON pointer ("/world/exports/3/kind").
type Error struct {
	Path string
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Validate checks v (as Decode or encoding/json with UseNumber produce it)
// and returns the first failure, or nil.
func (s *Schema) Validate(v any) *Error {
	return s.validate(&s.root, v, "", 0)
}

const maxDepth = 2000

func (s *Schema) validate(n *node, v any, path string, depth int) *Error {
	if depth > maxDepth {
		return &Error{Path: path, Msg: "nested too deeply"}
	}
	if n.ref != "" {
		d := s.defs[n.ref]
		if err := s.validate(&d, v, path, depth+1); err != nil {
			return err
		}
	}
	if len(n.types) > 0 && !typeOK(n.types, v) {
		return &Error{Path: path, Msg: fmt.Sprintf("want %s, got %s", strings.Join(n.types, " or "), typeName(v))}
	}
	if n.hasEnm {
		found := false
		for _, e := range n.enum {
			if equal(e, v) {
				found = true
				break
			}
		}
		if !found {
			var opts []string
			for _, e := range n.enum {
				b, _ := json.Marshal(e)
				opts = append(opts, string(b))
			}
			got, _ := json.Marshal(v)
			return &Error{Path: path, Msg: fmt.Sprintf("%s is not one of %s", clip(string(got)), strings.Join(opts, ", "))}
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range n.required {
			if _, ok := x[r]; !ok {
				return &Error{Path: path, Msg: fmt.Sprintf("missing required property %q", r)}
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := path + "/" + escape(k)
			if c, ok := n.props[k]; ok {
				if err := s.validate(c, x[k], p, depth+1); err != nil {
					return err
				}
				continue
			}
			if n.closed {
				return &Error{Path: path, Msg: fmt.Sprintf("unknown property %q", k)}
			}
			if n.addl != nil {
				if err := s.validate(n.addl, x[k], p, depth+1); err != nil {
					return err
				}
			}
		}
	case []any:
		if n.items != nil {
			for i, e := range x {
				if err := s.validate(n.items, e, path+"/"+strconv.Itoa(i), depth+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func escape(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func typeOK(types []string, v any) bool {
	for _, t := range types {
		switch t {
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "null":
			if v == nil {
				return true
			}
		case "number":
			if _, ok := v.(json.Number); ok {
				return true
			}
		case "integer":
			if n, ok := v.(json.Number); ok && isInteger(string(n)) {
				return true
			}
		}
	}
	return false
}

// isInteger reports whether a JSON number has no fractional part (1.0 and
// 1e3 count, as JSON Schema says).
func isInteger(s string) bool {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Out of float range: an integer only if written as one.
		return !strings.ContainsAny(s, ".eE")
	}
	return f == float64(int64(f)) || !strings.ContainsAny(s, ".eE")
}

func typeName(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	case json.Number:
		if isInteger(string(x)) {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

func equal(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x == y
	case string, bool, nil:
		return a == b
	}
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return bytes.Equal(ab, bb)
}

// SyntaxError is malformed JSON at a byte offset.
type SyntaxError struct {
	Offset int64
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Decode decodes one JSON value from b into generic values (objects as
// map[string]any, numbers as json.Number) and returns, for every value,
// the byte offset where it starts, keyed by JSON pointer ("" for the top).
// Duplicate object keys are refused. Nothing but white space may follow
// the value.
func Decode(b []byte) (any, map[string]int64, error) {
	d := &decoder{b: b, dec: json.NewDecoder(bytes.NewReader(b)), offsets: map[string]int64{}}
	d.dec.UseNumber()
	v, err := d.value("", 0)
	if err != nil {
		return nil, nil, err
	}
	end := d.dec.InputOffset()
	if rest := bytes.TrimLeft(b[end:], " \t\r\n"); len(rest) > 0 {
		return nil, nil, &SyntaxError{Offset: int64(len(b) - len(rest)), Msg: "invalid JSON: data after the top-level value"}
	}
	return v, d.offsets, nil
}

type decoder struct {
	b       []byte
	dec     *json.Decoder
	offsets map[string]int64
}

// start returns the offset where the next token starts.
func (d *decoder) start() int64 {
	off := d.dec.InputOffset()
	for off < int64(len(d.b)) {
		switch d.b[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off
}

func (d *decoder) token() (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return nil, &SyntaxError{Offset: se.Offset, Msg: "invalid JSON: " + strings.TrimPrefix(se.Error(), "json: ")}
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return nil, &SyntaxError{Offset: int64(len(d.b)), Msg: "invalid JSON: unexpected end of input"}
		}
		return nil, &SyntaxError{Offset: d.dec.InputOffset(), Msg: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	return tok, nil
}

func (d *decoder) value(path string, depth int) (any, error) {
	if depth > maxDepth {
		return nil, &SyntaxError{Offset: d.start(), Msg: "JSON nested too deeply"}
	}
	d.offsets[path] = d.start()
	tok, err := d.token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for d.dec.More() {
				at := d.start()
				kt, err := d.token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				if _, dup := m[k]; dup {
					return nil, &SyntaxError{Offset: at, Msg: fmt.Sprintf("duplicate key %q", k)}
				}
				v, err := d.value(path+"/"+escape(k), depth+1)
				if err != nil {
					return nil, err
				}
				m[k] = v
			}
			if _, err := d.token(); err != nil {
				return nil, err
			}
			return m, nil
		case '[':
			a := []any{}
			for i := 0; d.dec.More(); i++ {
				v, err := d.value(path+"/"+strconv.Itoa(i), depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := d.token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, &SyntaxError{Offset: d.dec.InputOffset(), Msg: fmt.Sprintf("invalid JSON: unexpected %q", t)}
	}
	return tok, nil
}
