package witparse

// The syntax tree of one WIT file. Positions are byte offsets into the file.

type ident struct {
	name string
	pos  int32
}

type pkgName struct {
	ns, name, version string
	pos               int32
}

// pkgKey identifies a package: its name without the position.
type pkgKey struct{ ns, name, version string }

func (p pkgName) key() pkgKey { return pkgKey{p.ns, p.name, p.version} }

func (p pkgName) String() string {
	if p.version != "" {
		return p.ns + ":" + p.name + "@" + p.version // one allocation
	}
	return p.ns + ":" + p.name
}

// usePath names an interface or world: a local name (pkg == nil) or
// ns:pkg/name@version.
type usePath struct {
	pkg  *pkgName
	name ident
}

type gateKind uint8

const (
	gateNone gateKind = iota
	gateSince
	gateUnstable
)

// gate is an item's feature gate (@since, @unstable, @deprecated). Items
// hold a *gate, nil without attributes (most items).
type gate struct {
	kind       gateKind
	version    string // @since(version = …)
	feature    string // @unstable(feature = …) or @since(…, feature = …)
	deprecated string // @deprecated(version = …)
	pos        int32
}

// ungated reports whether an item with gate g has no @since or @unstable.
func (g *gate) ungated() bool { return g == nil || g.kind == gateNone }

type astFile struct {
	file *srcFile
	// decl is the file's `package x:y;` header, or nil.
	decl *pkgDecl
	// items are the file's top-level items (of the file's package).
	items  []astItem
	nested []*astNested
}

type pkgDecl struct {
	name    pkgName
	docs    []string
	docsPos int32
}

type astNested struct {
	decl  pkgDecl
	items []astItem
}

// astItem is *astInterface, *astWorld or *astTopUse.
type astItem = any

type astTopUse struct {
	path usePath
	as   ident
	gate *gate
}

type astInterface struct {
	name  ident
	docs  []string
	gate  *gate
	items []any // *astUse, *astTypeDef, *astFunc
}

type astUse struct {
	path  usePath
	names []useName
	gate  *gate
}

type useName struct {
	name, as ident // as.name == "" without `as`
}

type tdKind uint8

const (
	tdAlias tdKind = iota
	tdRecord
	tdVariant
	tdEnum
	tdFlags
	tdResource
)

type astTypeDef struct {
	kind   tdKind
	name   ident
	docs   []string
	gate   *gate
	alias  *astType
	fields []astField // record fields, variant cases (ty may be nil)
	labels []ident    // enum cases, flags
	funcs  []*astFunc // resource functions
}

type astField struct {
	name ident
	ty   *astType
	docs []string
}

type funcKind uint8

const (
	fnFree funcKind = iota
	fnMethod
	fnStatic
	fnCtor
)

type astFunc struct {
	name   ident
	docs   []string
	gate   *gate
	kind   funcKind
	async  bool
	params []astField
	result *astType
	pos    int32
}

type tyKind uint8

const (
	tyPrim tyKind = iota
	tyNamed
	tyList
	tyFixedList
	tyOption
	tyResult
	tyTuple
	tyOwn
	tyBorrow
	tyFuture
	tyStream
	tyMap
)

// astType is a type expression. (Its fields are laid out to fit a
// 64-byte allocation: the types are most of the syntax tree.)
type astType struct {
	elems  []*astType // tuple; list/option/future/stream: [elem]; map: [key, value]; result: [ok, err] (nil entries for _)
	ref    string     // the type named: tyNamed, tyOwn, tyBorrow
	pos    int32
	refPos int32
	n      uint32
	kind   tyKind
	prim   uint8 // tyPrim: the index in primKinds
}

// refIdent is the type name t refers to, with its position.
func (t *astType) refIdent() ident { return ident{name: t.ref, pos: t.refPos} }

type worldItemKind uint8

const (
	wiImport worldItemKind = iota
	wiExport
	wiUse
	wiType
	wiInclude
)

type astWorld struct {
	name  ident
	docs  []string
	gate  *gate
	items []*astWorldItem
}

type astWorldItem struct {
	kind worldItemKind
	docs []string
	gate *gate
	pos  int32
	// import/export: a label with a function, an inline interface or an
	// interface path (label: path), or a path alone.
	label ident
	path  *usePath
	fn    *astFunc
	iface *astInterface
	use   *astUse
	td    *astTypeDef
	// include
	with []useName
}
