package validate

import "github.com/wfcompat/wfcompat/analyze/core"

// single holds the one-result block types' result lists (index the
// value type), so that a block with a value type costs no allocation.
var single = [0x80]core.ValType{
	core.I32: core.I32, core.I64: core.I64, core.F32: core.F32, core.F64: core.F64, core.V128: core.V128,
	core.FuncRef: core.FuncRef, core.ExternRef: core.ExternRef,
}

// one returns the list holding only t.
func one(t core.ValType) []core.ValType {
	if int(t) < len(single) && single[t] == t {
		return single[t : t+1 : t+1]
	}
	return []core.ValType{t}
}

// uleb reads an unsigned LEB128 of at most four bytes at b[p:] (any such
// encoding is a valid u32 and u64), returning the position after it; ok
// is false for longer encodings and at the end of b, which the fast path
// leaves to the decoder.
func uleb(b []byte, p int) (v uint32, q int, ok bool) {
	for i := 0; i < 4 && p+i < len(b); i++ {
		c := b[p+i]
		v |= uint32(c&0x7F) << (7 * i)
		if c < 0x80 {
			return v, p + i + 1, true
		}
	}
	return 0, p, false
}

// sleb is uleb for the signed constants: at most four bytes (28 bits,
// a valid s32 and s64 whatever the bits).
func sleb(b []byte, p int) (q int, ok bool) {
	for i := 0; i < 4 && p+i < len(b); i++ {
		if b[p+i] < 0x80 {
			return p + i + 1, true
		}
	}
	return p, false
}

// fast type-checks, straight from the body's bytes, the run of
// instructions from the reader's position on that are common and plainly
// right: local and global accesses, short constants, the numeric
// operators, loads and stores of memory 0 with short memargs, drop, call,
// block, loop, if and end of inner blocks, br and br_if, all with their
// operands exactly on the stack. It stops before the first instruction
// it does not take whole (another opcode, a longer encoding, a type
// mismatch, unreachable-code stacks): Next and instr then decode and
// check that one, and report any error at its offset. It shows the calls
// it takes to an observer that watches them; a validator whose observer
// watches another instruction fast takes has no fast path (fastTakes). What fast accepts, instr accepts with the same
// resulting stacks.
func (v *bodyValidator) fast() {
	b, p, ok := v.r.Raw()
	if !ok {
		return
	}
	start := p
	base := v.r.Offset() - uint32(p)
	c := v.c
	vals := v.vals
	locals := v.locals
	plain := v.plain
	opened := 0
	h := v.ctrls[len(v.ctrls)-1].height
loop:
	for p < len(b) {
		op := b[p]
		switch op {
		case byte(core.OpLocalGet):
			x, q, ok := uleb(b, p+1)
			if !ok || int(x) >= len(locals) {
				break loop
			}
			vals = append(vals, locals[x])
			p = q
		case byte(core.OpLocalSet), byte(core.OpLocalTee):
			x, q, ok := uleb(b, p+1)
			n := len(vals) - 1
			if !ok || int(x) >= len(locals) || n < h || vals[n] != locals[x] {
				break loop
			}
			if op == byte(core.OpLocalSet) {
				vals = vals[:n]
			}
			p = q
		case byte(core.OpGlobalGet):
			x, q, ok := uleb(b, p+1)
			if !ok || int(x) >= len(c.globals) {
				break loop
			}
			vals = append(vals, c.globals[x].Type)
			p = q
		case byte(core.OpGlobalSet):
			x, q, ok := uleb(b, p+1)
			n := len(vals) - 1
			if !ok || int(x) >= len(c.globals) || !c.globals[x].Mutable || n < h || vals[n] != c.globals[x].Type {
				break loop
			}
			vals = vals[:n]
			p = q
		case byte(core.OpI32Const), byte(core.OpI64Const):
			q, ok := sleb(b, p+1)
			if !ok {
				break loop
			}
			t := core.I32
			if op == byte(core.OpI64Const) {
				t = core.I64
			}
			vals = append(vals, t)
			p = q
		case byte(core.OpDrop):
			if len(vals) <= h {
				break loop
			}
			vals = vals[:len(vals)-1]
			p++
		case byte(core.OpCall):
			x, q, ok := uleb(b, p+1)
			if !ok || int(x) >= len(c.funcs) {
				break loop
			}
			t := &c.types[c.funcs[x]]
			n := len(vals) - len(t.Params)
			if n < h || !sameTypes(vals[n:], t.Params) || n+len(t.Results) > maxStack {
				break loop
			}
			if v.observed[op] {
				v.scratchIn = core.Instr{Off: base + uint32(p), Op: core.OpCall, Index: x}
				v.obs.Instr(&v.scratchIn)
			}
			vals = append(vals[:n], t.Results...)
			p = q
		case byte(core.OpBlock), byte(core.OpLoop), byte(core.OpIf):
			if p+1 >= len(b) {
				break loop
			}
			var results []core.ValType
			switch bt := b[p+1]; {
			case bt == 0x40:
			case bt > 0x40 && bt < 0x80 && single[bt] == core.ValType(bt):
				results = one(core.ValType(bt))
			default:
				break loop
			}
			if op == byte(core.OpIf) {
				n := len(vals) - 1
				if n < h || vals[n] != core.I32 {
					break loop
				}
				vals = vals[:n]
			}
			h = len(vals)
			v.ctrls = append(v.ctrls, frame{op: core.Opcode(op), results: results, height: h})
			opened++
			p += 2
		case byte(core.OpEnd):
			if v.r.Depth()+opened == 0 {
				break loop // the body's final end
			}
			f := &v.ctrls[len(v.ctrls)-1]
			if len(vals)-len(f.results) != h || !sameTypes(vals[h:], f.results) ||
				f.op == core.OpIf && (len(f.params) != 0 || len(f.results) != 0) {
				break loop
			}
			// The block's results stay where they are.
			v.ctrls = v.ctrls[:len(v.ctrls)-1]
			h = v.ctrls[len(v.ctrls)-1].height
			opened--
			p++
		case byte(core.OpBr), byte(core.OpBrIf):
			if p+1 >= len(b) || b[p+1] >= 0x80 || int(b[p+1]) >= len(v.ctrls) {
				break loop
			}
			n := len(vals)
			if op == byte(core.OpBrIf) {
				n--
				if n < h || vals[n] != core.I32 {
					break loop
				}
			}
			ls := v.ctrls[len(v.ctrls)-1-int(b[p+1])].labels()
			if n-len(ls) < h || !sameTypes(vals[n-len(ls):n], ls) {
				break loop
			}
			if op == byte(core.OpBr) {
				vals = vals[:h]
				v.ctrls[len(v.ctrls)-1].unreachable = true
			} else {
				vals = vals[:n]
			}
			p += 2
		default:
			switch {
			case op >= 0x45 && op <= 0xC4: // numeric operators, no immediates
				s := &plain[op].sig
				n := len(vals) - len(s.in)
				if plain[op].class != clsNumeric || n < h || !sameTypes(vals[n:], s.in) {
					break loop
				}
				vals = append(vals[:n], s.out...)
				p++
			case op >= 0x28 && op <= 0x3E: // loads and stores
				if p+2 >= len(b) || b[p+1] >= 0x40 || len(c.mems) == 0 {
					break loop
				}
				mo := &plain[op].mem
				_, q, ok := uleb(b, p+2)
				if !ok || uint32(b[p+1]) > mo.align || mo.lane != 0 {
					break loop
				}
				a := addrType(c.mems[0])
				n := len(vals) - 1
				if mo.load {
					if n < h || vals[n] != a {
						break loop
					}
					vals[n] = mo.val
				} else {
					if n-1 < h || vals[n-1] != a || vals[n] != mo.val {
						break loop
					}
					vals = vals[:n-1]
				}
				p = q
			default:
				break loop
			}
		}
	}
	v.vals = vals
	if p != start {
		v.r.Advance(p, opened)
	}
}

// sameTypes reports whether the stack top s is exactly ts (no unknown:
// ts holds none).
func sameTypes(s, ts []core.ValType) bool {
	for i, t := range ts {
		if s[i] != t {
			return false
		}
	}
	return true
}

// fastTakes reports the one-byte opcodes fast may take.
func fastTakes(op byte) bool {
	switch {
	case op >= byte(core.OpLocalGet) && op <= byte(core.OpGlobalSet), op == byte(core.OpI32Const), op == byte(core.OpI64Const),
		op == byte(core.OpDrop), op == byte(core.OpCall), op >= byte(core.OpBlock) && op <= byte(core.OpIf), op == byte(core.OpEnd),
		op == byte(core.OpBr), op == byte(core.OpBrIf), op >= 0x45 && op <= 0xC4, op >= 0x28 && op <= 0x3E:
		return true
	}
	return false
}
