// Package jsonpos decodes JSON into generic values while recording where
// each value starts, so that an error about a value (a JSON Schema
// violation found by github.com/santhosh-tekuri/jsonschema, or a check of
// the manifest package's own) can name a byte offset.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

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

// maxDepth bounds nesting.
const maxDepth = 2000

// Escape escapes a key for a JSON pointer.
func Escape(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
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
				v, err := d.value(path+"/"+Escape(k), depth+1)
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
