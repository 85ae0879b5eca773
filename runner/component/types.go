package component

import (
	"context"
	"fmt"

	ast "github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit"
)

// rtype is an elaborated type of a component index space.
type rtype struct {
	val  *wit.Type     // value types; resources (Kind Resource)
	fn   *wit.Function // function types (Name empty)
	res  *Resource     // resources
	def  *ast.TypeDef  // instance and component types
	defn *frame        // their defining scope
}

// unsupported reports a construct this runner refuses.
func unsupported(off int64, what string) error {
	return &UnsupportedError{Off: off, Construct: what}
}

// valType resolves a value type reference in fr.
func (fr *frame) valType(off int64, v ast.ValType) (*wit.Type, error) {
	if v.IsPrim() {
		if v.Prim == ast.PrimErrorContext {
			return nil, unsupported(off, "error-context")
		}
		return wit.Prim(primKind[v.Prim]), nil
	}
	t, err := fr.typ(off, v.Index)
	if err != nil {
		return nil, err
	}
	if t.val == nil {
		return nil, fmt.Errorf("offset 0x%x: type index %d is not a value type", off, v.Index)
	}
	return t.val, nil
}

func (fr *frame) optType(off int64, v ast.OptValType) (*wit.Type, error) {
	if !v.Set {
		return nil, nil
	}
	return fr.valType(off, v.ValType)
}

// primKind are the kinds of the primitive types the runner supports,
// indexed by the byte ("" for others, error-context among them): constant
// data, where a map would be built at every start-up.
var primKind = [256]wit.Kind{
	ast.PrimBool: wit.Bool, ast.PrimS8: wit.S8, ast.PrimU8: wit.U8, ast.PrimS16: wit.S16,
	ast.PrimU16: wit.U16, ast.PrimS32: wit.S32, ast.PrimU32: wit.U32, ast.PrimS64: wit.S64,
	ast.PrimU64: wit.U64, ast.PrimF32: wit.F32, ast.PrimF64: wit.F64, ast.PrimChar: wit.Char,
	ast.PrimString: wit.String,
}

func (fr *frame) typ(off int64, i uint32) (*rtype, error) {
	if uint64(i) >= uint64(len(fr.types)) {
		return nil, fmt.Errorf("offset 0x%x: type index %d out of range (%d defined)", off, i, len(fr.types))
	}
	return fr.types[i], nil
}

// defType elaborates a type definition in fr. A resource type definition
// makes a new resource type owned by fr's component instance.
func (l *Linker) defType(td *ast.TypeDef, fr *frame) (*rtype, error) {
	off := td.Off
	switch td.Kind {
	case ast.KindPrim:
		k := primKind[td.Prim]
		if k == "" {
			return nil, unsupported(off, td.Prim.String())
		}
		return &rtype{val: wit.Prim(k)}, nil
	case ast.KindResource:
		r := &Resource{Type: &wit.Type{Kind: wit.Resource}, rt: &abi.ResourceType{Impl: fr.inst.abi}}
		if td.HasDtor {
			ref, err := fr.coreItem(off, ast.SortCoreFunc, td.Dtor)
			if err != nil {
				return nil, err
			}
			r.rt.Dtor = func(ctx context.Context, rep uint32) error {
				f, err := l.function(ref)
				if err != nil {
					return err
				}
				_, err = f.Call(ctx, uint64(rep))
				return err
			}
		}
		if td.Rep != 0x7f {
			return nil, unsupported(off, "resource representation other than i32")
		}
		l.resources[r.Type] = r
		return &rtype{val: r.Type, res: r}, nil
	case ast.KindResourceAsync:
		return nil, unsupported(off, "resource with async destructor")
	case ast.KindInstance, ast.KindComponent:
		return &rtype{def: td, defn: fr}, nil
	case ast.KindFunc:
		if td.Async {
			return nil, unsupported(off, "async function type")
		}
		f := &wit.Function{Params: make([]wit.Param, len(td.Fields))}
		for i, p := range td.Fields {
			t, err := fr.valType(off, p.Type)
			if err != nil {
				return nil, err
			}
			f.Params[i] = wit.Param{Name: p.Name, Type: t}
		}
		if td.NamedResults {
			switch len(td.Named) {
			case 0:
			case 1:
				t, err := fr.valType(off, td.Named[0].Type)
				if err != nil {
					return nil, err
				}
				f.Result = t
			default:
				return nil, unsupported(off, "function with several named results")
			}
		} else {
			t, err := fr.optType(off, td.Opt)
			if err != nil {
				return nil, err
			}
			f.Result = t
		}
		return &rtype{fn: f}, nil
	}
	t := &wit.Type{}
	var err error
	val := func(v ast.ValType) *wit.Type {
		if err != nil {
			return nil
		}
		var x *wit.Type
		x, err = fr.valType(off, v)
		return x
	}
	opt := func(v ast.OptValType) *wit.Type {
		if err != nil || !v.Set {
			return nil
		}
		return val(v.ValType)
	}
	switch td.Kind {
	case ast.KindRecord:
		t.Kind = wit.Record
		for _, f := range td.Fields {
			t.Fields = append(t.Fields, wit.Field{Name: f.Name, Type: val(f.Type)})
		}
	case ast.KindVariant:
		t.Kind = wit.Variant
		for _, c := range td.Cases {
			t.Cases = append(t.Cases, wit.Case{Name: c.Name, Type: opt(c.Type)})
		}
	case ast.KindList:
		t.Kind, t.Elem = wit.List, val(td.Elem)
	case ast.KindFixedList:
		t.Kind, t.Elem, t.Len = wit.List, val(td.Elem), td.Len
	case ast.KindTuple:
		t.Kind = wit.Tuple
		for _, e := range td.Elems {
			t.Elems = append(t.Elems, val(e))
		}
	case ast.KindFlags:
		t.Kind, t.Labels = wit.Flags, td.Labels
	case ast.KindEnum:
		t.Kind, t.Labels = wit.Enum, td.Labels
	case ast.KindOption:
		t.Kind, t.Elem = wit.Option, val(td.Elem)
	case ast.KindResult:
		t.Kind, t.Ok, t.Err = wit.Result, opt(td.Ok), opt(td.Err)
	case ast.KindOwn, ast.KindBorrow:
		t.Kind = wit.Own
		if td.Kind == ast.KindBorrow {
			t.Kind = wit.Borrow
		}
		r, err := fr.typ(off, td.Res)
		if err != nil {
			return nil, err
		}
		if r.res == nil {
			return nil, fmt.Errorf("offset 0x%x: %s of type index %d, which is not a resource", off, td.Kind, td.Res)
		}
		t.Elem = r.val
	case ast.KindMap:
		// map<K, V> (wit.Map: Elem is tuple<K, V>) has the canonical ABI
		// of list<tuple<K, V>>; runner/abi lays it out as that list.
		t.Kind = wit.Map
		t.Elem = &wit.Type{Kind: wit.Tuple, Elems: []*wit.Type{val(td.Elem), val(td.Value)}}
	case ast.KindStream, ast.KindFuture:
		return nil, unsupported(off, td.Kind.String())
	default:
		return nil, unsupported(off, td.Kind.String())
	}
	if err != nil {
		return nil, err
	}
	return &rtype{val: t}, nil
}
