package component

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// item converts a top-level import or export to a world item.
func (e *elab) item(x ext, what string) (*wit.Item, error) {
	switch x.sort {
	case SortInstance:
		in, err := e.iface(x.name, x.inst)
		if err != nil {
			return nil, err
		}
		return &wit.Item{Name: x.name, Kind: wit.ItemInterface, Interface: in}, nil
	case SortFunc:
		f, err := e.function(x.name, x.ty)
		if err != nil {
			return nil, err
		}
		return &wit.Item{Name: x.name, Kind: wit.ItemFunction, Function: f}, nil
	case SortType:
		t, err := e.convTop(x.ty)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", what, x.name, err)
		}
		return &wit.Item{Name: x.name, Kind: wit.ItemType, Type: &wit.TypeDef{Name: x.name, Type: t}}, nil
	}
	return nil, fmt.Errorf("%s %q is a %s, which a WIT world cannot express", what, x.name, x.sort)
}

func (e *elab) iface(name string, inst *sinst) (*wit.Interface, error) {
	in := &wit.Interface{Name: name}
	for _, x := range inst.exports {
		switch x.sort {
		case SortType:
			t, err := e.convTop(x.ty)
			if err != nil {
				return nil, fmt.Errorf("interface %q, type %q: %w", name, x.name, err)
			}
			in.Types = append(in.Types, &wit.TypeDef{Name: x.name, Type: t})
		case SortFunc:
			f, err := e.function(x.name, x.ty)
			if err != nil {
				return nil, fmt.Errorf("interface %q: %w", name, err)
			}
			in.Functions = append(in.Functions, f)
		default:
			return nil, fmt.Errorf("interface %q exports %q, a %s, which WIT cannot express", name, x.name, x.sort)
		}
	}
	return in, nil
}

func (e *elab) function(name string, t *sty) (*wit.Function, error) {
	if t == nil || t.kind != tFunc {
		return nil, fmt.Errorf("function %q has no function type", name)
	}
	td := t.def
	f := &wit.Function{Name: name, Async: td.Async || asyncName(name), Params: make([]wit.Param, len(td.Fields))}
	for i, p := range td.Fields {
		pt, err := e.convTop(t.kids[i])
		if err != nil {
			return nil, fmt.Errorf("function %q, parameter %q: %w", name, p.Name, err)
		}
		f.Params[i] = wit.Param{Name: p.Name, Type: pt}
	}
	if td.NamedResults {
		if len(td.Named) > 0 {
			return nil, fmt.Errorf("function %q has %d named results, which the world model cannot express", name, len(td.Named))
		}
		return f, nil
	}
	if r := t.kids[len(td.Fields)]; r != nil {
		rt, err := e.convTop(r)
		if err != nil {
			return nil, fmt.Errorf("function %q, result: %w", name, err)
		}
		f.Result = rt
	}
	return f, nil
}

// asyncName reports whether a function name carries an async annotation:
// before async function types (0x43), binaries marked async functions by
// the name prefixes [async], [async method] and [async static], as
// wasm-tools 1.230 still does.
func asyncName(name string) bool {
	return strings.HasPrefix(name, "[async]") || strings.HasPrefix(name, "[async method]") ||
		strings.HasPrefix(name, "[async static]")
}

// convTop converts a type used at the top of the world (a parameter, a
// result, a type definition) and counts it against the world's limits,
// the same as for WIT text (wit.Limiter); errors carry the offset of the
// type's definition.
func (e *elab) convTop(t *sty) (*wit.Type, error) {
	w, err := e.conv(t, 0)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, errorf(int(e.offOf(t)), nil, "%s", err)
	}
	if t.size > maxTypeSize {
		return nil, errorf(int(e.offOf(t)), t.size, "type has %d nodes as a tree (limit %d)", t.size, maxTypeSize)
	}
	if err := e.limit.Add(w); err != nil {
		return nil, errorf(int(e.offOf(t)), nil, "%s", err)
	}
	return w, nil
}

// offOf returns the offset of the definition behind t, or 0.
func (e *elab) offOf(t *sty) int64 {
	for i := 0; t != nil && i < maxTypeDepth; i++ {
		if t.def != nil {
			return t.def.Off
		}
		t = t.target
	}
	return 0
}

// witPrims are the wit kinds of the primitive types (constant data,
// indexed by the byte).
var witPrims = [256]wit.Kind{
	PrimBool: wit.Bool, PrimS8: wit.S8, PrimU8: wit.U8, PrimS16: wit.S16, PrimU16: wit.U16,
	PrimS32: wit.S32, PrimU32: wit.U32, PrimS64: wit.S64, PrimU64: wit.U64, PrimF32: wit.F32,
	PrimF64: wit.F64, PrimChar: wit.Char, PrimString: wit.String, PrimErrorContext: wit.ErrorContext,
}

var witKinds = [...]wit.Kind{
	tRecord: wit.Record, tVariant: wit.Variant, tList: wit.List, tFixedList: wit.List, tMap: wit.Map,
	tTuple: wit.Tuple, tFlags: wit.Flags, tEnum: wit.Enum, tOption: wit.Option, tResult: wit.Result,
	tOwn: wit.Own, tBorrow: wit.Borrow, tFuture: wit.Future, tStream: wit.Stream, tResource: wit.Resource,
}

func addSize(a, b int) int {
	if s := a + b; s < maxTypeSize*2 {
		return s
	}
	return maxTypeSize * 2
}

// conv converts an elaborated value type to a wit.Type, memoized per type
// (so the result is a DAG whose expanded size is tracked in t.size).
func (e *elab) conv(t *sty, depth int) (*wit.Type, error) {
	if t.kind == tPrim {
		// Primitive types are shared by all components: memoize per World call.
		if e.prims[t.prim] == nil {
			e.prims[t.prim] = &wit.Type{Kind: witPrims[t.prim]}
		}
		return e.prims[t.prim], nil
	}
	if t.conv != nil {
		return t.conv, nil
	}
	if depth > maxTypeDepth {
		return nil, errors.New(wit.DepthMessage)
	}
	if t.state == 1 {
		return nil, fmt.Errorf("type refers to itself")
	}
	if err := e.step(1); err != nil {
		return nil, err
	}
	t.state = 1
	defer func() { t.state = 0 }()
	w, size, err := e.conv1(t, depth)
	if err != nil {
		return nil, err
	}
	t.conv, t.size = w, size
	return w, nil
}

func (e *elab) conv1(t *sty, depth int) (*wit.Type, int, error) {
	switch t.kind {
	case tResource:
		return &wit.Type{Kind: wit.Resource, Name: t.name, Owner: t.owner}, 1, nil
	case tNamed:
		if !t.visible {
			w, err := e.conv(t.target, depth+1)
			return w, t.target.size, err
		}
		tgt := e.peel(t.target)
		if (tgt.kind == tNamed || tgt.kind == tResource) && tgt.visible && tgt.name == t.name {
			// A WIT use: the reference is to the original definition.
			w, err := e.conv(tgt, depth+1)
			return w, tgt.size, err
		}
		// A definition (target anonymous) or an alias (target named
		// otherwise): the target's structure under this name.
		w, err := e.conv(tgt, depth+1)
		if err != nil {
			return nil, 0, err
		}
		c := *w
		c.Name, c.Owner = t.name, t.owner
		if w.Kind == wit.Resource {
			c.Elem = wit.AliasOf(w) // an alias of a resource names it
		}
		return &c, tgt.size, nil
	case tFunc, tInstance, tComponent:
		return nil, 0, fmt.Errorf("not a value type")
	}
	w := &wit.Type{Kind: witKinds[t.kind]}
	size := 1
	kid := func(i int) (*wit.Type, error) {
		k := t.kids[i]
		if k == nil {
			return nil, nil
		}
		kw, err := e.conv(k, depth+1)
		size = addSize(size, k.size)
		return kw, err
	}
	var err error
	td := t.def
	switch t.kind {
	case tRecord:
		w.Fields = make([]wit.Field, len(td.Fields))
		for i, f := range td.Fields {
			w.Fields[i].Name = f.Name
			if w.Fields[i].Type, err = kid(i); err != nil {
				return nil, 0, err
			}
		}
	case tVariant:
		w.Cases = make([]wit.Case, len(td.Cases))
		for i, c := range td.Cases {
			w.Cases[i].Name = c.Name
			if w.Cases[i].Type, err = kid(i); err != nil {
				return nil, 0, err
			}
		}
	case tTuple:
		w.Elems = make([]*wit.Type, len(td.Elems))
		for i := range td.Elems {
			if w.Elems[i], err = kid(i); err != nil {
				return nil, 0, err
			}
		}
	case tFlags, tEnum:
		w.Labels = td.Labels
	case tList, tOption, tOwn, tBorrow, tFuture, tStream:
		w.Elem, err = kid(0)
	case tFixedList:
		w.Elem, err = kid(0)
		w.Len = td.Len
	case tMap:
		// map<K, V>: Elem is tuple<K, V> (see wit.Map).
		tup := &wit.Type{Kind: wit.Tuple, Elems: make([]*wit.Type, 2)}
		if tup.Elems[0], err = kid(0); err == nil {
			tup.Elems[1], err = kid(1)
		}
		w.Elem = tup
	case tResult:
		if w.Ok, err = kid(0); err == nil {
			w.Err, err = kid(1)
		}
	}
	if err != nil {
		return nil, 0, err
	}
	return w, size, nil
}
