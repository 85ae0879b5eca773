package rewrite

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// AppendInstr appends the binary encoding of in, the inverse of
// core.InstrReader: it encodes every instruction the decoder accepts.
// Indices and integers are written in their shortest LEB128 form.
func AppendInstr(b []byte, in core.Instr) ([]byte, error) {
	op := in.Op
	switch op.Prefix() {
	case 0:
		if op > 0xFF {
			return b, fmt.Errorf("cannot encode %s", op)
		}
		b = append(b, byte(op))
		return appendPlainImm(b, &in)
	case core.PrefixMisc:
		b = append(b, core.PrefixMisc)
		b = appendU32(b, op.Sub())
		switch op {
		case core.OpMemoryInit, core.OpMemoryCopy, core.OpTableInit, core.OpTableCopy:
			b = appendU32(b, in.Index)
			b = appendU32(b, in.Index2)
		case core.OpDataDrop, core.OpMemoryFill, core.OpElemDrop, core.OpTableGrow, core.OpTableSize, core.OpTableFill:
			b = appendU32(b, in.Index)
		default:
			if op.Sub() > 7 {
				return b, fmt.Errorf("cannot encode %s", op)
			}
		}
		return b, nil
	case core.PrefixSIMD:
		name := op.String()
		if strings.HasPrefix(name, "opcode(") {
			return b, fmt.Errorf("cannot encode %s", op)
		}
		b = append(b, core.PrefixSIMD)
		b = appendU32(b, op.Sub())
		short := name[strings.IndexByte(name, '.')+1:]
		switch {
		case strings.Contains(short, "load") || strings.Contains(short, "store"):
			b = appendMemArg(b, in.Mem)
			if strings.HasSuffix(short, "_lane") {
				b = append(b, in.Lane)
			}
		case op == core.OpV128Const || short == "shuffle":
			b = append(b, in.V128[:]...)
		case strings.HasPrefix(short, "extract_lane") || short == "replace_lane":
			b = append(b, in.Lane)
		}
		return b, nil
	}
	return b, fmt.Errorf("cannot encode %s", op)
}

func appendPlainImm(b []byte, in *core.Instr) ([]byte, error) {
	switch op := in.Op; {
	case op == core.OpBlock || op == core.OpLoop || op == core.OpIf:
		return appendBlockType(b, in.Block), nil
	case op == core.OpBr || op == core.OpBrIf || op == core.OpCall || op == core.OpReturnCall ||
		(op >= core.OpLocalGet && op <= core.OpTableSet) || op == core.OpRefFunc ||
		op == core.OpMemorySize || op == core.OpMemoryGrow:
		return appendU32(b, in.Index), nil
	case op == core.OpBrTable:
		b = appendU32(b, uint32(len(in.Targets)))
		for _, t := range in.Targets {
			b = appendU32(b, t)
		}
		return appendU32(b, in.Index), nil
	case op == core.OpCallIndirect || op == core.OpReturnCallIndirect:
		return appendU32(appendU32(b, in.Index), in.Index2), nil
	case op == core.OpSelectTyped:
		return append(b, 1, byte(in.Type)), nil
	case op >= core.OpI32Load && op <= core.OpI64Store32:
		return appendMemArg(b, in.Mem), nil
	case op == core.OpI32Const || op == core.OpI64Const:
		return appendS64(b, in.I64), nil
	case op == core.OpF32Const:
		return binary.LittleEndian.AppendUint32(b, uint32(in.Bits)), nil
	case op == core.OpF64Const:
		return binary.LittleEndian.AppendUint64(b, in.Bits), nil
	case op == core.OpRefNull:
		return append(b, byte(in.Type)), nil
	}
	if in.Op.String() == fmt.Sprintf("opcode(0x%x)", uint32(in.Op)) {
		return b, fmt.Errorf("cannot encode %s", in.Op)
	}
	return b, nil
}

func appendBlockType(b []byte, t core.BlockType) []byte {
	if t < 0 {
		return append(b, byte(int64(t)+0x80))
	}
	return appendS64(b, int64(t))
}

func appendMemArg(b []byte, m core.MemArg) []byte {
	if m.Mem != 0 || m.Explicit {
		b = appendU32(b, m.Align+0x40)
		b = appendU32(b, m.Mem)
	} else {
		b = appendU32(b, m.Align)
	}
	return appendU64(b, m.Offset)
}

// appendConstExpr appends a constant expression and its final end.
func appendConstExpr(b []byte, e *core.ConstExpr) ([]byte, error) {
	var err error
	for _, in := range e.Instrs {
		if b, err = AppendInstr(b, in); err != nil {
			return b, err
		}
	}
	return append(b, byte(core.OpEnd)), nil
}
