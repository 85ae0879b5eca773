package component

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/internal/quote"
	"github.com/wfcompat/wfcompat/wit"
)

// World extraction.
//
// The component's definitions are elaborated into semantic values, the way
// a validator would: types, function types, instances and components, in
// index-space order, with nested components instantiated with their
// arguments (wit-component wraps every exported interface in such a shim
// component, whose type exports give the interface's types their names).
// Naming follows the binary:
//
//   - A type export of an instance type, `(export "n" (type (eq i)))` or
//     `(export "n" (type (sub resource)))`, names a type n owned by the
//     interface the instance is imported or exported as.
//   - A name whose target is a named type of the same name is a WIT `use`
//     and is transparent: references carry the original name and owner.
//   - A name whose target is a named type of another name is a type alias
//     (`type headers = fields`, `use x.{a as b}`): references carry the
//     alias's name and owner and the target's structure, as wit.Type says.
//   - Names given inside nested components (shim imports such as
//     "import-type-foo", the shim's own type exports before the shim's
//     instance is exported) are not WIT names until the enclosing instance
//     is exported at the top level, which gives them their owner.

// World returns the world of the component: its top-level imports and
// exports, with function signatures and types resolved to wit.Type trees.
// Name is "root" and Package "", as binaries record neither. The returned
// types may share subtrees: treat them as read-only.
func (c *Component) World() (*wit.World, error) {
	// The budget grows with the input: linear work always fits, and only
	// blow-ups (a nested component instantiated over and over, an instance
	// type imported many times) exhaust it.
	e := &elab{budget: elabBudget + 16*int(min(c.End-c.Off, 1<<30)), limit: wit.NewLimiter()}
	sc := &scope{}
	imps, exps, err := e.body(c, sc, nil, true)
	if err != nil {
		return nil, err
	}
	w := &wit.World{Name: "root", Imports: make([]*wit.Item, 0, len(imps)), Exports: make([]*wit.Item, 0, len(exps))}
	for _, x := range imps {
		it, err := e.item(x, "import")
		if err != nil {
			return nil, located(err)
		}
		w.Imports = append(w.Imports, it)
	}
	for _, x := range exps {
		it, err := e.item(x, "export")
		if err != nil {
			return nil, located(err)
		}
		w.Exports = append(w.Exports, it)
	}
	if e.budget < 0 {
		return nil, errBudget
	}
	return w, nil
}

// located moves the offset of a *FormatError wrapped in context to the
// front: "offset 0x1a: export "f", parameter "x": …".
func located(err error) error {
	var fe *FormatError
	if !errors.As(err, &fe) || fe == err {
		return err
	}
	msg := strings.Replace(err.Error(), fe.Error(), fe.Msg, 1)
	return &FormatError{Off: fe.Off, Msg: msg, Val: fe.Val}
}

const (
	elabBudget   = 1 << 20              // elaboration steps (plus 16 per byte of input)
	maxTypeDepth = 4 * wit.MaxTypeDepth // recursion of the conversion; wit.Limiter enforces the nesting limit
	maxElabDepth = 128                  // nesting of instantiations and instance types
	maxTypeSize  = wit.MaxWorldNodes    // nodes of one value type, expanded as a tree
)

type tkind uint8

const (
	tPrim tkind = iota
	tRecord
	tVariant
	tList
	tFixedList
	tTuple
	tFlags
	tEnum
	tOption
	tResult
	tOwn
	tBorrow
	tFuture
	tStream
	tMap
	tResource
	tNamed // a name given to target by a type import or export
	tFunc
	tInstance  // an instance type, elaborated per use
	tComponent // a component type
)

// sty is an elaborated type.
type sty struct {
	kind tkind
	prim Prim
	def  *TypeDef // defined value types, functions, instance and component types
	kids []*sty   // the value types def refers to, in its order (nil for an absent optional type)

	// tNamed and tResource
	name    string
	owner   string
	visible bool  // a WIT name (owner is meaningful)
	target  *sty  // tNamed
	bk      tkind // tNamed: the kind of target, names skipped

	sc *scope // tInstance, tComponent: the defining scope

	conv  *wit.Type // memoized conversion
	size  int       // expanded size of conv
	state uint8     // 1 while converting
}

type sinst struct {
	exports []ext
}

// ext is one named item: an export of an instance, or a top-level import
// or export.
type ext struct {
	name string
	sort Sort
	ty   *sty   // SortType: the type; SortFunc: the function type; SortComponent: the component type (if typed)
	inst *sinst // SortInstance
	comp *scomp // SortComponent
}

type scomp struct {
	body *Component // a component definition, or
	ty   *sty       // a component type (imported components)
	sc   *scope     // the defining scope of body
}

type scope struct {
	parent *scope
	types  []*sty
	funcs  []*sty
	insts  []*sinst
	comps  []*scomp
}

type elab struct {
	stys   []sty // allocation chunk
	budget int
	depth  int          // nested instantiations and instance type elaborations
	limit  *wit.Limiter // the world's type limits, shared with WIT text
	prims  [256]*wit.Type
}

// mk allocates an elaborated type, from chunks.
func (e *elab) mk(v sty) *sty {
	if len(e.stys) == cap(e.stys) {
		e.stys = make([]sty, 0, 64)
	}
	e.stys = append(e.stys, v)
	return &e.stys[len(e.stys)-1]
}

var errBudget = errors.New("component too complex to elaborate")

func (e *elab) step(n int) error {
	e.budget -= n
	if e.budget < 0 {
		return errBudget
	}
	return nil
}

// prims are the primitive types, one for each name in primNames, shared by
// every component (constant data, indexed by the byte; nil for none).
var prims = [256]*sty{
	PrimBool:         {kind: tPrim, prim: PrimBool, size: 1},
	PrimS8:           {kind: tPrim, prim: PrimS8, size: 1},
	PrimU8:           {kind: tPrim, prim: PrimU8, size: 1},
	PrimS16:          {kind: tPrim, prim: PrimS16, size: 1},
	PrimU16:          {kind: tPrim, prim: PrimU16, size: 1},
	PrimS32:          {kind: tPrim, prim: PrimS32, size: 1},
	PrimU32:          {kind: tPrim, prim: PrimU32, size: 1},
	PrimS64:          {kind: tPrim, prim: PrimS64, size: 1},
	PrimU64:          {kind: tPrim, prim: PrimU64, size: 1},
	PrimF32:          {kind: tPrim, prim: PrimF32, size: 1},
	PrimF64:          {kind: tPrim, prim: PrimF64, size: 1},
	PrimChar:         {kind: tPrim, prim: PrimChar, size: 1},
	PrimString:       {kind: tPrim, prim: PrimString, size: 1},
	PrimErrorContext: {kind: tPrim, prim: PrimErrorContext, size: 1},
}

func werr(off int64, format string, args ...any) error {
	return &FormatError{Off: off, Msg: fmt.Sprintf(format, quote.Args(args)...)}
}

// view returns sc as it is now: a scope that later definitions in sc do
// not change. Types and components capture the view of their defining
// scope, so that their outer aliases see only what was defined before them,
// as validation requires (and no definition can reach itself).
func (sc *scope) view() *scope {
	return &scope{
		parent: sc.parent,
		types:  sc.types[:len(sc.types):len(sc.types)],
		funcs:  sc.funcs[:len(sc.funcs):len(sc.funcs)],
		insts:  sc.insts[:len(sc.insts):len(sc.insts)],
		comps:  sc.comps[:len(sc.comps):len(sc.comps)],
	}
}

func (sc *scope) typ(off int64, i uint32) (*sty, error) {
	if uint64(i) >= uint64(len(sc.types)) {
		return nil, &FormatError{Off: off, Msg: fmt.Sprintf("type index %d out of range (%d defined)", i, len(sc.types)), Val: i}
	}
	return sc.types[i], nil
}

func (sc *scope) outer(off int64, count uint32) (*scope, error) {
	s := sc
	for i := uint32(0); i < count; i++ {
		s = s.parent
		if s == nil {
			return nil, werr(off, "outer alias count %d exceeds the %d enclosing scopes", count, i)
		}
	}
	return s, nil
}

// peel skips names that are not WIT names. Each hop costs a step of the
// budget (chains of names can be long); when the budget runs out it stops
// early, and World reports the exhausted budget.
func (e *elab) peel(t *sty) *sty {
	for t.kind == tNamed && !t.visible && e.budget >= 0 {
		e.budget--
		t = t.target
	}
	return t
}

// baseKind is the kind of t with all names skipped.
func (t *sty) baseKind() tkind {
	if t.kind == tNamed {
		return t.bk
	}
	return t.kind
}

func isValue(t *sty) bool {
	return t.baseKind() < tFunc
}

// valType resolves a value type reference.
func (sc *scope) valType(off int64, v ValType) (*sty, error) {
	if v.IsPrim() {
		return prims[v.Prim], nil
	}
	t, err := sc.typ(off, v.Index)
	if err != nil {
		return nil, err
	}
	if !isValue(t) {
		return nil, werr(off, "type index %d is not a value type", v.Index)
	}
	return t, nil
}

func (sc *scope) optValType(off int64, v OptValType) (*sty, error) {
	if !v.Set {
		return nil, nil
	}
	return sc.valType(off, v.ValType)
}

// defKind is the elaborated kind of a defined value type's kind; false for
// the kinds that are not defined value types.
func defKind(k TypeKind) (tkind, bool) {
	switch k {
	case KindRecord:
		return tRecord, true
	case KindVariant:
		return tVariant, true
	case KindList:
		return tList, true
	case KindFixedList:
		return tFixedList, true
	case KindTuple:
		return tTuple, true
	case KindFlags:
		return tFlags, true
	case KindEnum:
		return tEnum, true
	case KindOption:
		return tOption, true
	case KindResult:
		return tResult, true
	case KindOwn:
		return tOwn, true
	case KindBorrow:
		return tBorrow, true
	case KindFuture:
		return tFuture, true
	case KindStream:
		return tStream, true
	case KindMap:
		return tMap, true
	}
	return 0, false
}

// defType elaborates a type definition in scope sc.
func (e *elab) defType(td *TypeDef, sc *scope) (*sty, error) {
	if err := e.step(1); err != nil {
		return nil, err
	}
	off := td.Off
	switch td.Kind {
	case KindPrim:
		if t := prims[td.Prim]; t != nil {
			return t, nil
		}
		return nil, werr(off, "invalid primitive type 0x%02x", byte(td.Prim))
	case KindResource, KindResourceAsync:
		return e.mk(sty{kind: tResource}), nil
	case KindInstance:
		return e.mk(sty{kind: tInstance, def: td, sc: sc.view()}), nil
	case KindComponent:
		return e.mk(sty{kind: tComponent, def: td, sc: sc.view()}), nil
	}
	t := e.mk(sty{def: td})
	var err error
	add := func(v ValType) {
		if err == nil {
			var k *sty
			k, err = sc.valType(off, v)
			t.kids = append(t.kids, k)
		}
	}
	addOpt := func(v OptValType) {
		if err == nil {
			var k *sty
			k, err = sc.optValType(off, v)
			t.kids = append(t.kids, k)
		}
	}
	switch td.Kind {
	case KindFunc:
		t.kind = tFunc
		t.kids = make([]*sty, 0, len(td.Fields)+1+len(td.Named))
		for _, f := range td.Fields {
			add(f.Type)
		}
		if td.NamedResults {
			for _, f := range td.Named {
				add(f.Type)
			}
		} else {
			addOpt(td.Opt)
		}
		return t, err
	case KindOwn, KindBorrow:
		t.kind, _ = defKind(td.Kind)
		r, err := sc.typ(off, td.Res)
		if err != nil {
			return nil, err
		}
		if r.baseKind() != tResource {
			return nil, werr(off, "%s of type index %d, which is not a resource", td.Kind, td.Res)
		}
		t.kids = []*sty{r}
		return t, nil
	}
	k, ok := defKind(td.Kind)
	if !ok {
		return nil, werr(off, "unexpected type definition %s", td.Kind)
	}
	t.kind = k
	switch td.Kind {
	case KindRecord:
		t.kids = make([]*sty, 0, len(td.Fields))
		for _, f := range td.Fields {
			add(f.Type)
		}
	case KindVariant:
		t.kids = make([]*sty, 0, len(td.Cases))
		for _, c := range td.Cases {
			addOpt(c.Type)
		}
	case KindTuple:
		t.kids = make([]*sty, 0, len(td.Elems))
		for _, v := range td.Elems {
			add(v)
		}
	case KindList, KindFixedList, KindOption:
		add(td.Elem)
	case KindMap:
		add(td.Elem)
		add(td.Value)
	case KindResult:
		addOpt(td.Ok)
		addOpt(td.Err)
	case KindFuture, KindStream:
		addOpt(td.Opt)
	}
	return t, err
}

// body elaborates the definitions of a component in scope sc, binding its
// imports to args (nil at the top level). It returns the imports and exports.
func (e *elab) body(c *Component, sc *scope, args map[string]ext, top bool) (imps, exps []ext, err error) {
	for si := range c.Sections {
		s := &c.Sections[si]
		if err := e.step(1); err != nil {
			return nil, nil, err
		}
		for i := s.First; i < s.First+s.Count; i++ {
			switch s.ID {
			case SecComponent:
				sc.comps = append(sc.comps, &scomp{body: c.Components[i], sc: sc.view()})
			case SecInstance:
				in, err := e.instance(&c.Instances[i], sc)
				if err != nil {
					return nil, nil, err
				}
				sc.insts = append(sc.insts, in)
			case SecAlias:
				if err := e.alias(&c.Aliases[i], sc); err != nil {
					return nil, nil, err
				}
			case SecType:
				t, err := e.defType(c.Types[i], sc)
				if err != nil {
					return nil, nil, err
				}
				sc.types = append(sc.types, t)
			case SecCanon:
				cn := &c.Canons[i]
				if cn.Op == CanonLift {
					t, err := sc.typ(cn.Off, cn.Type)
					if err != nil {
						return nil, nil, err
					}
					if t.kind != tFunc {
						return nil, nil, werr(cn.Off, "canon lift with type index %d, which is not a function type", cn.Type)
					}
					sc.funcs = append(sc.funcs, t)
				}
			case SecImport:
				im := &c.Imports[i]
				x, err := e.bindImport(im.Off, im.Name, im.Desc, sc, args, "", top)
				if err != nil {
					return nil, nil, err
				}
				imps = append(imps, x)
			case SecExport:
				x, err := e.export(&c.Exports[i], sc, top)
				if err != nil {
					return nil, nil, err
				}
				exps = append(exps, x)
			}
		}
	}
	return imps, exps, nil
}

func fullName(n Name) string {
	if n.Prefix == 0x02 {
		return n.Name + n.VersionSuffix
	}
	return n.Name
}

// push appends x to the index space of its sort.
func (sc *scope) push(x ext) {
	switch x.sort {
	case SortType:
		sc.types = append(sc.types, x.ty)
	case SortFunc:
		sc.funcs = append(sc.funcs, x.ty)
	case SortInstance:
		sc.insts = append(sc.insts, x.inst)
	case SortComponent:
		sc.comps = append(sc.comps, x.comp)
	}
}

// bindImport elaborates an import (or an import declarator) and appends it
// to its index space. An import named in args is bound to the argument;
// otherwise its descriptor gives its type. owner and visible name the types
// it declares.
func (e *elab) bindImport(off int64, n Name, d ExternDesc, sc *scope, args map[string]ext, owner string, visible bool) (ext, error) {
	name := fullName(n)
	x := ext{name: name, sort: d.Sort}
	if a, ok := args[n.Name]; ok && a.sort == d.Sort {
		x.ty, x.inst, x.comp = a.ty, a.inst, a.comp
		sc.push(x)
		return x, nil
	}
	switch d.Sort {
	case SortType:
		if d.Bound == BoundSubResource {
			x.ty = e.mk(sty{kind: tResource, name: name, owner: owner, visible: visible})
		} else {
			t, err := sc.typ(off, d.Index)
			if err != nil {
				return x, err
			}
			x.ty = e.newNamed(name, owner, visible, t)
		}
	case SortFunc:
		t, err := sc.typ(off, d.Index)
		if err != nil {
			return x, err
		}
		if t.kind != tFunc {
			return x, werr(off, "import %q: type index %d is not a function type", name, d.Index)
		}
		x.ty = t
	case SortInstance:
		t, err := sc.typ(off, d.Index)
		if err != nil {
			return x, err
		}
		if t.kind != tInstance {
			return x, werr(off, "import %q: type index %d is not an instance type", name, d.Index)
		}
		inst, err := e.decls(t, nil, name, visible)
		if err != nil {
			return x, err
		}
		x.inst = inst
	case SortComponent:
		t, err := sc.typ(off, d.Index)
		if err != nil {
			return x, err
		}
		if t.kind != tComponent {
			return x, werr(off, "import %q: type index %d is not a component type", name, d.Index)
		}
		x.comp = &scomp{ty: t}
	}
	sc.push(x)
	return x, nil
}

func (e *elab) newNamed(name, owner string, visible bool, target *sty) *sty {
	t := e.mk(sty{kind: tNamed, name: name, owner: owner, visible: visible, target: target, bk: target.baseKind()})
	if visible {
		e.nameResource(t)
	}
	return t
}

// nameResource gives an anonymous resource the name of the first WIT name
// that refers to it, for references that skip the name.
func (e *elab) nameResource(t *sty) {
	r := e.peel(t.target)
	if r.kind == tResource && r.name == "" {
		r.name, r.owner, r.visible = t.name, t.owner, true
	}
}

// claim makes the type names of an instance exported at the top level WIT
// names owned by the export.
func (e *elab) claim(inst *sinst, owner string) {
	for _, x := range inst.exports {
		if x.sort != SortType {
			continue
		}
		t := x.ty
		switch {
		case t.kind == tNamed && !t.visible:
			t.visible, t.owner = true, owner
			e.nameResource(t)
		case t.kind == tResource && t.name == "":
			t.name, t.owner, t.visible = x.name, owner, true
		}
	}
}

func (e *elab) export(ex *Export, sc *scope, top bool) (ext, error) {
	name := fullName(ex.Name)
	x := ext{name: name, sort: ex.Sort}
	off := ex.Off
	switch ex.Sort {
	case SortType:
		t, err := sc.typ(off, ex.Index)
		if err != nil {
			return x, err
		}
		if ex.HasDesc && ex.Desc.Bound == BoundEq {
			if _, err := sc.typ(off, ex.Desc.Index); err != nil {
				return x, err
			}
		}
		x.ty = e.newNamed(name, "", top, t)
	case SortFunc:
		if uint64(ex.Index) >= uint64(len(sc.funcs)) {
			return x, werr(off, "export %q: func index %d out of range (%d defined)", name, ex.Index, len(sc.funcs))
		}
		x.ty = sc.funcs[ex.Index]
		if ex.HasDesc {
			t, err := sc.typ(off, ex.Desc.Index)
			if err != nil {
				return x, err
			}
			if t.kind != tFunc {
				return x, werr(off, "export %q: type index %d is not a function type", name, ex.Desc.Index)
			}
			x.ty = t
		}
	case SortInstance:
		if uint64(ex.Index) >= uint64(len(sc.insts)) {
			return x, werr(off, "export %q: instance index %d out of range (%d defined)", name, ex.Index, len(sc.insts))
		}
		x.inst = sc.insts[ex.Index]
		if ex.HasDesc {
			t, err := sc.typ(off, ex.Desc.Index)
			if err != nil {
				return x, err
			}
			if t.kind != tInstance {
				return x, werr(off, "export %q: type index %d is not an instance type", name, ex.Desc.Index)
			}
			owner := ""
			if top {
				owner = name
			}
			inst, err := e.decls(t, nil, owner, top)
			if err != nil {
				return x, err
			}
			x.inst = inst
		} else if top {
			e.claim(x.inst, name)
		}
	case SortComponent:
		if uint64(ex.Index) >= uint64(len(sc.comps)) {
			return x, werr(off, "export %q: component index %d out of range (%d defined)", name, ex.Index, len(sc.comps))
		}
		x.comp = sc.comps[ex.Index]
	}
	sc.push(x)
	return x, nil
}

// lookup resolves a sort index in sc for an argument or inline export.
func (sc *scope) lookup(off int64, s Sort, i uint32) (ext, error) {
	x := ext{sort: s}
	n := 0
	switch s {
	case SortType:
		n = len(sc.types)
		if int(i) < n {
			x.ty = sc.types[i]
		}
	case SortFunc:
		n = len(sc.funcs)
		if int(i) < n {
			x.ty = sc.funcs[i]
		}
	case SortInstance:
		n = len(sc.insts)
		if int(i) < n {
			x.inst = sc.insts[i]
		}
	case SortComponent:
		n = len(sc.comps)
		if int(i) < n {
			x.comp = sc.comps[i]
		}
	default:
		return x, nil // values and core sorts are not elaborated
	}
	if uint64(i) >= uint64(n) {
		return x, &FormatError{Off: off, Msg: fmt.Sprintf("%s index %d out of range (%d defined)", s, i, n), Val: i}
	}
	return x, nil
}

func (e *elab) instance(in *Instance, sc *scope) (*sinst, error) {
	if !in.Instantiate {
		inst := &sinst{exports: make([]ext, 0, len(in.Exports))}
		for _, ie := range in.Exports {
			x, err := sc.lookup(in.Off, ie.Sort, ie.Index)
			if err != nil {
				return nil, err
			}
			x.name = fullName(ie.Name)
			if x.sort == SortType {
				x.ty = e.newNamed(x.name, "", false, x.ty)
			}
			inst.exports = append(inst.exports, x)
		}
		return inst, nil
	}
	if uint64(in.Component) >= uint64(len(sc.comps)) {
		return nil, werr(in.Off, "component index %d out of range (%d defined)", in.Component, len(sc.comps))
	}
	comp := sc.comps[in.Component]
	if e.depth >= maxElabDepth {
		return nil, werr(in.Off, "instantiations nested more than %d deep", maxElabDepth)
	}
	e.depth++
	defer func() { e.depth-- }()
	args := make(map[string]ext, len(in.Args))
	for _, a := range in.Args {
		x, err := sc.lookup(in.Off, a.Sort, a.Index)
		if err != nil {
			return nil, err
		}
		x.name = a.Name
		args[a.Name] = x
	}
	if comp.body != nil {
		_, exps, err := e.body(comp.body, &scope{parent: comp.sc}, args, false)
		if err != nil {
			return nil, err
		}
		return &sinst{exports: exps}, nil
	}
	return e.decls(comp.ty, args, "", false)
}

func (e *elab) alias(a *Alias, sc *scope) error {
	switch a.Target {
	case AliasExport:
		if uint64(a.Instance) >= uint64(len(sc.insts)) {
			return werr(a.Off, "alias of instance index %d out of range (%d defined)", a.Instance, len(sc.insts))
		}
		for _, x := range sc.insts[a.Instance].exports {
			if x.name == a.Name {
				if x.sort != a.Sort {
					return werr(a.Off, "alias of export %q as a %s, but it is a %s", a.Name, a.Sort, x.sort)
				}
				sc.push(x)
				return nil
			}
		}
		if !a.Sort.IsCore() && a.Sort != SortValue {
			return werr(a.Off, "alias of export %q, which instance %d does not have", a.Name, a.Instance)
		}
	case AliasOuter:
		s, err := sc.outer(a.Off, a.Count)
		if err != nil {
			return err
		}
		switch a.Sort {
		case SortType:
			t, err := s.typ(a.Off, a.Index)
			if err != nil {
				return err
			}
			sc.types = append(sc.types, t)
		case SortComponent:
			if uint64(a.Index) >= uint64(len(s.comps)) {
				return werr(a.Off, "outer alias of component index %d out of range (%d defined)", a.Index, len(s.comps))
			}
			sc.comps = append(sc.comps, s.comps[a.Index])
		}
	}
	return nil
}

// decls elaborates an instance or component type: a fresh set of the types
// it declares, owned by owner. For a component type, args bind its imports.
func (e *elab) decls(t *sty, args map[string]ext, owner string, visible bool) (*sinst, error) {
	if e.depth >= maxElabDepth {
		return nil, werr(t.def.Off, "instance and component types nested more than %d deep", maxElabDepth)
	}
	e.depth++
	defer func() { e.depth-- }()
	sc := &scope{parent: t.sc}
	inst := &sinst{}
	for i := range t.def.Decls {
		d := &t.def.Decls[i]
		if err := e.step(1); err != nil {
			return nil, err
		}
		switch d.Kind {
		case DeclType:
			ty, err := e.defType(d.Type, sc)
			if err != nil {
				return nil, err
			}
			sc.types = append(sc.types, ty)
		case DeclAlias:
			if err := e.alias(d.Alias, sc); err != nil {
				return nil, err
			}
		case DeclImport:
			if _, err := e.bindImport(d.Off, d.Name, d.Desc, sc, args, "", false); err != nil {
				return nil, err
			}
		case DeclExport:
			name := fullName(d.Name)
			var x ext
			var err error
			if d.Desc.Sort == SortInstance {
				// An instance inside an interface has no WIT meaning; its
				// types get no owner.
				x, err = e.bindImport(d.Off, d.Name, d.Desc, sc, nil, "", false)
			} else {
				x, err = e.bindImport(d.Off, d.Name, d.Desc, sc, nil, owner, visible)
			}
			if err != nil {
				return nil, err
			}
			x.name = name
			inst.exports = append(inst.exports, x)
		}
	}
	return inst, nil
}
