package core

// ConstExpr is a constant expression: a global initializer, a segment
// offset, an element expression or a table initializer. The decoder accepts
// only constant instructions: t.const, ref.null, ref.func, global.get and the
// extended-const i32/i64 add, sub and mul.
type ConstExpr struct {
	Off, End uint32 // byte range of the expression, including its final end
	Instrs   []Instr
}

// Value is the result of evaluating a constant expression.
type Value struct {
	Type ValType
	// Bits holds i32 (zero-extended), i64, f32 and f64 bit patterns, and the
	// function index of a non-null funcref.
	Bits uint64
	V128 [16]byte
	Null bool // a null reference
}

// I32 returns Bits as an i32.
func (v Value) I32() int32 { return int32(uint32(v.Bits)) }

// I64 returns Bits as an i64.
func (v Value) I64() int64 { return int64(v.Bits) }

// Eval evaluates the expression. global resolves global.get; it may be nil,
// in which case global.get fails. The error, a *FormatError at the offending
// instruction, reports unknown globals and type mismatches.
func (e *ConstExpr) Eval(global func(index uint32) (Value, bool)) (Value, error) {
	var buf [4]Value
	stack := buf[:0]
	pop := func(in *Instr, t ValType) (Value, error) {
		if len(stack) == 0 || stack[len(stack)-1].Type != t {
			return Value{}, errorf(int(in.Off), nil, "type mismatch in constant expression: %s needs %s operands", in.Op, t)
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return v, nil
	}
	for i := range e.Instrs {
		in := &e.Instrs[i]
		var v Value
		switch in.Op {
		case OpI32Const:
			v = Value{Type: I32, Bits: uint64(uint32(in.I64))}
		case OpI64Const:
			v = Value{Type: I64, Bits: uint64(in.I64)}
		case OpF32Const:
			v = Value{Type: F32, Bits: in.Bits}
		case OpF64Const:
			v = Value{Type: F64, Bits: in.Bits}
		case OpV128Const:
			v = Value{Type: V128, V128: in.V128}
		case OpRefNull:
			v = Value{Type: in.Type, Null: true}
		case OpRefFunc:
			v = Value{Type: FuncRef, Bits: uint64(in.Index)}
		case OpGlobalGet:
			var ok bool
			if global != nil {
				v, ok = global(in.Index)
			}
			if !ok {
				return Value{}, errorf(int(in.Off), in.Index, "global.get %d: value not known", in.Index)
			}
		case OpI32Add, OpI32Sub, OpI32Mul, OpI64Add, OpI64Sub, OpI64Mul:
			t := I32
			if in.Op >= OpI64Add {
				t = I64
			}
			y, err := pop(in, t)
			if err != nil {
				return Value{}, err
			}
			x, err := pop(in, t)
			if err != nil {
				return Value{}, err
			}
			v = Value{Type: t}
			switch in.Op {
			case OpI32Add, OpI64Add:
				v.Bits = x.Bits + y.Bits
			case OpI32Sub, OpI64Sub:
				v.Bits = x.Bits - y.Bits
			default:
				v.Bits = x.Bits * y.Bits
			}
			if t == I32 {
				v.Bits = uint64(uint32(v.Bits))
			}
		default:
			return Value{}, errorf(int(in.Off), in.Op, "%s is not a constant instruction", in.Op)
		}
		stack = append(stack, v)
	}
	if len(stack) != 1 {
		return Value{}, errorf(max(int(e.End)-1, 0), len(stack), "constant expression leaves %d values, want 1", len(stack))
	}
	return stack[0], nil
}

// constExpr decodes a constant expression at the cursor.
func (d *decoder) constExpr(m *Module) ConstExpr {
	if d.err != nil {
		return ConstExpr{}
	}
	e := ConstExpr{Off: uint32(d.pos)}
	var r InstrReader
	r.reset(d.b[d.pos:d.end], uint32(d.pos), true)
	first := len(d.slab)
	for r.Next() {
		in := &r.in
		var limit int
		switch in.Op {
		case OpEnd:
			continue // the final end; Next returns false after it
		case OpI32Const, OpI64Const, OpF32Const, OpF64Const, OpV128Const, OpRefNull,
			OpI32Add, OpI32Sub, OpI32Mul, OpI64Add, OpI64Sub, OpI64Mul:
		case OpRefFunc:
			limit = d.numFuncs()
		case OpGlobalGet:
			limit = d.numGlobals()
		default:
			d.failf(int(in.Off), in.Op, "%s is not allowed in a constant expression", in.Op)
			return ConstExpr{}
		}
		if limit > 0 || in.Op == OpRefFunc || in.Op == OpGlobalGet {
			if uint64(in.Index) >= uint64(limit) {
				what := "function"
				if in.Op == OpGlobalGet {
					what = "global"
				}
				d.failf(int(in.Off)+1, in.Index, "%s index %d out of range (%d defined)", what, in.Index, limit)
				return ConstExpr{}
			}
		}
		d.slab = append(d.slab, *in)
	}
	if r.err != nil {
		d.fail(r.err)
		return ConstExpr{}
	}
	d.pos += r.pos
	e.End = uint32(d.pos)
	if len(d.slab) > first {
		e.Instrs = d.slab[first:len(d.slab):len(d.slab)]
	}
	return e
}
