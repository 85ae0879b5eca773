package wasmtools

import (
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"sync"

	bawit "go.bytecodealliance.org/wit"

	"github.com/wfcompat/wfcompat/wit"
)

// LoadWIT reads WIT from path, a .wit file, a directory of them (with its
// deps/ folder), or a component binary, through go.bytecodealliance.org's
// embedded wasm-tools, and returns the world called world. world may be a
// plain name ("api") or a qualified one ("golem:it/api", "golem:it/api@1.0.0").
// With world == "", the input must hold exactly one world, or its main
// package must; otherwise the error lists the worlds to choose from.
func LoadWIT(path, world string) (*wit.World, error) {
	// The embedded wasm-tools sees only the directory of path, preopened
	// under the name it is given: an absolute name resolves from anywhere.
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	// The embedded wasm-tools parses nesting recursively and traps (a raw
	// wasm stack trace) on types nested a few thousand deep: refuse
	// beyond wit.MaxTypeDepth before it runs.
	if err := checkWITNesting(path); err != nil {
		return nil, fmt.Errorf("load WIT %s: %w", path, err)
	}
	loadWITMu.Lock()
	res, err := bawit.LoadWIT(path)
	loadWITMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("load WIT %s: %w", path, err)
	}
	w, err := SelectWorld(res, world)
	if err != nil {
		return nil, fmt.Errorf("load WIT %s: %w", path, err)
	}
	return FromResolve(res, w)
}

// loadWITMu serializes go.bytecodealliance.org's LoadWIT: its embedded
// wasm-tools is one process-wide wazero instance, and two overlapping
// calls (diff reads OLD and NEW at once) crash it ("index out of range"
// in wazero's function table).
var loadWITMu sync.Mutex

// SelectWorld picks the world named world from res, as LoadWIT does.
func SelectWorld(res *bawit.Resolve, world string) (*bawit.World, error) {
	names := make([]string, 0, len(res.Worlds))
	for _, w := range res.Worlds {
		names = append(names, worldName(w))
	}
	if world != "" {
		var found []*bawit.World
		for _, w := range res.Worlds {
			if w.Package != nil && w.Match(world) || w.Package == nil && w.Name == world {
				found = append(found, w)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 0:
			return nil, fmt.Errorf("no world %q (worlds: %s)", world, strings.Join(names, ", "))
		}
		var amb []string
		for _, w := range found {
			amb = append(amb, worldName(w))
		}
		return nil, fmt.Errorf("world %q is ambiguous (%s): give its qualified name", world, strings.Join(amb, ", "))
	}
	switch {
	case len(res.Worlds) == 1:
		return res.Worlds[0], nil
	case len(res.Worlds) == 0:
		return nil, errors.New("no world defined")
	}
	// wasm-tools lists packages in dependency order: the main package last.
	if n := len(res.Packages); n > 0 && res.Packages[n-1].Worlds.Len() == 1 {
		var w *bawit.World
		res.Packages[n-1].Worlds.All()(func(_ string, x *bawit.World) bool { w = x; return false })
		return w, nil
	}
	return nil, fmt.Errorf("%d worlds, choose one: %s", len(names), strings.Join(names, ", "))
}

func worldName(w *bawit.World) string {
	if w.Package == nil {
		return w.Name
	}
	id := w.Package.Name
	id.Extension = w.Name
	return identString(id)
}

// identString is Ident.String without WIT keyword escapes: names as a
// component binary spells them.
func identString(id bawit.Ident) string {
	s := id.Namespace + ":" + id.Package
	if id.Extension != "" {
		s += "/" + id.Extension
	}
	if id.Version != nil {
		s += "@" + id.Version.String()
	}
	return s
}

// FromResolve converts world w of res to the world model. Interfaces are
// keyed by their qualified names with version; references to named types
// carry the name and owner of their definition, following `use` to the
// interface that defines the type (an alias of another name, `type a = b`
// or `use x.{b as a}`, keeps its own name and owner with b's structure);
// docs are kept.
func FromResolve(res *bawit.Resolve, w *bawit.World) (*wit.World, error) {
	if w == nil {
		return nil, errors.New("nil world")
	}
	c := &fromResolve{memo: make(map[*bawit.TypeDef]*wit.Type)}
	out := &wit.World{Name: w.Name, Docs: w.Docs.Contents}
	if w.Package != nil {
		out.Package = identString(w.Package.Name)
	}
	var err error
	if out.Imports, err = c.items(&w.Imports, "import"); err != nil {
		return nil, err
	}
	if out.Exports, err = c.items(&w.Exports, "export"); err != nil {
		return nil, err
	}
	if err := wit.CheckLimits(out); err != nil {
		return nil, err
	}
	return out, nil
}

type orderedItems interface {
	All() iter.Seq2[string, bawit.WorldItem]
	Len() int
}

type fromResolve struct {
	memo map[*bawit.TypeDef]*wit.Type
}

func (c *fromResolve) items(m orderedItems, what string) ([]*wit.Item, error) {
	items := make([]*wit.Item, 0, m.Len())
	var err error
	m.All()(func(key string, wi bawit.WorldItem) bool {
		var it *wit.Item
		switch v := wi.(type) {
		case *bawit.InterfaceRef:
			name := key
			if in := v.Interface; in != nil && in.Name != nil && in.Package != nil {
				name = interfaceName(in)
			}
			var in *wit.Interface
			if in, err = c.iface(name, v.Interface); err == nil {
				it = &wit.Item{Name: name, Kind: wit.ItemInterface, Interface: in}
			}
		case *bawit.Function:
			var f *wit.Function
			if f, err = c.function(v); err == nil {
				it = &wit.Item{Name: key, Kind: wit.ItemFunction, Function: f}
			}
		case *bawit.TypeDef:
			var t *wit.Type
			if t, err = c.typeDef(v); err == nil {
				it = &wit.Item{Name: key, Kind: wit.ItemType, Type: &wit.TypeDef{Name: key, Type: t, Docs: v.Docs.Contents}}
			}
		default:
			err = fmt.Errorf("%s %q: unsupported world item %T", what, key, wi)
		}
		if err != nil {
			err = fmt.Errorf("%s %q: %w", what, key, err)
			return false
		}
		items = append(items, it)
		return true
	})
	return items, err
}

func interfaceName(in *bawit.Interface) string {
	id := in.Package.Name
	id.Extension = *in.Name
	return identString(id)
}

func (c *fromResolve) iface(name string, in *bawit.Interface) (*wit.Interface, error) {
	if in == nil {
		return nil, errors.New("nil interface")
	}
	out := &wit.Interface{Name: name, Docs: in.Docs.Contents}
	var err error
	in.TypeDefs.All()(func(n string, td *bawit.TypeDef) bool {
		var t *wit.Type
		if t, err = c.typeDef(td); err != nil {
			err = fmt.Errorf("type %q: %w", n, err)
			return false
		}
		out.Types = append(out.Types, &wit.TypeDef{Name: n, Type: t, Docs: td.Docs.Contents})
		return true
	})
	if err != nil {
		return nil, err
	}
	in.Functions.All()(func(_ string, f *bawit.Function) bool {
		var fn *wit.Function
		if fn, err = c.function(f); err != nil {
			return false
		}
		out.Functions = append(out.Functions, fn)
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *fromResolve) function(f *bawit.Function) (*wit.Function, error) {
	// go.bytecodealliance.org v0.7.0 decodes the function kinds freestanding,
	// method, static and constructor; it leaves Kind nil for the async kinds
	// of the wasm-tools it embeds (async-freestanding, async-method,
	// async-static), the only others. Binaries of that wasm-tools also mark
	// async functions by name prefixes ([async], [async method], [async
	// static]), which the native decoder reads: check both.
	async := f.Kind == nil || strings.HasPrefix(f.Name, "[async]") ||
		strings.HasPrefix(f.Name, "[async method]") || strings.HasPrefix(f.Name, "[async static]")
	out := &wit.Function{Name: f.Name, Async: async, Docs: f.Docs.Contents, Params: make([]wit.Param, len(f.Params))}
	for i, p := range f.Params {
		t, err := c.typ(p.Type)
		if err != nil {
			return nil, fmt.Errorf("function %q, parameter %q: %w", f.Name, p.Name, err)
		}
		out.Params[i] = wit.Param{Name: p.Name, Type: t}
	}
	switch {
	case len(f.Results) == 0:
	case len(f.Results) == 1 && f.Results[0].Name == "":
		t, err := c.typ(f.Results[0].Type)
		if err != nil {
			return nil, fmt.Errorf("function %q, result: %w", f.Name, err)
		}
		out.Result = t
	default:
		return nil, fmt.Errorf("function %q has %d named results, which the world model cannot express", f.Name, len(f.Results))
	}
	return out, nil
}

func (c *fromResolve) typ(t bawit.Type) (*wit.Type, error) {
	switch t := t.(type) {
	case nil:
		return nil, errors.New("missing type")
	case *bawit.TypeDef:
		return c.typeDef(t)
	}
	if k, ok := primKind(t); ok {
		return &wit.Type{Kind: k}, nil
	}
	return nil, fmt.Errorf("unsupported type %T", t)
}

func primKind(t bawit.TypeDefKind) (wit.Kind, bool) {
	switch t.(type) {
	case bawit.Bool:
		return wit.Bool, true
	case bawit.S8:
		return wit.S8, true
	case bawit.U8:
		return wit.U8, true
	case bawit.S16:
		return wit.S16, true
	case bawit.U16:
		return wit.U16, true
	case bawit.S32:
		return wit.S32, true
	case bawit.U32:
		return wit.U32, true
	case bawit.S64:
		return wit.S64, true
	case bawit.U64:
		return wit.U64, true
	case bawit.F32:
		return wit.F32, true
	case bawit.F64:
		return wit.F64, true
	case bawit.Char:
		return wit.Char, true
	case bawit.String:
		return wit.String, true
	case bawit.ErrorContext:
		return wit.ErrorContext, true
	}
	return "", false
}

func typeOwner(o bawit.TypeOwner) string {
	if in, ok := o.(*bawit.Interface); ok && in != nil {
		if in.Name == nil {
			return ""
		}
		if in.Package == nil {
			return *in.Name
		}
		return interfaceName(in)
	}
	return "" // a world, or none
}

// typeDef converts a type definition (named or anonymous). Results are
// memoized, so trees may share subtrees.
func (c *fromResolve) typeDef(td *bawit.TypeDef) (*wit.Type, error) {
	if t, ok := c.memo[td]; ok {
		if t == nil {
			return nil, errors.New("type refers to itself")
		}
		return t, nil
	}
	c.memo[td] = nil
	t, err := c.typeDef1(td)
	if err != nil {
		delete(c.memo, td)
		return nil, err
	}
	c.memo[td] = t
	return t, nil
}

func (c *fromResolve) typeDef1(td *bawit.TypeDef) (*wit.Type, error) {
	name := td.TypeName()
	owner := ""
	if name != "" {
		owner = typeOwner(td.Owner)
	}
	if alias, ok := td.Kind.(*bawit.TypeDef); ok {
		target, err := c.typeDef(alias)
		if err != nil {
			return nil, err
		}
		if name == "" || alias.TypeName() == name {
			// Anonymous, or a WIT use: the reference is to the original.
			return target, nil
		}
		// An alias under another name: its own name, the target's
		// structure; an alias of a resource names the resource.
		t := *target
		t.Name, t.Owner = name, owner
		if target.Kind == wit.Resource {
			t.Elem = wit.AliasOf(target)
		}
		return &t, nil
	}
	t := &wit.Type{Name: name, Owner: owner}
	if k, ok := primKind(td.Kind); ok {
		t.Kind = k
		return t, nil
	}
	var err error
	switch k := td.Kind.(type) {
	case *bawit.Record:
		t.Kind = wit.Record
		t.Fields = make([]wit.Field, len(k.Fields))
		for i, f := range k.Fields {
			t.Fields[i] = wit.Field{Name: f.Name, Docs: f.Docs.Contents}
			if t.Fields[i].Type, err = c.typ(f.Type); err != nil {
				return nil, fmt.Errorf("field %q: %w", f.Name, err)
			}
		}
	case *bawit.Variant:
		t.Kind = wit.Variant
		t.Cases = make([]wit.Case, len(k.Cases))
		for i, cs := range k.Cases {
			t.Cases[i] = wit.Case{Name: cs.Name, Docs: cs.Docs.Contents}
			if cs.Type != nil {
				if t.Cases[i].Type, err = c.typ(cs.Type); err != nil {
					return nil, fmt.Errorf("case %q: %w", cs.Name, err)
				}
			}
		}
	case *bawit.Enum:
		t.Kind = wit.Enum
		t.Labels = make([]string, len(k.Cases))
		for i, cs := range k.Cases {
			t.Labels[i] = cs.Name
		}
	case *bawit.Flags:
		t.Kind = wit.Flags
		t.Labels = make([]string, len(k.Flags))
		for i, f := range k.Flags {
			t.Labels[i] = f.Name
		}
	case *bawit.Tuple:
		t.Kind = wit.Tuple
		t.Elems = make([]*wit.Type, len(k.Types))
		for i, e := range k.Types {
			if t.Elems[i], err = c.typ(e); err != nil {
				return nil, err
			}
		}
	case *bawit.List:
		t.Kind = wit.List
		t.Elem, err = c.typ(k.Type)
	case *bawit.Option:
		t.Kind = wit.Option
		t.Elem, err = c.typ(k.Type)
	case *bawit.Result:
		t.Kind = wit.Result
		if k.OK != nil {
			t.Ok, err = c.typ(k.OK)
		}
		if err == nil && k.Err != nil {
			t.Err, err = c.typ(k.Err)
		}
	case *bawit.Own:
		t.Kind = wit.Own
		t.Elem, err = c.handle(k.Type)
	case *bawit.Borrow:
		t.Kind = wit.Borrow
		t.Elem, err = c.handle(k.Type)
	case *bawit.Future:
		t.Kind = wit.Future
		if k.Type != nil {
			t.Elem, err = c.typ(k.Type)
		}
	case *bawit.Stream:
		t.Kind = wit.Stream
		if k.Type != nil {
			t.Elem, err = c.typ(k.Type)
		}
	case *bawit.Resource:
		t.Kind = wit.Resource
	case nil:
		// go.bytecodealliance.org v0.7.0 leaves Kind nil for kinds it does
		// not know, such as fixed-size lists.
		return nil, fmt.Errorf("type %q: a kind go.bytecodealliance.org does not decode", name)
	default:
		return nil, fmt.Errorf("type %q: unsupported kind %T", name, td.Kind)
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (c *fromResolve) handle(r *bawit.TypeDef) (*wit.Type, error) {
	if r == nil {
		return nil, errors.New("handle without a resource")
	}
	t, err := c.typeDef(r)
	if err != nil {
		return nil, err
	}
	if t.Kind != wit.Resource {
		return nil, fmt.Errorf("handle to %s %q, not a resource", t.Kind, t.Name)
	}
	return t, nil
}
