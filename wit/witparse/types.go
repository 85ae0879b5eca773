package witparse

import (
	"container/heap"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// typeDefs builds the type definitions of an interface or a world in
// dependency order (wit-parser's order: a definition after those it
// refers to, otherwise source order) and registers them in sc.byName.
func (sc *scope) typeDefs(p *pkg, defs []*astTypeDef) ([]*typeDef, error) {
	local := make(map[string]int, len(defs))
	live := make([]*astTypeDef, 0, len(defs))
	var out []*typeDef
	for _, d := range defs {
		on, err := sc.r.enabled(d.gate, p, sc.file, d.name.pos)
		if err != nil {
			return nil, err
		}
		if !on {
			sc.byName.set(d.name.name, &typeDef{name: d.name.name, owner: sc.owner, excluded: true})
			for _, fn := range d.funcs {
				if fn.gate.ungated() {
					return nil, sc.file.errorf(int(fn.pos), "found a reference to a type which is excluded due to its feature not being activated")
				}
			}
			continue
		}
		local[d.name.name] = len(live)
		live = append(live, d)
	}
	// Dependencies on other local definitions. Usually every definition
	// refers only to earlier ones, and the order is the source order.
	n := len(live)
	refs := sc.r.refs[:0]
	inOrder := true
	for i, d := range live {
		start := len(refs)
		if d.alias != nil {
			refs = collectNames(d.alias, refs)
		}
		for _, f := range d.fields {
			if f.ty != nil {
				refs = collectNames(f.ty, refs)
			}
		}
		for _, nm := range refs[start:] {
			if j, ok := local[nm.name]; ok && j >= i {
				inOrder = false
			}
		}
	}
	sc.r.refs = refs
	if inOrder {
		out = make([]*typeDef, 0, n)
		for _, d := range live {
			td, err := sc.def(d)
			if err != nil {
				return nil, err
			}
			sc.byName.set(td.name, td)
			out = append(out, td)
		}
		return out, nil
	}
	return sc.sortedDefs(live, local, out)
}

// sortedDefs builds the definitions live in dependency order, the
// smallest index first among those ready; local indexes them by name.
func (sc *scope) sortedDefs(live []*astTypeDef, local map[string]int, out []*typeDef) ([]*typeDef, error) {
	n := len(live)
	remaining := make([]int, n)
	rdeps := make([][]int, n)
	refs := make([][]ident, n)
	for i, d := range live {
		var names []ident
		if d.alias != nil {
			names = collectNames(d.alias, names)
		}
		for _, f := range d.fields {
			if f.ty != nil {
				names = collectNames(f.ty, names)
			}
		}
		refs[i] = names
		for _, nm := range names {
			if j, ok := local[nm.name]; ok {
				remaining[i]++
				rdeps[j] = append(rdeps[j], i)
			}
		}
	}
	h := &intHeap{}
	for i := range live {
		if remaining[i] == 0 {
			heap.Push(h, i)
		}
	}
	for h.Len() > 0 {
		i := heap.Pop(h).(int)
		td, err := sc.def(live[i])
		if err != nil {
			return nil, err
		}
		sc.byName.set(td.name, td)
		out = append(out, td)
		for _, j := range rdeps[i] {
			remaining[j]--
			if remaining[j] == 0 {
				heap.Push(h, j)
			}
		}
		rdeps[i] = nil
	}
	if len(out) < n {
		for i := range live {
			if remaining[i] == 0 {
				continue
			}
			for _, nm := range refs[i] {
				if j, ok := local[nm.name]; ok && remaining[j] > 0 {
					return nil, sc.file.errorf(int(nm.pos), "type `%s` depends on itself", nm.name)
				}
			}
		}
	}
	return out, nil
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// collectNames appends the type names a type refers to.
func collectNames(t *astType, out []ident) []ident {
	if t == nil {
		return out
	}
	switch t.kind {
	case tyNamed, tyOwn, tyBorrow:
		return append(out, t.refIdent())
	}
	for _, e := range t.elems {
		out = collectNames(e, out)
	}
	return out
}

func (sc *scope) ownerName() string { return sc.owner.owner() }

// lookup finds a named type in scope.
func (sc *scope) lookup(name ident) (*typeDef, error) {
	td := sc.byName.lookup(name.name)
	if td == nil {
		if sc.funcs[name.name] {
			return nil, sc.file.errorf(int(name.pos), "cannot use function `%s` as a type", name.name)
		}
		return nil, sc.file.errorf(int(name.pos), "type `%s` does not exist", name.name)
	}
	if td.excluded {
		return nil, sc.file.errorf(int(name.pos), "found a reference to a type which is excluded due to its feature not being activated")
	}
	return td, nil
}

func (sc *scope) tooBig(pos int32, name string, sh shape) error {
	if sh.depth > MaxDepth {
		return sc.file.errorf(int(pos), "type nesting too deep: more than %d levels", MaxDepth)
	}
	if sh.size > MaxSize {
		if name == "" {
			return sc.file.errorf(int(pos), "type expands to more than %d nodes", MaxSize)
		}
		return sc.file.errorf(int(pos), "type `%s` expands to more than %d nodes", name, MaxSize)
	}
	return nil
}

// def builds one named type definition.
func (sc *scope) def(d *astTypeDef) (*typeDef, error) {
	td := &typeDef{name: d.name.name, owner: sc.owner, docs: joinDocs(d.docs)}
	name, owner := d.name.name, sc.ownerName()
	if d.kind == tdAlias {
		if d.alias.kind == tyNamed {
			target, err := sc.lookup(d.alias.refIdent())
			if err != nil {
				return nil, err
			}
			td.target, td.resource = target, target.resource
			c := sc.r.newType()
			*c = *target.t
			c.Name, c.Owner = name, owner
			if target.resource {
				c.Elem = wit.AliasOf(target.t) // the resource it names
			}
			td.t, td.shape = c, target.shape
			return td, nil
		}
		at, ash, err := sc.typ(d.alias)
		if err != nil {
			return nil, err
		}
		c := sc.r.newType()
		*c = *at
		c.Name, c.Owner = name, owner
		td.t, td.shape = c, ash
		return td, nil
	}
	t := sc.r.newType()
	t.Name, t.Owner = name, owner
	sh := shape{1, 1}
	switch d.kind {
	case tdResource:
		t.Kind, td.resource = wit.Resource, true
	case tdRecord:
		t.Kind = wit.Record
		t.Fields = make([]wit.Field, len(d.fields))
		names := sc.r.nameSet()
		for i, f := range d.fields {
			if err := names.add(sc.file, f.name, "field"); err != nil {
				return nil, err
			}
			ft, fsh, err := sc.typ(f.ty)
			if err != nil {
				return nil, err
			}
			sh = sh.add(fsh)
			t.Fields[i] = wit.Field{Name: f.name.name, Type: ft, Docs: joinDocs(f.docs)}
		}
		names.done()
	case tdVariant:
		t.Kind = wit.Variant
		t.Cases = make([]wit.Case, len(d.fields))
		names := sc.r.nameSet()
		for i, f := range d.fields {
			if err := names.add(sc.file, f.name, "case"); err != nil {
				return nil, err
			}
			t.Cases[i] = wit.Case{Name: f.name.name, Docs: joinDocs(f.docs)}
			if f.ty != nil {
				ft, fsh, err := sc.typ(f.ty)
				if err != nil {
					return nil, err
				}
				sh = sh.add(fsh)
				t.Cases[i].Type = ft
			}
		}
		names.done()
	case tdEnum, tdFlags:
		t.Kind = wit.Enum
		what := "enum case"
		if d.kind == tdFlags {
			t.Kind, what = wit.Flags, "flag"
		}
		t.Labels = make([]string, len(d.labels))
		names := sc.r.nameSet()
		for i, f := range d.labels {
			if err := names.add(sc.file, f, what); err != nil {
				return nil, err
			}
			t.Labels[i] = f.name
		}
		names.done()
	}
	if err := sc.tooBig(d.name.pos, d.name.name, sh); err != nil {
		return nil, err
	}
	td.t, td.shape = t, sh
	return td, nil
}

// nameSet finds duplicate names, kebab-case names being case-insensitive
// (identifiers are ASCII). A set keeps its names on the resolver's stack
// of names, compared one by one: sets nest (a resource's functions, and
// each function's parameters), and an inner set is done before its outer
// set takes another name. A set grown past 128 names indexes them in a
// map instead.
type nameSet struct {
	r    *resolver
	base int
	m    map[string]string // lower case → name, for a large set
}

// nameSet starts a set of names.
func (r *resolver) nameSet() nameSet {
	if r.names == nil {
		r.names = make([]string, 0, 64)
	}
	return nameSet{r: r, base: len(r.names)}
}

// find returns the name of the set that equals name but for case.
func (s *nameSet) find(name string) (string, bool) {
	if s.m != nil {
		prev, ok := s.m[strings.ToLower(name)]
		return prev, ok
	}
	for _, prev := range s.r.names[s.base:] {
		if len(prev) == len(name) && strings.EqualFold(prev, name) {
			return prev, true
		}
	}
	return "", false
}

// insert adds name, which find did not find.
func (s *nameSet) insert(name string) {
	if s.m != nil {
		s.m[strings.ToLower(name)] = name
		return
	}
	s.r.names = append(s.r.names, name)
	if n := len(s.r.names) - s.base; n > 128 {
		s.m = make(map[string]string, 2*n)
		for _, x := range s.r.names[s.base:] {
			s.m[strings.ToLower(x)] = x
		}
		s.r.names = s.r.names[:s.base]
	}
}

// done ends the set, releasing its names.
func (s *nameSet) done() {
	if len(s.r.names) > s.base {
		s.r.names = s.r.names[:s.base]
	}
}

// add adds n, or fails (what is what n names, for the message) when the
// set has it already.
func (s *nameSet) add(f *srcFile, n ident, what string) error {
	if prev, ok := s.find(n.name); ok {
		if prev == n.name {
			return f.errorf(int(n.pos), "%s `%s` is defined more than once", what, n.name)
		}
		return f.errorf(int(n.pos), "%s `%s` conflicts with `%s` (kebab-case identifiers are case-insensitive)", what, n.name, prev)
	}
	s.insert(n.name)
	return nil
}

// typ resolves a type in a value position, with its shape.
func (sc *scope) typ(a *astType) (*wit.Type, shape, error) {
	switch a.kind {
	case tyPrim:
		return sc.r.prim(primKinds[a.prim]), shape{1, 1}, nil
	case tyNamed:
		td, err := sc.lookup(a.refIdent())
		if err != nil {
			return nil, shape{}, err
		}
		if td.isResource() {
			// A resource named in a value position is an owned handle.
			return td.handle(sc.r, wit.Own), shape{1, 1}.add(td.shape), nil
		}
		return td.t, td.shape, nil
	case tyOwn, tyBorrow:
		td, err := sc.lookup(a.refIdent())
		if err != nil {
			return nil, shape{}, err
		}
		if !td.isResource() {
			return nil, shape{}, sc.file.errorf(int(a.refPos), "type `%s` used in a handle must be a resource", a.ref)
		}
		k := wit.Own
		if a.kind == tyBorrow {
			k = wit.Borrow
		}
		return td.handle(sc.r, k), shape{1, 1}.add(td.shape), nil
	}
	sh := shape{1, 1}
	// Tuples and maps keep their elements in a list; the others have at
	// most two, kept in e0 and e1.
	var e0, e1 *wit.Type
	var elems []*wit.Type
	if a.kind == tyTuple || a.kind == tyMap {
		elems = make([]*wit.Type, len(a.elems))
	}
	for i, e := range a.elems {
		if e == nil {
			continue
		}
		et, esh, err := sc.typ(e)
		if err != nil {
			return nil, shape{}, err
		}
		switch {
		case elems != nil:
			elems[i] = et
		case i == 0:
			e0 = et
		default:
			e1 = et
		}
		sh = sh.add(esh)
	}
	var k consKey
	switch a.kind {
	case tyList:
		k = consKey{kind: wit.List, elem: e0}
	case tyFixedList:
		k = consKey{kind: wit.List, elem: e0, n: a.n}
	case tyOption:
		k = consKey{kind: wit.Option, elem: e0}
	case tyResult:
		k = consKey{kind: wit.Result, ok: e0, err: e1}
	case tyFuture:
		k = consKey{kind: wit.Future, elem: e0}
	case tyStream:
		k = consKey{kind: wit.Stream, elem: e0}
	case tyMap:
		if !isMapKey(elems[0].Kind) {
			return nil, shape{}, sc.file.errorf(int(a.pos), "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string")
		}
	}
	if err := sc.tooBig(a.pos, "", sh); err != nil {
		return nil, shape{}, err
	}
	switch a.kind {
	case tyTuple:
		t := sc.r.newType()
		t.Kind, t.Elems = wit.Tuple, elems
		return t, sh, nil
	case tyMap:
		return &wit.Type{Kind: wit.Map, Elem: &wit.Type{Kind: wit.Tuple, Elems: elems}}, sh, nil
	}
	return sc.r.cons(k), sh, nil
}

// consKey is an anonymous type with at most one element, or a result.
type consKey struct {
	kind          wit.Kind
	elem, ok, err *wit.Type
	n             uint32
}

// maxConses bounds the anonymous types a load shares (cons).
const maxConses = 64

// cons returns the anonymous type k: one type for every use of, say,
// list<u8> or result<_, error-code>, among the first maxConses such
// types (types are compared structurally, never by identity, and never
// changed once made).
func (r *resolver) cons(k consKey) *wit.Type {
	for _, t := range r.conses {
		if t.Kind == k.kind && t.Elem == k.elem && t.Ok == k.ok && t.Err == k.err && t.Len == k.n {
			return t
		}
	}
	t := r.newType()
	t.Kind, t.Elem, t.Ok, t.Err, t.Len = k.kind, k.elem, k.ok, k.err, k.n
	if len(r.conses) < maxConses {
		if r.conses == nil {
			r.conses = make([]*wit.Type, 0, maxConses)
		}
		r.conses = append(r.conses, t)
	}
	return t
}

// isMapKey reports whether k may be a map's key type.
func isMapKey(k wit.Kind) bool {
	switch k {
	case wit.Bool, wit.U8, wit.U16, wit.U32, wit.U64, wit.S8, wit.S16, wit.S32, wit.S64, wit.Char, wit.String:
		return true
	}
	return false
}

// function builds a function; res is the resource of a resource function.
func (sc *scope) function(a *astFunc, res *typeDef) (*wit.Function, error) {
	n := len(a.params)
	if a.kind == fnMethod {
		n++
	}
	fn := sc.r.funcs.new()
	*fn = wit.Function{Async: a.async, Docs: joinDocs(a.docs), Params: sc.r.newParams(n)}
	switch a.kind {
	case fnFree:
		fn.Name = a.name.name
	case fnMethod:
		fn.Name = sc.r.join("[method]", res.name, ".", a.name.name)
		fn.Params = append(fn.Params, wit.Param{Name: "self", Type: res.handle(sc.r, wit.Borrow)})
	case fnStatic:
		fn.Name = sc.r.join("[static]", res.name, ".", a.name.name)
	case fnCtor:
		fn.Name = sc.r.join("[constructor]", res.name, "", "")
	}
	names := sc.r.nameSet()
	if a.kind == fnMethod {
		names.insert("self")
	}
	for _, prm := range a.params {
		if err := names.add(sc.file, prm.name, "param"); err != nil {
			return nil, err
		}
		t, _, err := sc.typ(prm.ty)
		if err != nil {
			return nil, err
		}
		fn.Params = append(fn.Params, wit.Param{Name: prm.name.name, Type: t})
	}
	names.done()
	if a.kind == fnCtor {
		own := res.handle(sc.r, wit.Own)
		if a.result == nil {
			fn.Result = own
			return fn, nil
		}
		if a.result.kind != tyResult {
			return nil, sc.file.errorf(int(a.result.pos), "if a constructor return type is declared it must be a `result`")
		}
		rt, _, err := sc.typ(a.result)
		if err != nil {
			return nil, err
		}
		if rt.Ok == nil || rt.Ok.Kind != wit.Own || rt.Ok.Elem != res.t {
			return nil, sc.file.errorf(int(a.result.pos), "the `ok` type must be the resource being constructed")
		}
		fn.Result = rt
		return fn, nil
	}
	if a.result != nil {
		t, _, err := sc.typ(a.result)
		if err != nil {
			return nil, err
		}
		if sc.hasBorrow(t) {
			return nil, sc.file.errorf(int(a.result.pos), "function `%s` returns a type which contains a `borrow<T>` which is not supported", fn.Name)
		}
		fn.Result = t
	}
	return fn, nil
}

// hasBorrow reports whether t contains a borrowed handle.
func (sc *scope) hasBorrow(t *wit.Type) bool {
	v := visited{list: sc.r.visited[:0]}
	b := v.borrowIn(t)
	sc.r.visited = v.list[:0]
	return b
}

// visited is the set of named types a walk has seen: a list, or past 64
// of them a map. (Only named types are shared: an anonymous type is
// written out where it is used, so a walk that visits each named type
// once is linear in the text.)
type visited struct {
	list []*wit.Type
	m    map[*wit.Type]bool
}

// see records t and reports whether it was seen before.
func (v *visited) see(t *wit.Type) bool {
	if v.m != nil {
		if v.m[t] {
			return true
		}
		v.m[t] = true
		return false
	}
	for _, x := range v.list {
		if x == t {
			return true
		}
	}
	v.list = append(v.list, t)
	if len(v.list) > 64 {
		v.m = make(map[*wit.Type]bool, 2*len(v.list))
		for _, x := range v.list {
			v.m[x] = true
		}
	}
	return false
}

func (v *visited) borrowIn(t *wit.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind {
	case wit.Borrow:
		return true
	case wit.Own, wit.Resource:
		return false
	}
	if t.Elem == nil && t.Ok == nil && t.Err == nil && t.Elems == nil && t.Fields == nil && t.Cases == nil {
		return false
	}
	if t.Name != "" && v.see(t) {
		return false
	}
	if v.borrowIn(t.Elem) || v.borrowIn(t.Ok) || v.borrowIn(t.Err) {
		return true
	}
	for _, e := range t.Elems {
		if v.borrowIn(e) {
			return true
		}
	}
	for _, f := range t.Fields {
		if v.borrowIn(f.Type) {
			return true
		}
	}
	for _, c := range t.Cases {
		if v.borrowIn(c.Type) {
			return true
		}
	}
	return false
}

// resourceFuncs builds the functions of a resource definition.
func (sc *scope) resourceFuncs(p *pkg, d *astTypeDef) ([]*wit.Function, error) {
	res := sc.byName.lookup(d.name.name)
	out := make([]*wit.Function, 0, len(d.funcs))
	names := sc.r.nameSet()
	ctor := false
	for _, a := range d.funcs {
		on, err := sc.r.enabled(a.gate, p, sc.file, a.pos)
		if err != nil {
			return nil, err
		}
		if !on {
			continue
		}
		if a.kind == fnCtor {
			if ctor {
				return nil, sc.file.errorf(int(a.pos), "duplicate constructors")
			}
			ctor = true
		} else if err := names.add(sc.file, a.name, "function"); err != nil {
			return nil, sc.file.errorf(int(a.name.pos), "duplicate function name `%s`", a.name.name)
		}
		fn, err := sc.function(a, res)
		if err != nil {
			return nil, err
		}
		out = append(out, fn)
	}
	names.done()
	return out, nil
}
