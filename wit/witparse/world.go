package witparse

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

type world struct {
	name  string
	pkg   *pkg
	scope *fileScope
	ast   *astWorld

	state    int8
	excluded bool
	types    *table[*typeDef]
	imports  []*entry
	exports  []*entry
	m        *wit.World
	refKind  string // as iface.refKind
}

// entry is one import or export of a world. Interfaces of a package are
// keyed by the interface; everything else by its name.
type entry struct {
	iface *iface
	label string // "" for an interface keyed by itself
	fn    *wit.Function
	fnRes bool
	td    *typeDef
}

func (e *entry) name() string {
	if e.label != "" {
		return e.label
	}
	return e.iface.qname()
}

func (e *entry) what() string {
	switch {
	case e.fn != nil:
		return "func"
	case e.td != nil:
		return "type"
	}
	return "interface"
}

// class orders world imports as wit-parser does: interfaces, types that
// come from interfaces, other types, functions, resource functions.
func (e *entry) class() int {
	switch {
	case e.iface != nil:
		return 0
	case e.td != nil:
		if e.td.target != nil && e.td.target.owner != e.td.owner {
			return 1
		}
		return 2
	case e.fnRes:
		return 4
	}
	return 3
}

// entries is an insertion-ordered set of entries: searched one by one,
// or past 32 entries in maps.
type entries struct {
	list   []*entry
	ifaces map[*iface]bool
	names  map[string]*entry
}

func newEntries() *entries { return &entries{} }

func (es *entries) has(e *entry) bool {
	if e.label == "" {
		if es.ifaces != nil {
			return es.ifaces[e.iface]
		}
		for _, x := range es.list {
			if x.label == "" && x.iface == e.iface {
				return true
			}
		}
		return false
	}
	return es.byName(e.label) != nil
}

// byName returns the (last) entry labelled label.
func (es *entries) byName(label string) *entry {
	if es.names != nil {
		return es.names[label]
	}
	for i := len(es.list) - 1; i >= 0; i-- {
		if es.list[i].label == label {
			return es.list[i]
		}
	}
	return nil
}

func (es *entries) add(e *entry) {
	es.list = append(es.list, e)
	switch {
	case es.names != nil:
		es.index(e)
	case len(es.list) > 32:
		es.ifaces, es.names = map[*iface]bool{}, map[string]*entry{}
		for _, x := range es.list {
			es.index(x)
		}
	}
}

func (es *entries) index(e *entry) {
	if e.label == "" {
		es.ifaces[e.iface] = true
	} else {
		es.names[e.label] = e
	}
}

func (r *resolver) resolveWorld(w *world, from *srcFile, pos int32) error {
	switch w.state {
	case 2:
		return nil
	case 1:
		f := w.scope.file
		if from != nil {
			f = from
		} else {
			pos = w.ast.name.pos
		}
		if err := r.cycleError(w.pkg); err != nil {
			return err
		}
		return f.errorf(int(pos), "interface or world `%s` depends on itself", w.name)
	}
	if r.chain >= maxChain {
		f := w.scope.file
		if from != nil {
			f = from
		}
		return f.errorf(int(pos), "interfaces and worlds depend on each other in a chain longer than %d", maxChain)
	}
	r.chain++
	defer func() { r.chain-- }()
	w.state = 1
	imports, exports, err := r.worldItems(w)
	if err != nil || w.excluded {
		return err
	}
	// Elaborated from here, with worldItems' large frame off the stack:
	// elaboration walks interface dependencies recursively.
	if err := r.elaborate(w, imports.list, exports.list); err != nil {
		return err
	}
	w.state = 2
	return nil
}

// worldItems resolves the items of w, a world being resolved, into its
// imports and exports (excluding w, and returning no entries, when its
// gate is off).
func (r *resolver) worldItems(w *world) (imports, exports *entries, err error) {
	p, f := w.pkg, w.scope.file
	on, err := r.enabled(w.ast.gate, p, f, w.ast.name.pos)
	if err != nil {
		return nil, nil, err
	}
	w.types = newTable[*typeDef](len(w.ast.items))
	if !on {
		w.excluded, w.state = true, 2
		return nil, nil, nil
	}
	funcNames := map[string]bool{}
	for _, it := range w.ast.items {
		if it.fn != nil {
			funcNames[it.label.name] = true
		}
	}
	sc := &scope{r: r, file: f, byName: w.types, funcs: funcNames}
	imports, exports = newEntries(), newEntries()
	impNames, expNames := map[string]*entry{}, map[string]*entry{}
	// claim reserves a name among the imports or exports.
	claim := func(names map[string]*entry, dir string, n ident, e *entry) error {
		if prev, ok := names[n.name]; ok {
			return f.errorf(int(n.pos), "%s `%s` conflicts with prior %s of same name", dir, n.name, prev.what())
		}
		for other := range names {
			if len(other) == len(n.name) && strings.EqualFold(other, n.name) {
				return f.errorf(int(n.pos), "%s `%s` in world `%s` conflicts with %s `%s` (kebab-case identifiers are case-insensitive)", dir, n.name, w.name, dir, other)
			}
		}
		names[n.name] = e
		return nil
	}
	var typeIdents []ident
	define := func(n ident) error {
		typeIdents = append(typeIdents, n)
		if _, ok := impNames[n.name]; ok {
			return f.errorf(int(n.pos), "name `%s` is defined more than once", n.name)
		}
		impNames[n.name] = &entry{td: &typeDef{}}
		return nil
	}
	for _, it := range w.ast.items {
		if it.kind != wiUse {
			continue
		}
		tds, err := r.use(p, w.scope, it.use, nil, define)
		if err != nil {
			return nil, nil, err
		}
		for _, td := range tds {
			w.types.set(td.name, td)
			e := &entry{label: td.name, td: td}
			impNames[td.name] = e
			imports.add(e)
		}
	}
	var defs []*astTypeDef
	for _, it := range w.ast.items {
		if it.kind == wiType {
			if err := define(it.td.name); err != nil {
				return nil, nil, err
			}
			defs = append(defs, it.td)
		}
	}
	tds, err := sc.typeDefs(p, defs)
	if err != nil {
		return nil, nil, err
	}
	for _, td := range tds {
		e := &entry{label: td.name, td: td}
		impNames[td.name] = e
		imports.add(e)
	}
	for _, d := range defs {
		if td := w.types.lookup(d.name.name); d.kind != tdResource || td == nil || td.excluded {
			continue
		}
		fns, err := sc.resourceFuncs(p, d)
		if err != nil {
			return nil, nil, err
		}
		for _, fn := range fns {
			imports.add(&entry{label: fn.Name, fn: fn, fnRes: true})
		}
	}
	for _, it := range w.ast.items {
		if it.kind != wiImport && it.kind != wiExport {
			continue
		}
		on, err := r.enabled(it.gate, p, f, it.pos)
		if err != nil {
			return nil, nil, err
		}
		if !on {
			continue
		}
		es, names, dir := imports, impNames, "import"
		if it.kind == wiExport {
			es, names, dir = exports, expNames, "export"
		}
		var e *entry
		switch {
		case it.fn != nil:
			fn, err := sc.function(it.fn, nil)
			if err != nil {
				return nil, nil, err
			}
			e = &entry{label: it.label.name, fn: fn}
		case it.iface != nil:
			in := &iface{label: it.label.name, pkg: p, scope: w.scope, ast: it.iface}
			if err := r.resolveIface(in, nil, 0); err != nil {
				return nil, nil, err
			}
			e = &entry{label: it.label.name, iface: in}
		default:
			in, err := r.lookupIface(p, w.scope, *it.path)
			if err != nil {
				return nil, nil, err
			}
			e = &entry{label: it.label.name, iface: in}
			if e.label == "" {
				if es.has(e) {
					what := "imported"
					if dir == "export" {
						what = "exported"
					}
					return nil, nil, f.errorf(int(it.path.name.pos), "interface cannot be %s more than once", what)
				}
			}
		}
		if e.label != "" {
			if err := claim(names, dir, it.label, e); err != nil {
				return nil, nil, err
			}
		}
		es.add(e)
	}
	// Includes, after the world's own items.
	for _, it := range w.ast.items {
		if it.kind != wiInclude {
			continue
		}
		on, err := r.enabled(it.gate, p, f, it.pos)
		if err != nil {
			return nil, nil, err
		}
		if !on {
			continue
		}
		n, err := r.lookupPath(p, w.scope, *it.path, "world")
		if err != nil {
			return nil, nil, err
		}
		if n.world == nil {
			return nil, nil, f.errorf(int(it.path.name.pos), "name `%s` is defined as an interface, not a world", it.path.name.name)
		}
		if err := r.resolveWorld(n.world, f, it.path.name.pos); err != nil {
			return nil, nil, err
		}
		if n.world.excluded {
			return nil, nil, f.errorf(int(it.path.name.pos), "found a reference to a world which is excluded due to its feature not being activated")
		}
		rename := map[string]string{}
		for _, wn := range it.with {
			found := false
			for _, e := range slices.Concat(n.world.imports, n.world.exports) {
				if e.label == wn.name.name {
					found = true
				}
			}
			if !found {
				return nil, nil, f.errorf(int(wn.name.pos), "no import or export kebab-name `%s`. Note that an ID does not support renaming", wn.name.name)
			}
			rename[wn.name.name] = wn.as.name
		}
		rw := newRewriter(n.world, rename)
		merge := func(src []*entry, es *entries, dir, past string) error {
			for _, e := range src {
				if e.label == "" {
					if !es.has(e) {
						es.add(e)
					}
					continue
				}
				c := rw.entry(e)
				if es.byName(c.label) != nil {
					return f.errorf(int(it.path.name.pos), "%s of `%s` shadows previously %s items", dir, c.label, past)
				}
				es.add(c)
			}
			return nil
		}
		if err := merge(n.world.imports, imports, "import", "imported"); err != nil {
			return nil, nil, err
		}
		if err := merge(n.world.exports, exports, "export", "exported"); err != nil {
			return nil, nil, err
		}
	}
	return imports, exports, nil
}

func directDeps(in *iface) []*iface {
	var out []*iface
	for _, td := range in.types {
		if d := td.dep(); d != nil {
			out = append(out, d)
		}
	}
	return out
}

// elaborate completes a world's imports with every interface its items
// depend on, orders them, and checks that exports and their dependencies
// fit together, as wit-parser's elaborate_world does.
func (r *resolver) elaborate(w *world, imports, exports []*entry) error {
	f := w.scope.file
	byClass := func(es []*entry) {
		slices.SortStableFunc(es, func(a, b *entry) int { return a.class() - b.class() })
	}
	imps := slices.Clone(imports)
	byClass(imps)
	newImps := newEntries()
	// Dependency chains are walked recursively; a chain longer than
	// maxChain is an error rather than a deep stack.
	tooLong := false
	var importIface func(e *entry, depth int)
	importIface = func(e *entry, depth int) {
		if newImps.has(e) || tooLong {
			return
		}
		if depth > maxChain {
			tooLong = true
			return
		}
		for _, dep := range directDeps(e.iface) {
			importIface(&entry{iface: dep}, depth+1)
		}
		newImps.add(e)
	}
	for _, e := range imps {
		switch {
		case e.iface != nil:
			importIface(e, 0)
		case e.td != nil:
			if d := e.td.dep(); d != nil {
				importIface(&entry{iface: d}, 0)
			}
			newImps.add(e)
		default:
			newImps.add(e)
		}
	}
	newExps := newEntries()
	var expIfaces []*entry
	expSet := map[*iface]bool{}
	for _, e := range exports {
		if e.iface != nil {
			expIfaces = append(expIfaces, e)
			if e.label == "" {
				expSet[e.iface] = true
			}
		} else {
			newExps.add(e)
		}
	}
	required := map[*iface]bool{}
	var add func(e *entry, export bool, depth int) bool
	add = func(e *entry, export bool, depth int) bool {
		if newExps.has(e) {
			return export
		}
		if !export && required[e.iface] {
			return true
		}
		if depth > maxChain {
			tooLong = true
			return false
		}
		for _, dep := range directDeps(e.iface) {
			if !add(&entry{iface: dep}, export && expSet[dep], depth+1) {
				return false
			}
		}
		if export {
			if required[e.iface] {
				return false
			}
			newExps.add(e)
		} else {
			required[e.iface] = true
			if !newImps.has(e) {
				newImps.add(e)
			}
		}
		return true
	}
	for _, e := range expIfaces {
		if !add(e, true, 0) && !tooLong {
			return f.errorf(int(w.ast.name.pos), "interface `%s` transitively depends on an interface in incompatible ways", e.name())
		}
	}
	if tooLong {
		return f.errorf(int(w.ast.name.pos), "world `%s`: interfaces depend on each other in a chain longer than %d", w.name, maxChain)
	}
	byClass(newImps.list)
	w.imports, w.exports = newImps.list, newExps.list
	return nil
}

func (w *world) model() *wit.World {
	if w.m != nil {
		return w.m
	}
	m := &wit.World{Name: w.name, Package: w.pkg.name.String(), Docs: joinDocs(w.ast.docs)}
	m.Imports = items(w.imports)
	m.Exports = items(w.exports)
	w.m = m
	return m
}

func items(es []*entry) []*wit.Item {
	out := make([]*wit.Item, len(es))
	for i, e := range es {
		it := &wit.Item{Name: e.name()}
		switch {
		case e.iface != nil:
			it.Kind, it.Interface = wit.ItemInterface, e.iface.model
		case e.fn != nil:
			it.Kind, it.Function = wit.ItemFunction, e.fn
		default:
			it.Kind, it.Type = wit.ItemType, &wit.TypeDef{Name: e.label, Type: e.td.t, Docs: e.td.docs}
		}
		out[i] = it
	}
	return out
}

// World returns the world called name, chosen as wasmtools.SelectWorld chooses:
// a plain name or a qualified one (ns:pkg/world, with or without
// @version); with name == "", the only world, or the main package's only
// world.
//
// The world is checked against wit.CheckLimits, as every reader's world is:
// shared types would otherwise expand, in the diff and in manifests, to trees
// far larger than the text.
func (res *Resolve) World(name string) (*wit.World, error) {
	w, err := res.selectWorld(name)
	if err != nil {
		return nil, err
	}
	if err := res.checkLimits(w); err != nil {
		return nil, err
	}
	return w, nil
}

func (res *Resolve) selectWorld(name string) (*wit.World, error) {
	var all []*wit.World
	for _, p := range res.Packages {
		all = append(all, p.Worlds...)
	}
	qual := func(w *wit.World) string {
		pkg, version, _ := strings.Cut(w.Package, "@")
		s := pkg + "/" + w.Name
		if version != "" {
			s += "@" + version
		}
		return s
	}
	var names []string
	for _, w := range all {
		names = append(names, qual(w))
	}
	if name != "" {
		var found []*wit.World
		for _, w := range all {
			q := qual(w)
			if w.Name == name || q == name || strings.SplitN(q, "@", 2)[0] == name {
				found = append(found, w)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 0:
			return nil, fmt.Errorf("no world %q (worlds: %s)", name, strings.Join(names, ", "))
		}
		var amb []string
		for _, w := range found {
			amb = append(amb, qual(w))
		}
		return nil, fmt.Errorf("world %q is ambiguous (%s): give its qualified name", name, strings.Join(amb, ", "))
	}
	switch {
	case len(all) == 1:
		return all[0], nil
	case len(all) == 0:
		return nil, errors.New("no world defined")
	}
	if res.Main != nil && len(res.Main.Worlds) == 1 {
		return res.Main.Worlds[0], nil
	}
	return nil, fmt.Errorf("%d worlds, choose one: %s", len(all), strings.Join(names, ", "))
}

// rewriter renames the world-level items of an included world (`include
// w with { a as b }`): a renamed type is a new type of the new name, and
// the included functions and types that refer to it refer to the new one
// (a resource's functions take its new name too).
type rewriter struct {
	rename  map[string]string
	resName map[string]string
	subst   map[*wit.Type]*wit.Type
	memo    map[*wit.Type]*wit.Type
}

func newRewriter(w *world, rename map[string]string) *rewriter {
	rw := &rewriter{rename: rename, resName: map[string]string{}, subst: map[*wit.Type]*wit.Type{}, memo: map[*wit.Type]*wit.Type{}}
	for _, e := range w.imports {
		if e.td == nil || e.td.owner != nil || e.td.target != nil {
			continue
		}
		to, ok := rename[e.label]
		if !ok {
			continue
		}
		c := *e.td.t
		c.Name = to
		rw.subst[e.td.t] = &c
		if c.Kind == wit.Resource {
			rw.resName[e.label] = to
		}
	}
	return rw
}

func (rw *rewriter) entry(e *entry) *entry {
	c := *e
	if to, ok := rw.rename[e.label]; ok {
		c.label = to
	}
	if len(rw.subst) == 0 && c.label == e.label {
		return &c
	}
	switch {
	case e.td != nil:
		td := *e.td
		td.name = c.label
		td.t = rw.typ(e.td.t)
		c.td = &td
	case e.fn != nil:
		fn := *e.fn
		if e.fnRes {
			for _, prefix := range []string{"[constructor]", "[method]", "[static]"} {
				rest, ok := strings.CutPrefix(fn.Name, prefix)
				if !ok {
					continue
				}
				res, tail, dot := strings.Cut(rest, ".")
				if to, ok := rw.resName[res]; ok {
					res = to
				}
				fn.Name = prefix + res
				if dot {
					fn.Name += "." + tail
				}
			}
			c.label = fn.Name
		} else {
			fn.Name = c.label
		}
		fn.Params = make([]wit.Param, len(e.fn.Params))
		for i, p := range e.fn.Params {
			fn.Params[i] = wit.Param{Name: p.Name, Type: rw.typ(p.Type)}
		}
		fn.Result = rw.typ(e.fn.Result)
		c.fn = &fn
	}
	return &c
}

// typ returns t with the renamed types replaced, sharing what is unchanged.
func (rw *rewriter) typ(t *wit.Type) *wit.Type {
	if t == nil {
		return nil
	}
	if n, ok := rw.subst[t]; ok {
		return n
	}
	if n, ok := rw.memo[t]; ok {
		return n
	}
	c := *t
	changed := false
	sub := func(x *wit.Type) *wit.Type {
		y := rw.typ(x)
		if y != x {
			changed = true
		}
		return y
	}
	c.Elem, c.Ok, c.Err = sub(t.Elem), sub(t.Ok), sub(t.Err)
	if t.Elems != nil {
		c.Elems = make([]*wit.Type, len(t.Elems))
		for i, e := range t.Elems {
			c.Elems[i] = sub(e)
		}
	}
	if t.Fields != nil {
		c.Fields = make([]wit.Field, len(t.Fields))
		for i, f := range t.Fields {
			c.Fields[i] = f
			c.Fields[i].Type = sub(f.Type)
		}
	}
	if t.Cases != nil {
		c.Cases = make([]wit.Case, len(t.Cases))
		for i, k := range t.Cases {
			c.Cases[i] = k
			c.Cases[i].Type = sub(k.Type)
		}
	}
	out := t
	if changed {
		out = &c
	}
	rw.memo[t] = out
	return out
}
