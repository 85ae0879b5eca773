package value

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/internal/quote"
	"github.com/wfcompat/wfcompat/wit"
)

// ParseJSON parses the JSON encoding of a value of type t (see the package
// documentation and JSON.md for the mapping). Nothing but whitespace may
// follow the value.
func ParseJSON(data []byte, t *wit.Type) (Value, error) {
	p := &jsonParser{src: string(data)}
	tok, err := p.next()
	if err != nil {
		return Value{}, err
	}
	v, err := p.value(t, tok)
	if err != nil {
		return Value{}, err
	}
	return v, p.end()
}

// ParseJSONArgs parses function arguments given as a JSON array (one element
// per parameter, in order) or a JSON object (keyed by parameter name). In both
// forms arguments of option type may be left out (none); unknown names and
// extra elements are errors.
func ParseJSONArgs(data []byte, params []wit.Param) ([]Value, error) {
	p := &jsonParser{src: string(data)}
	tok, err := p.next()
	if err != nil {
		return nil, err
	}
	args := make([]Value, len(params))
	switch tok.kind {
	case jArrOpen:
		err = p.elements(func(i int, tok jtok) error {
			if i >= len(params) {
				return jsonErr(tok.off, "more arguments than the %d parameters", len(params))
			}
			var err error
			args[i], err = p.value(params[i].Type, tok)
			return atPath(err, "("+params[i].Name+")")
		})
	case jObjOpen:
		err = p.members(func(key jtok) error {
			i := -1
			for j, prm := range params {
				if prm.Name == key.text {
					i = j
				}
			}
			if i < 0 {
				return jsonErr(key.off, "unknown parameter %q", key.text)
			}
			if args[i].k != kInvalid {
				return jsonErr(key.off, "duplicate parameter %q", key.text)
			}
			tok, err := p.next()
			if err == nil {
				args[i], err = p.value(params[i].Type, tok)
			}
			return atPath(err, "("+key.text+")")
		})
	default:
		return nil, jsonErr(tok.off, "arguments must be a JSON array or object, found %s", tok.describe())
	}
	if err != nil {
		return nil, err
	}
	for i, prm := range params {
		if args[i].k == kInvalid {
			if prm.Type == nil || prm.Type.Kind != wit.Option {
				return nil, jsonErr(tok.off, "missing argument %q", prm.Name)
			}
			args[i] = None()
		}
	}
	return args, p.end()
}

func jsonErr(off int, format string, args ...any) *Error {
	return &Error{Format: "json", Offset: off, Msg: fmt.Sprintf(format, quote.Args(args)...)}
}

// atPath prefixes the path of a JSON error with seg, as the error travels up
// out of the value at seg (paths are built only for errors).
func atPath(err error, seg string) error {
	if e, ok := err.(*Error); ok {
		e.Path = seg + e.Path
	}
	return err
}

type jkind uint8

const (
	jEOF jkind = iota
	jObjOpen
	jObjClose
	jArrOpen
	jArrClose
	jColon
	jComma
	jString // text: the decoded string
	jNumber // text: the literal
	jTrue
	jFalse
	jNull
)

type jtok struct {
	kind jkind
	off  int
	text string
}

// literal renders a number or string token for a message.
func (t jtok) literal() string {
	if t.kind == jString {
		return strconv.Quote(t.text)
	}
	return t.text
}

func (t jtok) describe() string {
	switch t.kind {
	case jEOF:
		return "end of input"
	case jObjOpen:
		return "object"
	case jArrOpen:
		return "array"
	case jString:
		return "string " + strconv.Quote(t.text)
	case jNumber:
		return "number " + t.text
	case jTrue:
		return "true"
	case jFalse:
		return "false"
	case jNull:
		return "null"
	case jObjClose:
		return `"}"`
	case jArrClose:
		return `"]"`
	case jColon:
		return `":"`
	}
	return `","`
}

// jsonParser is a small JSON tokenizer (RFC 8259, strings must be valid
// UTF-8) driven by the expected type.
type jsonParser struct {
	src string // the input, converted once: tokens are substrings of it
	pos int
}

// next returns the next token.
func (p *jsonParser) next() (jtok, error) {
	s := p.src
	for p.pos < len(s) && (s[p.pos] == ' ' || s[p.pos] == '\t' || s[p.pos] == '\n' || s[p.pos] == '\r') {
		p.pos++
	}
	start := p.pos
	if start >= len(s) {
		return jtok{kind: jEOF, off: start}, nil
	}
	punct := func(k jkind) (jtok, error) {
		p.pos++
		return jtok{kind: k, off: start}, nil
	}
	literal := func(word string, k jkind) (jtok, error) {
		if len(s)-start >= len(word) && s[start:start+len(word)] == word {
			p.pos += len(word)
			return jtok{kind: k, off: start}, nil
		}
		return jtok{}, jsonErr(start, "invalid character %q", s[start])
	}
	switch c := s[start]; {
	case c == '{':
		return punct(jObjOpen)
	case c == '}':
		return punct(jObjClose)
	case c == '[':
		return punct(jArrOpen)
	case c == ']':
		return punct(jArrClose)
	case c == ':':
		return punct(jColon)
	case c == ',':
		return punct(jComma)
	case c == 't':
		return literal("true", jTrue)
	case c == 'f':
		return literal("false", jFalse)
	case c == 'n':
		return literal("null", jNull)
	case c == '"':
		return p.string()
	case c == '-' || isDigit(c):
		return p.number()
	default:
		r, _ := utf8.DecodeRuneInString(s[start:])
		return jtok{}, jsonErr(start, "invalid character %q", r)
	}
}

func (p *jsonParser) number() (jtok, error) {
	s, start := p.src, p.pos
	i := start
	digits := func() bool {
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		return i > j
	}
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return jtok{}, jsonErr(start, "invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return jtok{}, jsonErr(start, "invalid number")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return jtok{}, jsonErr(start, "invalid number")
		}
	}
	p.pos = i
	return jtok{kind: jNumber, off: start, text: s[start:i]}, nil
}

func (p *jsonParser) string() (jtok, error) {
	s, start := p.src, p.pos
	i := start + 1
	var b []byte
	seg := i
	for {
		if i >= len(s) {
			return jtok{}, jsonErr(start, "unterminated string")
		}
		c := s[i]
		switch {
		case c == '"':
			var text string
			if b == nil {
				text = s[seg:i]
			} else {
				text = string(append(b, s[seg:i]...))
			}
			p.pos = i + 1
			return jtok{kind: jString, off: start, text: text}, nil
		case c < 0x20:
			return jtok{}, jsonErr(i, "control character in string")
		case c == '\\':
			b = append(b, s[seg:i]...)
			if i+1 >= len(s) {
				return jtok{}, jsonErr(i, "invalid escape")
			}
			esc := s[i+1]
			i += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(s, i)
				if !ok {
					return jtok{}, jsonErr(i-2, "invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(0), false
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2, ok = hex4(s, i+2)
					}
					if r = utf16.DecodeRune(r, r2); !ok || r == utf8.RuneError {
						return jtok{}, jsonErr(i-6, "unpaired surrogate in \\u escape")
					}
					i += 6
				}
				b = utf8.AppendRune(b, r)
			default:
				return jtok{}, jsonErr(i-2, "invalid escape")
			}
			seg = i
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return jtok{}, jsonErr(i, "invalid UTF-8")
			}
			i += size
		}
	}
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for j := i; j < i+4; j++ {
		d := hexDigit(s[j])
		if d < 0 {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func (p *jsonParser) end() error {
	tok, err := p.next()
	if err != nil {
		return err
	}
	if tok.kind != jEOF {
		return jsonErr(tok.off, "unexpected %s after the value", tok.describe())
	}
	return nil
}

// elements walks the elements of an array whose '[' was read, calling fn
// with each element's first token.
func (p *jsonParser) elements(fn func(i int, tok jtok) error) error {
	for i := 0; ; i++ {
		tok, err := p.next()
		if err != nil {
			return err
		}
		if i == 0 && tok.kind == jArrClose {
			return nil
		}
		if err := fn(i, tok); err != nil {
			return err
		}
		if tok, err = p.next(); err != nil {
			return err
		}
		switch tok.kind {
		case jArrClose:
			return nil
		case jComma:
		default:
			return jsonErr(tok.off, `expected "," or "]", found %s`, tok.describe())
		}
	}
}

// members walks the members of an object whose '{' was read, calling fn
// with each key; fn parses the value (the ':' is consumed).
func (p *jsonParser) members(fn func(key jtok) error) error {
	for i := 0; ; i++ {
		key, err := p.next()
		if err != nil {
			return err
		}
		if i == 0 && key.kind == jObjClose {
			return nil
		}
		if key.kind != jString {
			return jsonErr(key.off, "expected object key, found %s", key.describe())
		}
		colon, err := p.next()
		if err != nil {
			return err
		}
		if colon.kind != jColon {
			return jsonErr(colon.off, `expected ":", found %s`, colon.describe())
		}
		if err := fn(key); err != nil {
			return err
		}
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch tok.kind {
		case jObjClose:
			return nil
		case jComma:
		default:
			return jsonErr(tok.off, `expected "," or "}", found %s`, tok.describe())
		}
	}
}

// value parses a value of type t whose first token tok was read.
func (p *jsonParser) value(t *wit.Type, tok jtok) (Value, error) {
	if t == nil {
		return Value{}, jsonErr(tok.off, "no type for value")
	}
	switch k := kindOf(t.Kind); k {
	case kBool:
		return p.boolValue(t, tok)
	case kS8, kS16, kS32, kS64, kU8, kU16, kU32, kU64:
		return p.intValue(t, tok, k)
	case kF32, kF64:
		return p.floatValue(t, tok, k)
	case kChar:
		return p.charValue(t, tok)
	case kString:
		return p.stringValue(t, tok)
	case kList:
		return p.listValue(t, tok, k)
	case kTuple:
		return p.tupleValue(t, tok, k)
	case kRecord:
		return p.recordValue(t, tok, k)
	case kEnum:
		return p.enumValue(t, tok)
	case kFlags:
		return p.flagsValue(t, tok)
	case kOption:
		return p.optionValue(t, tok, k)
	case kResult:
		return p.resultValue(t, tok, k)
	case kVariant:
		return p.variantValue(t, tok, k)
	case kOwn, kBorrow, kFuture, kStream, kErrorContext:
		return p.handleValue(t, tok, k)
	}
	return Value{}, jsonErr(tok.off, "type %s has no values", typeString(t))
}

// badToken reports tok where a value of the form want was expected.
func badToken(tok jtok, want string) (Value, error) {
	return Value{}, jsonErr(tok.off, "expected %s, found %s", want, tok.describe())
}

func (p *jsonParser) boolValue(t *wit.Type, tok jtok) (Value, error) {
	switch tok.kind {
	case jTrue:
		return Bool(true), nil
	case jFalse:
		return Bool(false), nil
	}
	return badToken(tok, "true or false")
}

func (p *jsonParser) intValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	if tok.kind != jNumber && tok.kind != jString {
		return badToken(tok, string(t.Kind)+" number")
	}
	if k.isSigned() {
		x, err := strconv.ParseInt(tok.text, 10, k.intBits())
		if err != nil {
			return Value{}, jsonErr(tok.off, "invalid %s %s", t.Kind, tok.literal())
		}
		return Value{k: k, bits: uint64(x)}, nil
	}
	x, err := strconv.ParseUint(tok.text, 10, k.intBits())
	if err != nil {
		return Value{}, jsonErr(tok.off, "invalid %s %s", t.Kind, tok.literal())
	}
	return Value{k: k, bits: x}, nil
}

func (p *jsonParser) floatValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	var f float64
	switch {
	case tok.kind == jNumber:
		var err error
		f, err = strconv.ParseFloat(tok.text, k.floatBits())
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return Value{}, jsonErr(tok.off, "invalid %s %s", t.Kind, tok.text)
		}
	case tok.kind == jString && tok.text == "nan":
		f = math.NaN()
	case tok.kind == jString && tok.text == "inf":
		f = math.Inf(1)
	case tok.kind == jString && tok.text == "-inf":
		f = math.Inf(-1)
	default:
		return badToken(tok, `number, "nan", "inf" or "-inf"`)
	}
	if k == kF32 {
		return F32(float32(f)), nil
	}
	return F64(f), nil
}

func (p *jsonParser) charValue(t *wit.Type, tok jtok) (Value, error) {
	if tok.kind != jString {
		return badToken(tok, "one-character string")
	}
	r, n := utf8.DecodeRuneInString(tok.text)
	if n == 0 || n != len(tok.text) {
		return Value{}, jsonErr(tok.off, "char must be a string of exactly one character, found %q", tok.text)
	}
	return Char(r), nil
}

func (p *jsonParser) stringValue(t *wit.Type, tok jtok) (Value, error) {
	if tok.kind != jString {
		return badToken(tok, "string")
	}
	return String(tok.text), nil
}

func (p *jsonParser) listValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	if tok.kind != jArrOpen {
		return badToken(tok, "array")
	}
	var elems []Value
	if t.Len > 0 {
		elems = make([]Value, 0, t.Len)
	}
	err := p.elements(func(_ int, tok jtok) error {
		v, err := p.value(t.Elem, tok)
		elems = append(elems, v)
		return atPath(err, ".elem")
	})
	if err != nil {
		return Value{}, err
	}
	if t.Len > 0 && len(elems) != int(t.Len) {
		return Value{}, jsonErr(tok.off, "%d elements for %s", len(elems), typeString(t))
	}
	return Value{k: kList, elems: elems}, nil
}

func (p *jsonParser) tupleValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	if tok.kind != jArrOpen {
		return badToken(tok, "array")
	}
	elems := make([]Value, 0, len(t.Elems))
	err := p.elements(func(i int, etok jtok) error {
		if i >= len(t.Elems) {
			return jsonErr(etok.off, "too many members for %s", typeString(t))
		}
		v, err := p.value(t.Elems[i], etok)
		elems = append(elems, v)
		if err != nil {
			return atPath(err, ".elems["+strconv.Itoa(i)+"]")
		}
		return nil
	})
	if err != nil {
		return Value{}, err
	}
	if len(elems) != len(t.Elems) {
		return Value{}, jsonErr(tok.off, "%d members for %s", len(elems), typeString(t))
	}
	return Value{k: kTuple, elems: elems}, nil
}

func (p *jsonParser) recordValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	if tok.kind != jObjOpen {
		return badToken(tok, "object")
	}
	fields := make([]Value, len(t.Fields))
	err := p.members(func(key jtok) error {
		i := fieldIndex(t, key.text)
		if i < 0 {
			return jsonErr(key.off, "unknown field %q of %s", key.text, typeString(t))
		}
		if fields[i].k != kInvalid {
			return jsonErr(key.off, "duplicate field %q", key.text)
		}
		vt, err := p.next()
		if err == nil {
			fields[i], err = p.value(t.Fields[i].Type, vt)
		}
		if err != nil {
			return atPath(err, ".field("+key.text+")")
		}
		return nil
	})
	if err != nil {
		return Value{}, err
	}
	for i, f := range t.Fields {
		if fields[i].k == kInvalid {
			if f.Type == nil || f.Type.Kind != wit.Option {
				return Value{}, jsonErr(tok.off, "missing field %q", f.Name)
			}
			fields[i] = None()
		}
	}
	return Value{k: kRecord, elems: fields}, nil
}

func (p *jsonParser) enumValue(t *wit.Type, tok jtok) (Value, error) {
	if tok.kind != jString {
		return badToken(tok, "enum case name")
	}
	if i := labelIndex(t.Labels, tok.text); i >= 0 {
		return Enum(i), nil
	}
	return Value{}, jsonErr(tok.off, "unknown case %q of %s", tok.text, typeString(t))
}

func (p *jsonParser) flagsValue(t *wit.Type, tok jtok) (Value, error) {
	if len(t.Labels) > MaxFlags {
		return Value{}, jsonErr(tok.off, "more than %d flags", MaxFlags)
	}
	if tok.kind != jArrOpen {
		return badToken(tok, "array of flag names")
	}
	var set uint64
	err := p.elements(func(_ int, ftok jtok) error {
		if ftok.kind != jString {
			return jsonErr(ftok.off, "expected flag name, found %s", ftok.describe())
		}
		i := labelIndex(t.Labels, ftok.text)
		if i < 0 {
			return jsonErr(ftok.off, "unknown flag %q of %s", ftok.text, typeString(t))
		}
		if set&(1<<i) != 0 {
			return jsonErr(ftok.off, "duplicate flag %q", ftok.text)
		}
		set |= 1 << i
		return nil
	})
	if err != nil {
		return Value{}, err
	}
	return Flags(set), nil
}

func (p *jsonParser) optionValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	if tok.kind == jNull {
		return None(), nil
	}
	if t.Elem == nil || t.Elem.Kind != wit.Option {
		v, err := p.value(t.Elem, tok)
		if err != nil {
			return Value{}, atPath(err, ".elem")
		}
		return Some(v), nil
	}
	// Nested option: some(x) is {"some": x}, so that null stays none.
	_, payload, err := p.tagged(tok, func(name string) (*wit.Type, bool) {
		return t.Elem, name == "some"
	}, func(string) string { return ".elem" }, `null or {"some": ...}`)
	if err != nil {
		return Value{}, err
	}
	return Value{k: kOption, bits: 1, elems: payload}, nil
}

func (p *jsonParser) resultValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	c, payload, err := p.tagged(tok, func(name string) (*wit.Type, bool) {
		switch name {
		case "ok":
			return t.Ok, true
		case "err":
			return t.Err, true
		}
		return nil, false
	}, func(name string) string { return "." + name }, `{"ok": ...} or {"err": ...}`)
	if err != nil {
		return Value{}, err
	}
	disc := uint64(0)
	if c == "err" {
		disc = 1
	}
	return Value{k: kResult, bits: disc, elems: payload}, nil
}

func (p *jsonParser) variantValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	c, payload, err := p.tagged(tok, func(name string) (*wit.Type, bool) {
		if i := caseIndex(t, name); i >= 0 {
			return t.Cases[i].Type, true
		}
		return nil, false
	}, func(name string) string { return ".case(" + name + ")" }, `case name or {"case": payload}`)
	if err != nil {
		return Value{}, err
	}
	return Value{k: kVariant, bits: uint64(caseIndex(t, c)), elems: payload}, nil
}

func (p *jsonParser) handleValue(t *wit.Type, tok jtok, k kind) (Value, error) {
	if tok.kind != jNumber {
		return badToken(tok, string(t.Kind)+" handle number")
	}
	h, err := strconv.ParseUint(tok.text, 10, 32)
	if err != nil {
		return Value{}, jsonErr(tok.off, "invalid handle %s", tok.text)
	}
	return Value{k: k, bits: h}, nil
}

// tagged parses a case: "name" (no payload) or {"name": payload}, where a
// payload-less case may also be written {"name": null}. lookup returns the
// case's payload type and whether the case exists; casePath the path segment of the
// payload.
func (p *jsonParser) tagged(tok jtok, lookup func(string) (*wit.Type, bool), casePath func(string) string, want string) (string, []Value, error) {
	if tok.kind == jString {
		pt, ok := lookup(tok.text)
		if !ok {
			return "", nil, jsonErr(tok.off, "unknown case %q", tok.text)
		}
		if pt != nil {
			return "", nil, jsonErr(tok.off, "missing payload for case %q", tok.text)
		}
		return tok.text, nil, nil
	}
	if tok.kind != jObjOpen {
		return "", nil, jsonErr(tok.off, "expected %s, found %s", want, tok.describe())
	}
	var name string
	var payload []Value
	err := p.members(func(key jtok) error {
		if name != "" {
			return jsonErr(key.off, "a case object has exactly one key")
		}
		name = key.text
		pt, ok := lookup(name)
		if !ok {
			return jsonErr(key.off, "unknown case %q", name)
		}
		vt, err := p.next()
		switch {
		case err != nil:
		case pt == nil && vt.kind != jNull:
			err = jsonErr(vt.off, "unexpected payload for case %q", name)
		case pt != nil:
			var v Value
			v, err = p.value(pt, vt)
			payload = []Value{v}
		}
		if err != nil {
			return atPath(err, casePath(name))
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	if name == "" {
		return "", nil, jsonErr(tok.off, "expected %s, found {}", want)
	}
	return name, payload, nil
}
