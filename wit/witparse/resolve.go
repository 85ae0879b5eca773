package witparse

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// Limits on resolved types, as the component decoder has them: MaxDepth
// bounds the nesting of a type (through named types), MaxSize the number
// of nodes of a type expanded as a tree. Types are shared, never expanded,
// but a type that would expand beyond MaxSize (a chain of
// `type tN = tuple<tN-1, tN-1>`) is an error, found in linear time, so that
// no consumer walking the model as a tree can be made to do exponential
// work.
const (
	MaxDepth = 256
	MaxSize  = 1 << 20
)

// maxChain bounds chains of interfaces and worlds that depend on each other
// (`use`, `include`, imports), which are resolved recursively.
const maxChain = 1000

type fileItem struct {
	file *srcFile
	item astItem
}

// fileScope is one file's part of a package: top-level `use` names are
// visible in that file only.
type fileScope struct {
	file  *srcFile
	items []astItem
	names *table[named] // top-level uses and the file's own items
}

// named is an interface or a world, by name in a package or file.
type named struct {
	iface *iface
	world *world
}

type pkg struct {
	name  pkgName
	file  *srcFile
	items []fileItem
	files []*fileScope

	ifaces     table[*iface]
	ifaceOrder []*iface
	worlds     table[*world]
	worldOrder []*world
	resolved   bool
	declared   bool // declare ran
	deferred   error
}

type iface struct {
	name  string // "" for an interface declared inline in a world
	label string // the import/export name of an inline interface
	pkg   *pkg
	scope *fileScope
	ast   *astInterface

	state    int8 // 0 new, 1 resolving, 2 done
	excluded bool

	types  []*typeDef
	byName *table[*typeDef]
	funcs  []*wit.Function
	model  *wit.Interface
	qn     string // qname, once made
	// refKind is what the first reference from another package took
	// it to be: "interface" or "world" (lookupPath).
	refKind string
}

// qname is the interface's name as a world item: ns:pkg/name@version.
func (in *iface) qname() string {
	if in.name == "" {
		return in.label
	}
	if in.qn == "" {
		// One concatenation each: one allocation.
		if n := in.pkg.name; n.version != "" {
			in.qn = n.ns + ":" + n.name + "/" + in.name + "@" + n.version
		} else {
			in.qn = n.ns + ":" + n.name + "/" + in.name
		}
	}
	return in.qn
}

// owner is the Owner of types it defines.
func (in *iface) owner() string {
	if in == nil || in.name == "" {
		return ""
	}
	return in.qname()
}

// typeDef is a named type of an interface or a world.
type typeDef struct {
	name     string
	owner    *iface // nil for a world's type
	t        *wit.Type
	target   *typeDef // for a `use` or `type a = b`: b
	excluded bool
	docs     string
	shape    shape
	resource bool // a resource, or an alias of one
	// own and borrow are the handles of a resource, made once: every
	// own<r> (and r in a value position) is the same type, and every
	// borrow<r>.
	own, borrow *wit.Type
}

// handle returns the own (k = wit.Own) or borrow handle of the resource
// td.
func (td *typeDef) handle(r *resolver, k wit.Kind) *wit.Type {
	h := &td.own
	if k == wit.Borrow {
		h = &td.borrow
	}
	if *h == nil {
		t := r.newType()
		t.Kind, t.Elem = k, td.t
		*h = t
	}
	return *h
}

// shape measures a type: its nesting depth and its size expanded as a tree
// (counted up to just past MaxSize).
type shape struct{ depth, size int }

func (s shape) add(k shape) shape {
	return shape{max(s.depth, k.depth+1), min(s.size+k.size, MaxSize+1)}
}

// dep is the interface whose type this one re-exports (`use`), or nil.
func (td *typeDef) dep() *iface {
	if td.target == nil || td.target.owner == td.owner {
		return nil
	}
	return td.target.owner
}

func (td *typeDef) isResource() bool { return td.resource }

type resolver struct {
	opts     Options
	features map[string]bool
	pkgs     map[pkgKey]*pkg
	order    []*pkg
	skipped  []string
	// chain is the number of interfaces and worlds being resolved, each
	// waiting for the next.
	chain int
	prims []*wit.Type // the primitive types used, made once each
	// parser parses the files read, whose texts share the arena texts
	// (readText); walk lists the directory loaded.
	parser parser
	texts  []byte
	walk   *walker
	// read is the bytes of the files read so far (Options.TotalLimit).
	read int64
	// untypedListing makes the walk take every entry's type from lstat,
	// never from the listing, as it must on a file system that reports
	// none (DT_UNKNOWN); tests set it to take that path anywhere.
	untypedListing bool
	// names is the stack of the name sets being filled (nameSet); refs
	// is typeDefs' buffer.
	names   []string
	refs    []ident
	visited []*wit.Type    // hasBorrow's buffer
	conses  []*wit.Type    // the anonymous types shared (cons)
	types   slab[wit.Type] // newType's
	funcs   slab[wit.Function]
	params  []wit.Param // newParams' chunk
}

func newResolver(opts Options) *resolver {
	r := &resolver{opts: opts, features: map[string]bool{}, pkgs: map[pkgKey]*pkg{}}
	for _, f := range opts.Features {
		r.features[f] = true
	}
	return r
}

// prim returns the primitive type of kind k, shared by every use.
func (r *resolver) prim(k wit.Kind) *wit.Type {
	for _, t := range r.prims {
		if t.Kind == k {
			return t
		}
	}
	t := wit.Prim(k)
	r.prims = append(r.prims, t)
	return t
}

func joinDocs(d []string) string {
	if len(d) == 0 {
		return ""
	}
	parts := make([]string, len(d))
	for i, c := range d {
		if rest, ok := strings.CutPrefix(c, "/**"); ok {
			c = strings.TrimSuffix(rest, "*/")
		} else {
			c = strings.TrimLeft(c, "/")
		}
		parts[i] = strings.TrimRight(c, " \t\r\n")
	}
	// The lines lose the indentation they all share.
	lines := strings.Split(strings.Join(parts, "\n"), "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	if indent > 0 {
		for i, l := range lines {
			if len(l) >= indent {
				lines[i] = l[indent:]
			} else {
				lines[i] = strings.TrimLeft(l, " ")
			}
		}
	}
	return strings.Join(lines, "\n")
}

// enabled reports whether an item with gate g is included.
func (r *resolver) enabled(g *gate, p *pkg, f *srcFile, pos int32) (bool, error) {
	if g == nil {
		return true, nil
	}
	if g.feature != "" && r.opts.Gate != nil {
		r.opts.Gate(g.feature)
	}
	switch g.kind {
	case gateUnstable:
		return r.opts.AllFeatures || r.features[g.feature], nil
	case gateSince:
		if p.name.version != "" {
			if semverLess(p.name.version, g.version) {
				return false, f.errorf(int(pos), "feature gate cannot reference unreleased version %s of package [%s] (current version %s)", g.version, p.name, p.name.version)
			}
		}
		if g.feature != "" {
			return r.opts.AllFeatures || r.features[g.feature], nil
		}
	}
	return true, nil
}

// finish declares and resolves every package, and returns the result.
// Packages are taken in name order and their dependencies first, as
// wit-parser sorts them (so a cycle is reported where it reports it).
func (r *resolver) finish(main []*pkg) (*Resolve, error) {
	for _, p := range r.order {
		if err := r.declare(p); err != nil {
			return nil, err
		}
	}
	sorted := slices.Clone(r.order)
	slices.SortStableFunc(sorted, func(a, b *pkg) int {
		if c := cmp.Compare(a.name.ns, b.name.ns); c != 0 {
			return c
		}
		if c := cmp.Compare(a.name.name, b.name.name); c != 0 {
			return c
		}
		switch {
		case a.name.version == b.name.version:
			return 0
		case a.name.version == "":
			return -1
		case b.name.version == "":
			return 1
		case semverLess(a.name.version, b.name.version):
			return -1
		}
		return 1
	})
	res := &Resolve{r: r, Packages: make([]*Package, 0, len(sorted))}
	done := map[*pkg]*Package{}
	visiting := map[*pkg]bool{}
	var visit func(p *pkg) error
	visit = func(p *pkg) error {
		if done[p] != nil {
			return nil
		}
		for _, ref := range r.foreignDeps(p) {
			if visiting[ref.pkg] {
				return ref.file.errorf(int(ref.pos), "package `%s` creates a dependency cycle", ref.pkg.name)
			}
			visiting[ref.pkg] = true
			if err := visit(ref.pkg); err != nil {
				return err
			}
			delete(visiting, ref.pkg)
		}
		if done[p] != nil {
			return nil
		}
		if err := r.resolvePkg(p); err != nil {
			return err
		}
		out := &Package{Name: p.name.String()}
		live := 0
		for _, in := range p.ifaceOrder {
			if !in.excluded {
				live++
			}
		}
		if live > 0 {
			out.Interfaces = make([]*wit.Interface, 0, live)
		}
		for _, in := range p.ifaceOrder {
			if !in.excluded {
				out.Interfaces = append(out.Interfaces, in.model)
			}
		}
		for _, w := range p.worldOrder {
			if !w.excluded {
				out.Worlds = append(out.Worlds, w.model())
			}
		}
		done[p] = out
		res.Packages = append(res.Packages, out)
		return nil
	}
	for _, p := range sorted {
		if err := visit(p); err != nil {
			return nil, err
		}
	}
	res.Main = done[main[len(main)-1]]
	return res, nil
}

type pkgRef struct {
	pkg  *pkg
	file *srcFile
	pos  int32
}

// foreignDeps lists the packages p refers to by name, each with its first
// reference (unknown ones fail during resolution, with the position).
func (r *resolver) foreignDeps(p *pkg) []pkgRef {
	var out []pkgRef
	seen := map[*pkg]bool{}
	var file *srcFile
	add := func(path *usePath) {
		if path == nil || path.pkg == nil {
			return
		}
		if d := r.pkgs[path.pkg.key()]; d != nil && !seen[d] {
			seen[d] = true
			out = append(out, pkgRef{d, file, path.pkg.pos})
		}
	}
	ifaceItems := func(items []any) {
		for _, it := range items {
			if u, ok := it.(*astUse); ok {
				add(&u.path)
			}
		}
	}
	for _, fi := range p.items {
		file = fi.file
		switch it := fi.item.(type) {
		case *astTopUse:
			add(&it.path)
		case *astInterface:
			ifaceItems(it.items)
		case *astWorld:
			for _, wi := range it.items {
				add(wi.path)
				if wi.use != nil {
					add(&wi.use.path)
				}
				if wi.iface != nil {
					ifaceItems(wi.iface.items)
				}
			}
		}
	}
	return out
}

// declare records p's interfaces and worlds and each file's names.
func (r *resolver) declare(p *pkg) error {
	p.declared = true
	lower := r.nameSet()
	for _, fs := range p.files {
		for _, it := range fs.items {
			var name ident
			switch it := it.(type) {
			case *astInterface:
				name = it.name
			case *astWorld:
				name = it.name
			default:
				continue
			}
			if _, dup := p.ifaces.get(name.name); dup {
				return fs.file.errorf(int(name.pos), "duplicate item named `%s`", name.name)
			}
			if _, dup := p.worlds.get(name.name); dup {
				return fs.file.errorf(int(name.pos), "duplicate item named `%s`", name.name)
			}
			if prev, dup := lower.find(name.name); dup {
				return fs.file.errorf(int(name.pos), "item `%s` conflicts with `%s` (kebab-case identifiers are case-insensitive)", name.name, prev)
			}
			lower.insert(name.name)
			switch it := it.(type) {
			case *astInterface:
				in := &iface{name: it.name.name, pkg: p, scope: fs, ast: it}
				p.ifaces.set(in.name, in)
				p.ifaceOrder = append(p.ifaceOrder, in)
			case *astWorld:
				w := &world{name: it.name.name, pkg: p, scope: fs, ast: it}
				p.worlds.set(w.name, w)
				p.worldOrder = append(p.worldOrder, w)
			}
		}
	}
	lower.done()
	for _, fs := range p.files {
		fs.names = newTable[named](len(fs.items))
		for _, it := range fs.items {
			switch it := it.(type) {
			case *astInterface:
				fs.names.set(it.name.name, named{iface: p.ifaces.lookup(it.name.name)})
			case *astWorld:
				fs.names.set(it.name.name, named{world: p.worlds.lookup(it.name.name)})
			}
		}
	}
	return nil
}

// resolveTopUses binds the top-level `use` names of every file of p.
func (r *resolver) resolveTopUses(p *pkg) error {
	for _, fs := range p.files {
		for _, it := range fs.items {
			u, ok := it.(*astTopUse)
			if !ok {
				continue
			}
			if on, err := r.enabled(u.gate, p, fs.file, u.path.name.pos); err != nil {
				return err
			} else if !on {
				continue
			}
			name := u.path.name
			if u.as.name != "" {
				name = u.as
			}
			if prev, dup := fs.names.get(name.name); dup {
				// wit-parser points at the declaration the use collides with.
				pos := name.pos
				if prev.iface != nil && prev.iface.scope == fs {
					pos = prev.iface.ast.name.pos
				} else if prev.world != nil && prev.world.scope == fs {
					pos = prev.world.ast.name.pos
				}
				return fs.file.errorf(int(pos), "duplicate name `%s` in this file", name.name)
			}
			n, err := r.lookupPath(p, fs, u.path, "interface")
			if err != nil {
				return err
			}
			if n.iface == nil && p.deferred == nil {
				// wit-parser finds this only after resolving the package.
				p.deferred = fs.file.errorf(int(u.path.name.pos), "interface '%s' not found in package '%s'", u.path.name.name, n.world.pkg.name)
			}
			fs.names.set(name.name, n)
		}
	}
	return nil
}

// lookupPath finds the interface or world a path names, from file fs of
// package p. Local names are the file's names, then the package's.
// kind ("interface" or "world") is what the reference expects: the first
// reference to a foreign item decides what it is taken to be, as in
// wit-parser.
func (r *resolver) lookupPath(p *pkg, fs *fileScope, path usePath, kind string) (named, error) {
	if path.pkg == nil {
		if n, ok := fs.names.get(path.name.name); ok {
			return n, nil
		}
		if in, ok := p.ifaces.get(path.name.name); ok {
			return named{iface: in}, nil
		}
		if w, ok := p.worlds.get(path.name.name); ok {
			return named{world: w}, nil
		}
		return named{}, fs.file.errorf(int(path.name.pos), "interface or world `%s` does not exist", path.name.name)
	}
	dp := r.pkgs[path.pkg.key()]
	if dp == nil {
		msg := fmt.Sprintf("package '%s' not found", path.pkg)
		if len(r.skipped) > 0 {
			msg += fmt.Sprintf(" (binary WIT packages are not read: %s)", strings.Join(r.skipped, ", "))
		}
		e := fs.file.errorf(int(path.pkg.pos), "%s", msg)
		e.binaryDeps = len(r.skipped) > 0
		return named{}, e
	}
	if !dp.declared {
		if err := r.declare(dp); err != nil {
			return named{}, err
		}
	}
	var n named
	var refKind *string
	if in, ok := dp.ifaces.get(path.name.name); ok {
		n, refKind = named{iface: in}, &in.refKind
	} else if w, ok := dp.worlds.get(path.name.name); ok {
		n, refKind = named{world: w}, &w.refKind
	} else {
		return named{}, fs.file.errorf(int(path.name.pos), "interface or world `%s` not found in package '%s'", path.name.name, path.pkg)
	}
	// The first reference decides (a reference to something that does
	// not exist fails at once).
	if *refKind == "" {
		*refKind = kind
	} else if *refKind != kind {
		return named{}, fs.file.errorf(int(path.name.pos), "name `%s` is defined as an %s, not a %s", path.name.name, *refKind, kind)
	}
	return n, nil
}

// lookupIface finds the interface a path names and resolves it.
func (r *resolver) lookupIface(p *pkg, fs *fileScope, path usePath) (*iface, error) {
	n, err := r.lookupPath(p, fs, path, "interface")
	if err != nil {
		return nil, err
	}
	if n.iface == nil {
		return nil, fs.file.errorf(int(path.name.pos), "name `%s` is defined as a world, not an interface", path.name.name)
	}
	if err := r.resolveIface(n.iface, fs.file, path.name.pos); err != nil {
		return nil, err
	}
	if n.iface.excluded {
		return nil, fs.file.errorf(int(path.name.pos), "found a reference to a interface which is excluded due to its feature not being activated")
	}
	return n.iface, nil
}

func (r *resolver) resolvePkg(p *pkg) error {
	if p.resolved {
		return nil
	}
	p.resolved = true
	if err := r.resolveTopUses(p); err != nil {
		return err
	}
	for _, in := range p.ifaceOrder {
		if err := r.resolveIface(in, nil, 0); err != nil {
			return err
		}
	}
	for _, w := range p.worldOrder {
		if err := r.resolveWorld(w, nil, 0); err != nil {
			return err
		}
	}
	return p.deferred
}

// scope is where type names are looked up: an interface's or a world's.
type scope struct {
	r      *resolver
	file   *srcFile
	owner  *iface // nil for a world
	byName *table[*typeDef]
	funcs  map[string]bool // world function names, for "cannot use function as a type"
}

// resolveIface resolves an interface once; from/pos say who asked, for the
// cycle error.
func (r *resolver) resolveIface(in *iface, from *srcFile, pos int32) error {
	switch in.state {
	case 2:
		return nil
	case 1:
		f := in.scope.file
		if from != nil {
			f = from
		} else {
			pos = in.ast.name.pos
		}
		if err := r.cycleError(in.pkg); err != nil {
			return err
		}
		return f.errorf(int(pos), "interface or world `%s` depends on itself", in.ast.name.name)
	}
	if r.chain >= maxChain {
		f := in.scope.file
		if from != nil {
			f = from
		}
		return f.errorf(int(pos), "interfaces and worlds depend on each other in a chain longer than %d", maxChain)
	}
	r.chain++
	defer func() { r.chain-- }()
	in.state = 1
	if !in.pkg.declared {
		if err := r.declare(in.pkg); err != nil {
			return err
		}
	}
	f := in.scope.file
	on, err := r.enabled(in.ast.gate, in.pkg, f, in.ast.name.pos)
	if err != nil {
		return err
	}
	in.byName = newTable[*typeDef](len(in.ast.items))
	in.model = &wit.Interface{Name: in.qname(), Docs: joinDocs(in.ast.docs)}
	if !on {
		in.excluded = true
		in.state = 2
		for _, it := range in.ast.items {
			if td, ok := it.(*astTypeDef); ok && td.gate.ungated() {
				return f.errorf(int(td.name.pos), "found a reference to a interface which is excluded due to its feature not being activated; this type is not gated by a feature but its interface is")
			}
		}
		return nil
	}
	sc := &scope{r: r, file: f, owner: in, byName: in.byName}
	names := r.nameSet()
	define := func(name ident) error { return names.add(f, name, "name") }
	// Room for every type and function the items may define (some may be
	// gated out), in one allocation each.
	nTypes, nDefs, nFuncs := 0, 0, 0
	for _, it := range in.ast.items {
		switch it := it.(type) {
		case *astUse:
			nTypes += len(it.names)
		case *astTypeDef:
			nDefs++
			if it.kind == tdResource {
				nFuncs += len(it.funcs)
			}
		case *astFunc:
			nFuncs++
		}
	}
	if n := nTypes + nDefs; n > 0 {
		in.types = make([]*typeDef, 0, n)
	}
	if nFuncs > 0 {
		in.funcs = make([]*wit.Function, 0, nFuncs)
	}
	// Uses first, in order.
	for _, it := range in.ast.items {
		u, ok := it.(*astUse)
		if !ok {
			continue
		}
		tds, err := r.use(in.pkg, in.scope, u, in, define)
		if err != nil {
			return err
		}
		for _, td := range tds {
			in.types = append(in.types, td)
			in.byName.set(td.name, td)
		}
	}
	var defs []*astTypeDef
	if nDefs > 0 {
		defs = make([]*astTypeDef, 0, nDefs)
	}
	for _, it := range in.ast.items {
		switch it := it.(type) {
		case *astTypeDef:
			if err := define(it.name); err != nil {
				return err
			}
			defs = append(defs, it)
		case *astFunc:
			if err := define(it.name); err != nil {
				return err
			}
		}
	}
	tds, err := sc.typeDefs(in.pkg, defs)
	if err != nil {
		return err
	}
	in.types = append(in.types, tds...)
	for _, it := range in.ast.items {
		switch it := it.(type) {
		case *astFunc:
			if on, err := r.enabled(it.gate, in.pkg, f, it.name.pos); err != nil {
				return err
			} else if !on {
				continue
			}
			fn, err := sc.function(it, nil)
			if err != nil {
				return err
			}
			in.funcs = append(in.funcs, fn)
		case *astTypeDef:
			if td := in.byName.lookup(it.name.name); it.kind != tdResource || td == nil || td.excluded {
				continue
			}
			fns, err := sc.resourceFuncs(in.pkg, it)
			if err != nil {
				return err
			}
			for _, fn := range fns {
				in.funcs = append(in.funcs, fn)
			}
		}
	}
	live := 0
	for _, td := range in.types {
		if !td.excluded {
			live++
		}
	}
	if live > 0 {
		defs := make([]wit.TypeDef, 0, live)
		in.model.Types = make([]*wit.TypeDef, 0, live)
		for _, td := range in.types {
			if !td.excluded {
				defs = append(defs, wit.TypeDef{Name: td.name, Type: td.t, Docs: td.docs})
				in.model.Types = append(in.model.Types, &defs[len(defs)-1])
			}
		}
	}
	if len(in.funcs) == 0 {
		in.funcs = nil // as when none was made room for
	}
	in.model.Functions = in.funcs
	names.done()
	in.state = 2
	return nil
}

// use resolves a `use path.{names}` item into type definitions owned by
// owner (nil in a world).
func (r *resolver) use(p *pkg, fs *fileScope, u *astUse, owner *iface, define func(ident) error) ([]*typeDef, error) {
	f := fs.file
	on, err := r.enabled(u.gate, p, f, u.path.name.pos)
	if err != nil || !on {
		return nil, err
	}
	src, err := r.lookupIface(p, fs, u.path)
	if err != nil {
		return nil, err
	}
	var out []*typeDef
	for _, n := range u.names {
		target := src.byName.lookup(n.name.name)
		if target == nil {
			return nil, f.errorf(int(n.name.pos), "type `%s` not defined in interface", n.name.name)
		}
		if target.excluded {
			return nil, f.errorf(int(n.name.pos), "found a reference to a type which is excluded due to its feature not being activated")
		}
		name := n.name
		if n.as.name != "" {
			name = n.as
		}
		if err := define(name); err != nil {
			return nil, err
		}
		td := &typeDef{name: name.name, owner: owner, target: target, shape: target.shape, resource: target.resource}
		if name.name == target.name {
			td.t = target.t
		} else {
			c := r.newType()
			*c = *target.t
			c.Name, c.Owner = name.name, owner.owner()
			if target.resource {
				c.Elem = wit.AliasOf(target.t) // the resource it names
			}
			td.t = c
		}
		out = append(out, td)
	}
	return out, nil
}

func semverLess(a, b string) bool {
	pa, pb := splitVersion(a), splitVersion(b)
	for i := 0; i < 3; i++ {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return false
}

func splitVersion(v string) [3]uint64 {
	var out [3]uint64
	core, _, _ := strings.Cut(v, "+")
	core, _, _ = strings.Cut(core, "-")
	i := 0
	for _, c := range core {
		if c == '.' {
			if i++; i == 3 {
				break
			}
			continue
		}
		out[i] = out[i]*10 + uint64(c-'0')
	}
	return out
}
