package abi

import (
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
)

// CoreType is a core WebAssembly value type of a flattened signature.
type CoreType uint8

// Core value types.
const (
	I32 CoreType = iota + 1
	I64
	F32
	F64
)

// String returns the WebAssembly spelling.
func (t CoreType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	}
	return fmt.Sprintf("CoreType(%d)", uint8(t))
}

// ValType returns the binary encoding of t (0x7f i32, 0x7e i64, 0x7d f32,
// 0x7c f64), which is also wazero's api.ValueType.
func (t CoreType) ValType() byte {
	switch t {
	case I32:
		return 0x7f
	case I64:
		return 0x7e
	case F32:
		return 0x7d
	case F64:
		return 0x7c
	}
	return 0
}

// join is the type of a flat slot shared by two variant cases.
func join(a, b CoreType) CoreType {
	if a == b {
		return a
	}
	if (a == I32 && b == F32) || (a == F32 && b == I32) {
		return I32
	}
	return I64
}

// Flat-signature limits of synchronous functions.
const (
	// MaxFlatParams is the number of flat parameters above which the
	// parameters are passed in memory through one pointer.
	MaxFlatParams = 16
	// MaxFlatResults is the number of flat results above which the
	// results are returned in memory.
	MaxFlatResults = 1
)

// Canon says on which side of a function the guest is: CanonLift (the
// guest implements the function, which is exported) or CanonLower (the
// guest calls the function, which is imported).
type Canon uint8

// Canon directions.
const (
	CanonLift Canon = iota + 1
	CanonLower
)

// FlatSig is the core signature of a component function (definitions.py's
// flatten_functype for a synchronous function).
type FlatSig struct {
	Params  []CoreType
	Results []CoreType
	// ParamsInMemory: the parameters are passed as one i32 pointer (more
	// than MaxFlatParams flat values). For CanonLift the callee's realloc
	// allocates the space; for CanonLower the caller passes the pointer.
	ParamsInMemory bool
	// ResultsInMemory: the results are passed in memory (more than
	// MaxFlatResults flat values). For CanonLift the callee returns one i32
	// pointer; for CanonLower the caller passes the pointer as an extra,
	// last i32 parameter and the function returns nothing.
	ResultsInMemory bool
}

// Flatten returns the core signature of a function with the given
// parameter and result types, for the guest on side c.
func Flatten(params, results []*wit.Type, c Canon) (FlatSig, error) {
	fp, err := FlattenTypes(params)
	if err != nil {
		return FlatSig{}, err
	}
	fr, err := FlattenTypes(results)
	if err != nil {
		return FlatSig{}, err
	}
	var s FlatSig
	s.Params, s.Results = fp, fr
	if len(fp) > MaxFlatParams {
		s.Params, s.ParamsInMemory = []CoreType{I32}, true
	}
	if len(fr) > MaxFlatResults {
		s.ResultsInMemory = true
		switch c {
		case CanonLift:
			s.Results = []CoreType{I32}
		case CanonLower:
			s.Params = append(s.Params[:len(s.Params):len(s.Params)], I32)
			s.Results = nil
		default:
			return FlatSig{}, fmt.Errorf("abi: flatten: unknown side %d", c)
		}
	}
	if s.Params == nil {
		s.Params = []CoreType{}
	}
	if s.Results == nil {
		s.Results = []CoreType{}
	}
	return s, nil
}

// FlattenType returns the flat core types of t (definitions.py's flatten_type).
func FlattenType(t *wit.Type) ([]CoreType, error) {
	l, err := compileType(t)
	if err != nil {
		return nil, err
	}
	return append([]CoreType(nil), l.flat...), nil
}

// FlattenTypes returns the concatenated flat core types of ts.
func FlattenTypes(ts []*wit.Type) ([]CoreType, error) {
	memo := map[*wit.Type]*layout{}
	out := []CoreType{}
	for _, t := range ts {
		l, err := compile(t, memo, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, l.flat...)
	}
	return out, nil
}
