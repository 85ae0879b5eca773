package value

import (
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// Call is a function call written in WAVE: `name(arg, ...)`.
type Call struct {
	// Name is the function name as written: "add-item", "ui.string",
	// "ui:tests/ui.string@0.1.0", "[method]cart.add-item". SplitCallName
	// separates the interface from the function.
	Name string
	// Func is the function the name resolved to.
	Func *wit.Function
	// Args has one value per parameter of Func.
	Args []Value
}

// ParseCall parses a function call `name(arg, ...)` (surrounding whitespace
// and // comments allowed). lookup resolves the name to the function whose
// parameter types type the arguments; its error is returned as is.
//
// As in wasm-wave, trailing arguments of option type may be left out (they
// are none), but `name()` is only accepted for a function without parameters.
func ParseCall(src string, lookup func(name string) (*wit.Function, error)) (*Call, error) {
	l := lexer{src: src}
	l.skip()
	start := l.pos
	for l.pos < len(src) && isCallNameByte(src[l.pos]) {
		l.pos++
	}
	if l.pos == start {
		return nil, waveErr(start, "expected function name")
	}
	name := src[start:l.pos]
	f, err := lookup(name)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, fmt.Errorf("unknown function %q", name)
	}
	p := &parser{lx: l}
	if err := p.advance(); err != nil {
		return nil, err
	}
	args, err := p.args(f.Params, start)
	if err != nil {
		return nil, err
	}
	if err := p.expect(tEOF, "end of input"); err != nil {
		return nil, err
	}
	return &Call{Name: name, Func: f, Args: args}, nil
}

func isCallNameByte(c byte) bool {
	return isLower(c) || isUpper(c) || isDigit(c) || strings.IndexByte("-%:/.@[]_+", c) >= 0
}

// ParseArgs parses a parenthesized argument list `(a, b, ...)` against the
// parameters, as given to a CLI's --args. Trailing arguments of option type
// may be left out; `()` is accepted only when params is empty.
func ParseArgs(src string, params []wit.Param) ([]Value, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	args, err := p.args(params, p.tok.start)
	if err != nil {
		return nil, err
	}
	if err := p.expect(tEOF, "end of input"); err != nil {
		return nil, err
	}
	return args, nil
}

// args parses `( values )` for params; nameAt is where to report a missing
// argument list.
func (p *parser) args(params []wit.Param, nameAt int) ([]Value, error) {
	open := p.tok.start
	if err := p.expect(tParenOpen, `"("`); err != nil {
		return nil, err
	}
	if p.tok.kind == tParenClose {
		if len(params) > 0 {
			return nil, waveErr(nameAt, "no arguments given, but %d required", len(params))
		}
		return []Value{}, p.advance()
	}
	if p.tok.kind == tComma {
		return nil, p.unexpected("argument")
	}
	args := make([]Value, 0, len(params))
	err := p.seq(tParenClose, `")"`, func(i int) error {
		if i >= len(params) {
			return waveErr(p.tok.start, "more arguments than the %d parameters", len(params))
		}
		v, err := p.value(params[i].Type)
		args = append(args, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, prm := range params[len(args):] {
		if prm.Type == nil || prm.Type.Kind != wit.Option {
			return nil, waveErr(open, "missing argument %q", prm.Name)
		}
		args = append(args, None())
	}
	return args, nil
}

// FormatArgs returns the canonical WAVE argument list `(a, b, ...)` of args
// for params; "()" when there are none.
func FormatArgs(args []Value, params []wit.Param) (string, error) {
	b, err := appendArgs(nil, args, params, false)
	return string(b), err
}

func appendArgs(b []byte, args []Value, params []wit.Param, labeled bool) ([]byte, error) {
	if len(args) != len(params) {
		return b, fmt.Errorf("value: %d arguments for %d parameters", len(args), len(params))
	}
	b = append(b, '(')
	for i, a := range args {
		if i > 0 {
			b = append(b, ", "...)
		}
		if labeled {
			b = append(b, params[i].Name...)
			b = append(b, ": "...)
		}
		var err error
		if b, err = appendWAVE(b, a, params[i].Type); err != nil {
			return b, mismatch(a, params[i].Type, "("+params[i].Name+")")
		}
	}
	return append(b, ')'), nil
}

// WAVE returns the call in canonical WAVE: `name(a, b)`, which ParseCall
// reads back.
func (c *Call) WAVE() (string, error) {
	b, err := appendArgs([]byte(c.Name), c.Args, c.Func.Params, false)
	return string(b), err
}

// Labeled returns the call with parameter names, `name(p: a, q: b)`, the
// display form of wasm-tools' WAVE tests. It is not WAVE input.
func (c *Call) Labeled() (string, error) {
	b, err := appendArgs([]byte(c.Name), c.Args, c.Func.Params, true)
	return string(b), err
}

// SplitCallName splits a call name into its interface and function parts:
// "ui:tests/ui.string@0.1.0" gives ("ui:tests/ui@0.1.0", "string"),
// "ui.string" gives ("ui", "string"), "string" gives ("", "string"),
// "cart.[method]cart.add" gives ("cart", "[method]cart.add"). The interface
// is returned as world items name it, version included.
func SplitCallName(name string) (iface, fn string) {
	var version string
	if at := strings.LastIndexByte(name, '@'); at >= 0 {
		name, version = name[:at], name[at:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		if i == 0 {
			return "", name + version
		}
		return strings.TrimSuffix(name[:i], ".") + version, name[i:]
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return "", name + version
	}
	return name[:dot] + version, name[dot+1:]
}
