package validate

import (
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/core"
)

func isTableOp(op core.Opcode) bool {
	switch op {
	case core.OpTableGet, core.OpTableSet, core.OpTableSize, core.OpTableGrow, core.OpTableFill,
		core.OpTableCopy, core.OpTableInit, core.OpElemDrop:
		return true
	}
	return false
}

func (v *bodyValidator) tableType(off uint32, x uint32) (core.ValType, bool) {
	if int(x) >= len(v.c.tables) {
		v.fail(off, "table %d out of range", x)
		return 0, false
	}
	return v.c.tables[x].Elem, true
}

func (v *bodyValidator) elemType(off uint32, x uint32) (core.ValType, bool) {
	if int(x) >= len(v.c.elems) {
		v.fail(off, "element segment %d out of range", x)
		return 0, false
	}
	return v.c.elems[x], true
}

// table checks the table instructions (32-bit tables: i32 indices).
func (v *bodyValidator) table(in *core.Instr) {
	off := in.Off
	switch in.Op {
	case core.OpElemDrop:
		v.elemType(off, in.Index)
		return
	case core.OpTableCopy:
		d, ok1 := v.tableType(off, in.Index)
		s, ok2 := v.tableType(off, in.Index2)
		if ok1 && ok2 && d != s {
			v.fail(off, "type mismatch: table.copy from a table of %s to one of %s", s, d)
		}
		v.popAll(off, []core.ValType{core.I32, core.I32, core.I32})
		return
	case core.OpTableInit:
		t, ok1 := v.tableType(off, in.Index2)
		e, ok2 := v.elemType(off, in.Index)
		if ok1 && ok2 && t != e {
			v.fail(off, "type mismatch: table.init of %s into a table of %s", e, t)
		}
		v.popAll(off, []core.ValType{core.I32, core.I32, core.I32})
		return
	}
	t, ok := v.tableType(off, in.Index)
	if !ok {
		return
	}
	switch in.Op {
	case core.OpTableGet:
		v.pop(off, core.I32)
		v.push(t)
	case core.OpTableSet:
		v.popAll(off, []core.ValType{core.I32, t})
	case core.OpTableSize:
		v.push(core.I32)
	case core.OpTableGrow:
		v.popAll(off, []core.ValType{t, core.I32})
		v.push(core.I32)
	case core.OpTableFill:
		v.popAll(off, []core.ValType{core.I32, t, core.I32})
	}
}

// memOp describes a load or store: its value type, natural alignment,
// lane width (lane instructions) and whether it loads.
type memOp struct {
	val   core.ValType
	align uint32
	lane  int // lanes of a load_lane or store_lane, else 0
	load  bool
}

func buildMemOps() map[core.Opcode]memOp {
	out := map[core.Opcode]memOp{}
	add := func(op core.Opcode) {
		name := op.String()
		ty, o, ok := strings.Cut(name, ".")
		if !ok || !(strings.HasPrefix(o, "load") || strings.HasPrefix(o, "store")) || ty == "memory" {
			return
		}
		mo := memOp{val: valType(ty), align: naturalAlign(name), load: strings.HasPrefix(o, "load")}
		if strings.HasSuffix(o, "_lane") {
			mo.lane = 128 / bits(o)
		}
		out[op] = mo
	}
	for b := 0x28; b <= 0x3E; b++ {
		add(core.Opcode(b))
	}
	for sub := 0; sub < 0x200; sub++ {
		add(core.Opcode(0xFD<<16 | sub))
	}
	return out
}

// memOpOf returns the memOp of a load or store.
func memOpOf(op core.Opcode) memOp {
	t := ops()
	if op < 256 {
		return t.plain[op].mem
	}
	return t.mems[op]
}

// isBulkMemoryOp reports the memory instructions other than loads and
// stores.
func isBulkMemoryOp(op core.Opcode) bool {
	switch op {
	case core.OpMemorySize, core.OpMemoryGrow, core.OpMemoryFill, core.OpMemoryCopy, core.OpMemoryInit, core.OpDataDrop:
		return true
	}
	return false
}

func isMemoryOp(op core.Opcode) bool {
	if isBulkMemoryOp(op) {
		return true
	}
	_, ok := ops().mems[op]
	return ok
}

func (v *bodyValidator) mem(off uint32, x uint32) (core.ValType, bool) {
	if int(x) >= len(v.c.mems) {
		v.fail(off, "memory %d out of range (%d defined)", x, len(v.c.mems))
		return 0, false
	}
	return addrType(v.c.mems[x]), true
}

func (v *bodyValidator) dataIndex(off uint32, x uint32) bool {
	if !v.c.m.HasDataCount {
		v.fail(off, "memory.init and data.drop need the data count section")
		return false
	}
	if x >= v.c.m.DataCount {
		v.fail(off, "data segment %d out of range (%d declared)", x, v.c.m.DataCount)
		return false
	}
	return true
}

// memory checks memory instructions; 64-bit memories take i64 addresses.
func (v *bodyValidator) memory(in *core.Instr) {
	off := in.Off
	switch in.Op {
	case core.OpMemorySize:
		if a, ok := v.mem(off, in.Index); ok {
			v.push(a)
		}
		return
	case core.OpMemoryGrow:
		if a, ok := v.mem(off, in.Index); ok {
			v.pop(off, a)
			v.push(a)
		}
		return
	case core.OpMemoryFill:
		if a, ok := v.mem(off, in.Index); ok {
			v.popAll(off, []core.ValType{a, core.I32, a})
		}
		return
	case core.OpMemoryCopy:
		d, ok1 := v.mem(off, in.Index)
		s, ok2 := v.mem(off, in.Index2)
		if ok1 && ok2 {
			n := core.I64
			if d == core.I32 || s == core.I32 {
				n = core.I32
			}
			v.popAll(off, []core.ValType{d, s, n})
		}
		return
	case core.OpMemoryInit:
		a, ok := v.mem(off, in.Index2)
		if ok && v.dataIndex(off, in.Index) {
			v.popAll(off, []core.ValType{a, core.I32, core.I32})
		}
		return
	case core.OpDataDrop:
		v.dataIndex(off, in.Index)
		return
	}
	a, ok := v.mem(off, in.Mem.Mem)
	if !ok {
		return
	}
	if a == core.I32 && in.Mem.Offset > 0xFFFFFFFF {
		v.fail(off, "memory offset %d beyond a 32-bit memory", in.Mem.Offset)
		return
	}
	mo := memOpOf(in.Op)
	if in.Mem.Align > mo.align {
		v.fail(off, "alignment 2^%d exceeds the natural alignment 2^%d of %s", in.Mem.Align, mo.align, in.Op)
		return
	}
	switch {
	case mo.lane > 0:
		if int(in.Lane) >= mo.lane {
			v.fail(off, "lane index %d out of range (%d lanes)", in.Lane, mo.lane)
			return
		}
		v.popAll(off, []core.ValType{a, core.V128})
		if mo.load {
			v.push(core.V128)
		}
	case mo.load:
		v.pop(off, a)
		v.push(mo.val)
	default:
		v.popAll(off, []core.ValType{a, mo.val})
	}
}

// bits returns the first number in s: "load8x8_s" → 8; 0 if none.
func bits(s string) int {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return 0
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(s[i:j])
	return n
}

// naturalAlign returns log2 of the bytes a memory instruction accesses.
func naturalAlign(name string) uint32 {
	ty, op, _ := strings.Cut(name, ".")
	var width int // bits
	switch {
	case strings.Contains(op, "x"): // v128.load8x8_s: 64 bits
		width = 64
	case bits(op) > 0:
		width = bits(op)
	case ty == "v128":
		width = 128
	default:
		width = bits(ty)
	}
	a := uint32(0)
	for w := width / 8; w > 1; w >>= 1 {
		a++
	}
	return a
}

func valType(s string) core.ValType {
	switch s {
	case "i32":
		return core.I32
	case "i64":
		return core.I64
	case "f32":
		return core.F32
	case "f64":
		return core.F64
	}
	return core.V128
}
