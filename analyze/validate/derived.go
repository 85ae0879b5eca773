package validate

import (
	"slices"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// Valid is a module Check found valid, kept so that modules made from it
// (a rewrite's output) can be validated without type-checking again the
// function bodies they copy unchanged: see Derived.
type Valid struct {
	c *ctx
}

// Check validates m as Module does and, if it is valid, returns it as a
// Valid for Derived.
func Check(m *core.Module) (*Valid, error) {
	c, err := structure(m)
	if err != nil {
		return nil, err
	}
	if err := c.bodies(nil, nil); err != nil {
		return nil, err
	}
	return &Valid{c: c}, nil
}

// Observer sees the function bodies Observed validates, instruction by
// instruction: another analysis that needs every instruction can ride on
// the validator's decoding instead of decoding the bodies again.
type Observer interface {
	// Observes reports whether the observer wants the instructions with
	// opcode op; it is asked once per one-byte opcode when the observer
	// starts, and for each prefixed instruction.
	Observes(op core.Opcode) bool
	// Instr is called with each instruction of a body it Observes, in
	// order, before it is type-checked; in is only valid during the call.
	Instr(in *core.Instr)
	// EndBody is called after the last instruction of a valid body.
	EndBody()
}

// Observed validates m as Check does and shows every function body to an
// Observer. The bodies are checked in runs of consecutive bodies, one run
// per processor: observe(first, n) is called by the goroutine that checks
// the n bodies from code-section index first, before it starts, and the
// Observer it returns sees those bodies one after the other, from that
// goroutine only. When m is not valid, the observers may have seen part
// of it.
func Observed(m *core.Module, observe func(first, n int) Observer) (*Valid, error) {
	c, err := structure(m)
	if err != nil {
		return nil, err
	}
	if err := c.bodies(nil, observe); err != nil {
		return nil, err
	}
	return &Valid{c: c}, nil
}

// Derived validates m, a module made from the valid module v (by a
// rewrite that appends types, functions, tables, element segments, grows
// tables, and changes some bodies). It validates m's structure in full and
// type-checks every function body but those it can prove valid from v:
// a body of m is skipped only when
//
//   - it is byte for byte the body of the same function index in v
//     (locals included), and
//   - m's validation context extends v's in everything a body's typing
//     reads: the types of v are m's first types, unchanged; the functions
//     of v (imported and defined) are m's first functions with the same
//     type indices; each table, memory, global and element segment of v
//     is in m at the same index with the same element type, address type,
//     value type and mutability, and segment type; the data count is the
//     same; and every function v declares for ref.func, m declares.
//
// Typing a body reads its context only through those indices (limits,
// initial values and segment contents do not enter it), so a body valid
// in v's context is valid in m's. When the contexts differ in any of these
// points every body is checked. Derived reports how many bodies it
// skipped.
func (v *Valid) Derived(m *core.Module) (skipped int, err error) {
	c, err := structure(m)
	if err != nil {
		return 0, err
	}
	var skip []bool
	if p := v.c; extends(p, c) {
		pfirst := len(p.funcs) - len(p.m.Code)
		first := len(c.funcs) - len(m.Code)
		skip = make([]bool, len(m.Code))
		for i := range m.Code {
			j := first + i - pfirst // the same function index in v
			if j >= 0 && j < len(p.m.Code) && string(m.Code[i].Body) == string(p.m.Code[j].Body) {
				skip[i] = true
				skipped++
			}
		}
	}
	if err := c.bodies(skip, nil); err != nil {
		return 0, err
	}
	return skipped, nil
}

// extends reports whether context c extends context p in everything the
// typing of a function body reads (see Derived).
func extends(p, c *ctx) bool {
	if len(c.types) < len(p.types) || len(c.funcs) < len(p.funcs) || len(c.tables) < len(p.tables) ||
		len(c.mems) < len(p.mems) || len(c.globals) < len(p.globals) || len(c.elems) < len(p.elems) {
		return false
	}
	for i := range p.types {
		if !slices.Equal(p.types[i].Params, c.types[i].Params) || !slices.Equal(p.types[i].Results, c.types[i].Results) {
			return false
		}
	}
	// The imported functions come first: a function index of p names
	// the same function of c only if c imports as many.
	if len(p.funcs)-len(p.m.Code) != len(c.funcs)-len(c.m.Code) || !slices.Equal(p.funcs, c.funcs[:len(p.funcs)]) {
		return false
	}
	for i := range p.tables {
		if p.tables[i].Elem != c.tables[i].Elem || p.tables[i].Limits.Is64 != c.tables[i].Limits.Is64 {
			return false
		}
	}
	for i := range p.mems {
		if p.mems[i].Is64 != c.mems[i].Is64 {
			return false
		}
	}
	if !slices.Equal(p.globals, c.globals[:len(p.globals)]) || !slices.Equal(p.elems, c.elems[:len(p.elems)]) {
		return false
	}
	if p.m.HasDataCount != c.m.HasDataCount || p.m.DataCount != c.m.DataCount {
		return false
	}
	for f := range p.refs {
		if !c.refs[f] {
			return false
		}
	}
	return true
}
