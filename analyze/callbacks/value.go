package callbacks

import (
	"fmt"
	"slices"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// vkind is the abstract domain of the stack simulation.
type vkind uint8

const (
	vUnknown vkind = iota // nothing known
	vConst                // the constant c
	vDerived              // a run-time value plus the constant c: evidently an address
	vParam                // m applied to the entry value of parameter x
	vCmp                  // the i32 result of (parameter x == c), or != if ne
)

// Pseudo-opcodes describing where an unknown value came from.
const (
	opJoin  core.Opcode = 0xFFFF0001 // branches with different values meet
	opLoop  core.Opcode = 0xFFFF0002 // a loop may change the local
	opBlock core.Opcode = 0xFFFF0003 // result of a block, loop or if
	opParam core.Opcode = 0xFFFF0004 // a parameter
)

// val is an abstract value. op, off and x say where it came from (x is
// the local, global or parameter index where that applies); op2, off2 and
// x2 say where the value of a local came from, for messages.
type val struct {
	k    vkind
	ne   bool
	c    uint64
	x    uint32
	m    pmap
	op   core.Opcode
	off  uint32
	op2  core.Opcode
	off2 uint32
	x2   uint32
}

func (v val) same(w val) bool {
	if v.k != w.k {
		return false
	}
	switch v.k {
	case vConst:
		return v.c == w.c
	case vParam:
		return v.x == w.x && slices.Equal(v.m, w.m)
	case vCmp:
		return v.x == w.x && v.c == w.c && v.ne == w.ne
	case vDerived:
		return v.x == w.x && v.c == w.c && v.op == w.op && v.off == w.off
	}
	return false
}

// join merges the values a local has on two paths.
func join(a, b val, off uint32, local uint32) val {
	if a.same(b) {
		return a
	}
	if a.k == vDerived && b.k == vDerived {
		return val{k: vDerived, op: opJoin, off: off, x: local}
	}
	return val{k: vUnknown, op: opJoin, off: off, x: local}
}

// why explains, for an unresolved callback argument, why v is not a known
// constant.
func (v val) why() string {
	switch v.k {
	case vDerived:
		return "it is computed at run time (" + v.detail() + ")"
	case vCmp:
		return "it is a comparison result"
	case vParam:
		return fmt.Sprintf("it is parameter %d", v.x)
	}
	switch v.op {
	case core.OpLocalGet:
		if v.op2 == 0 {
			return fmt.Sprintf("it is read from local %d", v.x)
		}
		return fmt.Sprintf("it is read from local %d, which holds %s", v.x, noun(v.op2, v.off2, v.x2))
	case core.OpGlobalGet:
		return fmt.Sprintf("it is read from global %d, which is mutable, imported or not constant", v.x)
	case 0:
		return "it is not a constant"
	}
	return "it is " + noun(v.op, v.off, v.x)
}

// noun describes where a value came from, as a noun phrase.
func noun(op core.Opcode, off, x uint32) string {
	switch op {
	case opJoin:
		return fmt.Sprintf("a value that differs between the paths reaching 0x%x", off)
	case opLoop:
		return fmt.Sprintf("a value that may change in the loop at 0x%x", off)
	case opBlock:
		return fmt.Sprintf("the result of the block ending at 0x%x", off)
	case opParam:
		return "a parameter"
	case core.OpGlobalGet:
		return fmt.Sprintf("global %d, which is mutable, imported or not constant", x)
	case core.OpCall, core.OpCallIndirect:
		return fmt.Sprintf("the result of the %s at 0x%x", op, off)
	case 0:
		return "an unknown value"
	}
	return fmt.Sprintf("the result of %s at 0x%x", op, off)
}

// detail describes a derived value: "local 6 + 8".
func (v val) detail() string {
	base := "a run-time value"
	switch v.op {
	case core.OpLocalGet:
		base = fmt.Sprintf("local %d", v.x)
	case core.OpGlobalGet:
		base = fmt.Sprintf("global %d", v.x)
	case opJoin:
		return fmt.Sprintf("merged at 0x%x", v.off)
	case opParam:
		base = fmt.Sprintf("parameter %d", v.x)
	case 0:
	default:
		base = fmt.Sprintf("the result of %s at 0x%x", v.op, v.off)
	}
	switch d := int64(v.c); {
	case d == 0:
		return base
	case d < 0 && d > -1<<40:
		return fmt.Sprintf("%s - %d", base, -d)
	default:
		return fmt.Sprintf("%s + %d", base, v.c)
	}
}

// env classifies an env argument.
func (v val) env() *Env {
	switch v.k {
	case vConst:
		return &Env{Kind: EnvConst, Value: v.c}
	case vDerived:
		return &Env{Kind: EnvPointer, Detail: v.detail()}
	}
	d := v.why()
	if len(d) > 6 && d[:6] == "it is " {
		d = d[6:]
	}
	return &Env{Kind: EnvUnknown, Detail: d}
}

// pmap is a finite translation of table indices, sorted by from; values
// not listed map to themselves.
type pmap []pair

type pair struct{ from, to uint64 }

func (m pmap) apply(x uint64) uint64 {
	for _, p := range m {
		if p.from == x {
			return p.to
		}
	}
	return x
}

func (m pmap) has(x uint64) bool {
	for _, p := range m {
		if p.from == x {
			return true
		}
	}
	return false
}

// with returns m extended by from → to.
func (m pmap) with(from, to uint64) pmap {
	out := make(pmap, 0, len(m)+1)
	out = append(out, m...)
	out = append(out, pair{from, to})
	slices.SortFunc(out, func(a, b pair) int {
		switch {
		case a.from < b.from:
			return -1
		case a.from > b.from:
			return 1
		}
		return 0
	})
	return out
}

// then returns the translation "m, then n".
func (m pmap) then(n pmap) pmap {
	if len(n) == 0 {
		return m
	}
	var out pmap
	keys := map[uint64]bool{}
	for _, p := range m {
		keys[p.from] = true
	}
	for _, p := range n {
		keys[p.from] = true
	}
	for k := range keys {
		if v := n.apply(m.apply(k)); v != k {
			out = out.with(k, v)
		}
	}
	return out
}

func (m pmap) toMap() map[uint64]uint64 {
	if len(m) == 0 {
		return nil
	}
	out := make(map[uint64]uint64, len(m))
	for _, p := range m {
		out[p.from] = p.to
	}
	return out
}
