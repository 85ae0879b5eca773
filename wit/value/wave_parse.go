package value

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/wit"
)

// ParseWAVE parses the WAVE encoding of a value of type t. Whitespace and
// // comments may surround the value; nothing else may follow it.
func ParseWAVE(src string, t *wit.Type) (Value, error) {
	p, err := newParser(src)
	if err != nil {
		return Value{}, err
	}
	v, err := p.value(t)
	if err != nil {
		return Value{}, err
	}
	if err := p.expect(tEOF, "end of input"); err != nil {
		return Value{}, err
	}
	return v, nil
}

type parser struct {
	lx  lexer
	tok token // the next unconsumed token
}

func newParser(src string) (*parser, error) {
	p := &parser{lx: lexer{src: src}}
	return p, p.advance()
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// unexpected reports the current token where want was expected.
func (p *parser) unexpected(want string) error {
	return waveErr(p.tok.start, "expected %s, found %s", want, p.tok.describe(p.lx.src))
}

// expect consumes a token of kind k.
func (p *parser) expect(k tokKind, want string) error {
	if p.tok.kind != k {
		return p.unexpected(want)
	}
	if k == tEOF {
		return nil
	}
	return p.advance()
}

// value parses a value of type t starting at the current token. Each
// kind of type has its own method below.
func (p *parser) value(t *wit.Type) (Value, error) {
	if t == nil {
		return Value{}, waveErr(p.tok.start, "no type for value")
	}
	switch k := kindOf(t.Kind); k {
	case kBool:
		return p.bool()
	case kS8, kS16, kS32, kS64, kU8, kU16, kU32, kU64:
		return p.integer(t, k)
	case kF32, kF64:
		return p.float(t, k)
	case kChar:
		return p.char()
	case kString:
		return p.string()
	case kList:
		return p.list(t)
	case kTuple:
		return p.tuple(t)
	case kRecord:
		return p.record(t)
	case kFlags:
		return p.flags(t)
	case kEnum:
		return p.enum(t)
	case kVariant:
		return p.variant(t)
	case kOption:
		return p.option(t)
	case kResult:
		return p.result(t)
	case kOwn, kBorrow, kFuture, kStream, kErrorContext:
		return p.handle(t, k)
	}
	return Value{}, waveErr(p.tok.start, "type %s has no values", typeString(t))
}

func (p *parser) bool() (Value, error) {
	tok := p.tok
	if tok.keyword("true") || tok.keyword("false") {
		return Bool(tok.text == "true"), p.advance()
	}
	return Value{}, p.unexpected("bool")
}

func (p *parser) integer(t *wit.Type, k kind) (Value, error) {
	tok := p.tok
	if tok.kind != tNumber {
		return Value{}, p.unexpected(string(t.Kind))
	}
	var v Value
	if k.isSigned() {
		x, err := strconv.ParseInt(tok.text, 10, k.intBits())
		if err != nil {
			return Value{}, waveErr(tok.start, "invalid %s %s", t.Kind, tok.text)
		}
		v = Value{k: k, bits: uint64(x)}
	} else {
		x, err := strconv.ParseUint(tok.text, 10, k.intBits())
		if err != nil {
			return Value{}, waveErr(tok.start, "invalid %s %s", t.Kind, tok.text)
		}
		v = Value{k: k, bits: x}
	}
	return v, p.advance()
}

func (p *parser) float(t *wit.Type, k kind) (Value, error) {
	tok := p.tok
	var f float64
	switch {
	case tok.keyword("nan"):
		f = math.NaN()
	case tok.keyword("inf"):
		f = math.Inf(1)
	case tok.kind == tNumber && tok.text == "-inf":
		f = math.Inf(-1)
	case tok.kind == tNumber:
		var err error
		f, err = strconv.ParseFloat(tok.text, k.floatBits())
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return Value{}, waveErr(tok.start, "invalid %s %s", t.Kind, tok.text)
		}
	default:
		return Value{}, p.unexpected(string(t.Kind))
	}
	if k == kF32 {
		return F32(float32(f)), p.advance()
	}
	return F64(f), p.advance()
}

func (p *parser) char() (Value, error) {
	if p.tok.kind != tChar {
		return Value{}, p.unexpected("char")
	}
	r, _ := utf8.DecodeRuneInString(p.tok.text)
	return Char(r), p.advance()
}

func (p *parser) string() (Value, error) {
	if p.tok.kind != tString {
		return Value{}, p.unexpected("string")
	}
	return String(p.tok.text), p.advance()
}

func (p *parser) enum(t *wit.Type) (Value, error) {
	tok := p.tok
	if tok.kind != tLabel || (!tok.escaped && isKeyword(tok.text)) {
		return Value{}, p.unexpected("enum case of " + typeString(t))
	}
	if i := t.LabelIndex(tok.text); i >= 0 {
		return Enum(i), p.advance()
	}
	return Value{}, waveErr(tok.start, "unknown case %q of %s", tok.text, typeString(t))
}

func (p *parser) variant(t *wit.Type) (Value, error) {
	tok := p.tok
	if tok.kind != tLabel || (!tok.escaped && isKeyword(tok.text)) {
		return Value{}, p.unexpected("variant case of " + typeString(t))
	}
	i := t.CaseIndex(tok.text)
	if i < 0 {
		return Value{}, waveErr(tok.start, "unknown case %q of %s", tok.text, typeString(t))
	}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	payload, err := p.payload(t.Cases[i].Type, tok)
	if err != nil {
		return Value{}, err
	}
	return Value{k: kVariant, bits: uint64(i), elems: payload}, nil
}

func (p *parser) option(t *wit.Type) (Value, error) {
	tok := p.tok
	switch {
	case tok.keyword("none"):
		return None(), p.advance()
	case tok.keyword("some"):
		if err := p.advance(); err != nil {
			return Value{}, err
		}
		payload, err := p.payload(t.Elem, tok)
		if err != nil {
			return Value{}, err
		}
		return Value{k: kOption, bits: 1, elems: payload}, nil
	case flattenable(t.Elem):
		v, err := p.value(t.Elem)
		if err != nil {
			return Value{}, err
		}
		return Some(v), nil
	}
	return Value{}, p.unexpected("some(...) or none")
}

func (p *parser) result(t *wit.Type) (Value, error) {
	tok := p.tok
	var disc uint64
	var pt *wit.Type
	switch {
	case tok.keyword("ok"):
		pt = t.Ok
	case tok.keyword("err"):
		disc, pt = 1, t.Err
	case t.Ok != nil && flattenable(t.Ok):
		v, err := p.value(t.Ok)
		if err != nil {
			return Value{}, err
		}
		return Ok(v), nil
	default:
		return Value{}, p.unexpected("ok or err")
	}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	payload, err := p.payload(pt, tok)
	if err != nil {
		return Value{}, err
	}
	return Value{k: kResult, bits: disc, elems: payload}, nil
}

// handle parses a resource handle, future, stream or error-context: a
// wfcompat extension writes it as its u32 number.
func (p *parser) handle(t *wit.Type, k kind) (Value, error) {
	tok := p.tok
	if tok.kind != tNumber {
		return Value{}, p.unexpected(string(t.Kind) + " handle number")
	}
	h, err := strconv.ParseUint(tok.text, 10, 32)
	if err != nil {
		return Value{}, waveErr(tok.start, "invalid handle %s", tok.text)
	}
	return Value{k: k, bits: h}, p.advance()
}

func (k kind) floatBits() int {
	if k == kF32 {
		return 32
	}
	return 64
}

// flattenable reports whether some(x) may be written x (and ok(x) x): only
// when x cannot be mistaken for an option or result itself.
func flattenable(t *wit.Type) bool {
	return t != nil && t.Kind != wit.Option && t.Kind != wit.Result
}

// payload parses the optional `(value)` after a case label; t is the case's
// payload type (nil for none); label is the case token for messages.
func (p *parser) payload(t *wit.Type, label token) ([]Value, error) {
	has := p.tok.kind == tParenOpen
	switch {
	case t == nil && has:
		return nil, waveErr(label.start, "unexpected payload for case %q", label.text)
	case t != nil && !has:
		return nil, waveErr(label.start, "missing payload for case %q", label.text)
	case t == nil:
		return nil, nil
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	v, err := p.value(t)
	if err != nil {
		return nil, err
	}
	if err := p.expect(tParenClose, `")"`); err != nil {
		return nil, err
	}
	return []Value{v}, nil
}

// seq parses `value, value, ... [,] close` after the opening token has been
// consumed, calling elem for each value.
func (p *parser) seq(close tokKind, closeText string, elem func(i int) error) error {
	for i := 0; ; i++ {
		if p.tok.kind == close {
			return p.advance()
		}
		if err := elem(i); err != nil {
			return err
		}
		if p.tok.kind == tComma {
			if err := p.advance(); err != nil {
				return err
			}
			if p.tok.kind == tComma {
				return p.unexpected("value")
			}
			continue
		}
		if p.tok.kind != close {
			return p.unexpected(`"," or ` + closeText)
		}
	}
}

func (p *parser) list(t *wit.Type) (Value, error) {
	start := p.tok.start
	if p.tok.kind != tBracketOpen {
		return Value{}, p.unexpected("list of " + typeString(t.Elem))
	}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	if p.tok.kind == tComma {
		return Value{}, p.unexpected("value or ]")
	}
	var elems []Value
	err := p.seq(tBracketClose, `"]"`, func(int) error {
		v, err := p.value(t.Elem)
		elems = append(elems, v)
		return err
	})
	if err != nil {
		return Value{}, err
	}
	if t.Len > 0 && len(elems) != int(t.Len) {
		return Value{}, waveErr(start, "%d elements for %s", len(elems), typeString(t))
	}
	return Value{k: kList, elems: elems}, nil
}

func (p *parser) tuple(t *wit.Type) (Value, error) {
	start := p.tok.start
	if p.tok.kind != tParenOpen {
		return Value{}, p.unexpected(typeString(t))
	}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	if p.tok.kind == tComma || p.tok.kind == tParenClose {
		return Value{}, p.unexpected("value")
	}
	elems := make([]Value, 0, len(t.Elems))
	err := p.seq(tParenClose, `")"`, func(i int) error {
		if i >= len(t.Elems) {
			return waveErr(p.tok.start, "too many members for %s", typeString(t))
		}
		v, err := p.value(t.Elems[i])
		elems = append(elems, v)
		return err
	})
	if err != nil {
		return Value{}, err
	}
	if len(elems) != len(t.Elems) {
		return Value{}, waveErr(start, "%d members for %s", len(elems), typeString(t))
	}
	return Value{k: kTuple, elems: elems}, nil
}

func (p *parser) record(t *wit.Type) (Value, error) {
	start := p.tok.start
	if p.tok.kind != tBraceOpen {
		return Value{}, p.unexpected("record " + typeString(t))
	}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	fields := make([]Value, len(t.Fields))
	if p.tok.kind == tColon { // {:}, no fields given
		if err := p.advance(); err != nil {
			return Value{}, err
		}
		if err := p.expect(tBraceClose, `"}"`); err != nil {
			return Value{}, err
		}
	} else {
		if p.tok.kind == tBraceClose {
			return Value{}, waveErr(p.tok.start, "expected record field (write {:} for a record without fields)")
		}
		err := p.seq(tBraceClose, `"}"`, func(int) error {
			name := p.tok
			if name.kind != tLabel {
				return p.unexpected("field name")
			}
			i := fieldIndex(t, name.text)
			if i < 0 {
				return waveErr(name.start, "unknown field %q of %s", name.text, typeString(t))
			}
			if fields[i].k != kInvalid {
				return waveErr(name.start, "duplicate field %q", name.text)
			}
			if err := p.advance(); err != nil {
				return err
			}
			if err := p.expect(tColon, `":"`); err != nil {
				return err
			}
			v, err := p.value(t.Fields[i].Type)
			fields[i] = v
			return err
		})
		if err != nil {
			return Value{}, err
		}
	}
	for i, f := range t.Fields {
		if fields[i].k == kInvalid {
			if f.Type == nil || f.Type.Kind != wit.Option {
				return Value{}, waveErr(start, "missing field %q", f.Name)
			}
			fields[i] = None()
		}
	}
	return Value{k: kRecord, elems: fields}, nil
}

func fieldIndex(t *wit.Type, name string) int { return t.FieldIndex(name) }

func (p *parser) flags(t *wit.Type) (Value, error) {
	if len(t.Labels) > MaxFlags {
		return Value{}, waveErr(p.tok.start, "more than %d flags", MaxFlags)
	}
	if p.tok.kind != tBraceOpen {
		return Value{}, p.unexpected("flags " + typeString(t))
	}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	if p.tok.kind == tComma {
		return Value{}, p.unexpected("flag or }")
	}
	var set uint64
	err := p.seq(tBraceClose, `"}"`, func(int) error {
		name := p.tok
		if name.kind != tLabel {
			return p.unexpected("flag name")
		}
		i := labelIndex(t.Labels, name.text)
		if i < 0 {
			return waveErr(name.start, "unknown flag %q of %s", name.text, typeString(t))
		}
		if set&(1<<i) != 0 {
			return waveErr(name.start, "duplicate flag %q", name.text)
		}
		set |= 1 << i
		return p.advance()
	})
	if err != nil {
		return Value{}, err
	}
	return Flags(set), nil
}

func labelIndex(labels []string, name string) int {
	for i, l := range labels {
		if l == name {
			return i
		}
	}
	return -1
}
