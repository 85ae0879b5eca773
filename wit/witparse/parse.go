package witparse

import (
	"strconv"
	"strings"
	"unsafe"

	"github.com/wfcompat/wfcompat/wit"
)

// Syntactic limits, as wit-parser has them.
const (
	maxTypeNesting    = 100 // type nesting in the text: list<list<…>>
	maxPackageNesting = 100 // nested package blocks
)

const errNestedMsg = "nested packages must be placed at the top-level"

// parser reads one file's tokens into an astFile. One parser serves every
// file of a load: its buffers (the tokens, and the lists being collected,
// copied out at their exact length) are reused.
type parser struct {
	f    *srcFile
	toks []token
	i    int

	fields []astField
	idents []ident
	funcs  []*astFunc
	items  []any
	witems []*astWorldItem
	names  []useName
	elems  []*astType // a tuple's types, collected (tuples nest)

	// Slabs the syntax tree's type expressions are cut from (never
	// truncated: what they hand out lives on in the tree).
	tySlab   slab[astType]
	elemSlab []*astType
}

// elemChunk is the size of the chunks of the parser's slab of lists of
// types: 1 KB (an allocator size class, so none of it is wasted by
// rounding up; the WASI packages' files fill about one).
const elemChunk = 1024 / int(unsafe.Sizeof((*astType)(nil)))

// newType returns a new type expression at pos, from the parser's slab:
// a few large allocations rather than one per type.
func (p *parser) newType(pos int32) *astType {
	t := p.tySlab.new()
	t.pos = pos
	return t
}

// newElems returns a list of n type expressions (nil), from the
// parser's slab, its capacity n (so that an append copies it).
func (p *parser) newElems(n int) []*astType {
	if cap(p.elemSlab)-len(p.elemSlab) < n {
		p.elemSlab = make([]*astType, 0, max(n, elemChunk))
	}
	i := len(p.elemSlab)
	p.elemSlab = p.elemSlab[:i+n]
	return p.elemSlab[i : i+n : i+n]
}

// parseFile parses the text of one WIT file with p.
func parseFile(f *srcFile, p *parser) (*astFile, error) {
	toks, err := tokenize(f, p.toks)
	p.toks = toks
	if err != nil {
		return nil, err
	}
	p.f, p.i = f, 0
	p.fields, p.idents, p.funcs = p.fields[:0], p.idents[:0], p.funcs[:0]
	p.items, p.witems, p.names, p.elems = p.items[:0], p.witems[:0], p.names[:0], p.elems[:0]
	return p.file()
}

// take returns (*buf)[start:] copied at its length (nil if empty), and
// truncates *buf to start: lists are collected on a parser's buffers,
// which nest (a file's items, an interface's), each list taken before
// the enclosing one grows.
func take[T any](buf *[]T, start int) []T {
	s := (*buf)[start:]
	if len(s) == 0 {
		return nil
	}
	out := make([]T, len(s))
	copy(out, s)
	clear(s)
	*buf = (*buf)[:start]
	return out
}

func (p *parser) text(t token) string { return p.f.text[t.start:t.end] }

// peek returns the next token that is not a comment.
func (p *parser) peek() token {
	for j := p.i; ; j++ {
		if p.toks[j].kind != tokComment {
			return p.toks[j]
		}
	}
}

// peekN returns the n-th next token that is not a comment (n = 0: peek).
func (p *parser) peekN(n int) token {
	for j := p.i; ; j++ {
		t := p.toks[j]
		if t.kind == tokComment {
			continue
		}
		if n == 0 || t.kind == tokEOF {
			return t
		}
		n--
	}
}

func (p *parser) next() token {
	for {
		t := p.toks[p.i]
		if t.kind != tokEOF {
			p.i++
		}
		if t.kind != tokComment {
			return t
		}
	}
}

// docs consumes the comments in front of the next token: they are its
// documentation.
func (p *parser) docs() []string {
	var d []string
	for p.toks[p.i].kind == tokComment {
		d = append(d, p.text(p.toks[p.i]))
		p.i++
	}
	return d
}

func (p *parser) isKw(t token, kw string) bool { return t.kind == tokID && p.text(t) == kw }

func (p *parser) describe(t token) string {
	switch t.kind {
	case tokID:
		if s := p.text(t); isKeyword(s) {
			return "keyword `" + s + "`"
		}
	case tokEOF:
		return "eof"
	}
	return tokNames[t.kind]
}

func (p *parser) errAt(pos int32, format string, args ...any) error {
	return p.f.errorf(int(pos), format, args...)
}

func (p *parser) expect(k tokKind) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, p.errAt(t.start, "expected %s, found %s", tokNames[k], p.describe(t))
	}
	return t, nil
}

func (p *parser) expectKw(kw string) error {
	t := p.next()
	if !p.isKw(t, kw) {
		return p.errAt(t.start, "expected keyword `%s`, found %s", kw, p.describe(t))
	}
	return nil
}

func (p *parser) eat(k tokKind) bool {
	if p.peek().kind == k {
		p.next()
		return true
	}
	return false
}

func (p *parser) eatKw(kw string) bool {
	if p.isKw(p.peek(), kw) {
		p.next()
		return true
	}
	return false
}

// id reads an identifier: a plain one that is not a keyword, or %name.
func (p *parser) id() (ident, error) {
	t := p.next()
	var s string
	switch t.kind {
	case tokID:
		s = p.text(t)
		if isKeyword(s) {
			return ident{}, p.errAt(t.start, "expected an identifier or string, found %s", p.describe(t))
		}
	case tokExplicitID:
		s = p.text(t)[1:]
	default:
		return ident{}, p.errAt(t.start, "expected an identifier or string, found %s", p.describe(t))
	}
	if !t.id {
		if err := validateID(s); err != nil {
			return ident{}, p.errAt(t.start, "%v", err)
		}
	}
	return ident{name: s, pos: t.start}, nil
}

func (p *parser) isIDStart(t token) bool {
	return t.kind == tokExplicitID || t.kind == tokID && !isKeyword(p.text(t))
}

func (p *parser) file() (*astFile, error) {
	af := &astFile{file: p.f}
	docsPos := p.toks[p.i].start
	docs := p.docs()
	if p.isKw(p.peek(), "package") {
		p.next()
		name, err := p.packageName()
		if err != nil {
			return nil, err
		}
		if p.eat(tokSemicolon) {
			af.decl = &pkgDecl{name: name, docs: docs, docsPos: docsPos}
		} else {
			n, err := p.nested(pkgDecl{name: name, docs: docs}, 0)
			if err != nil {
				return nil, err
			}
			af.nested = append(af.nested, n)
		}
		docs = nil
	}
	start := len(p.items)
	for {
		docs = append(docs, p.docs()...)
		if p.peek().kind == tokEOF {
			af.items = take(&p.items, start)
			return af, nil
		}
		g, err := p.attrs()
		if err != nil {
			return nil, err
		}
		if p.isKw(p.peek(), "package") {
			p.next()
			name, err := p.packageName()
			if err != nil {
				return nil, err
			}
			n, err := p.nested(pkgDecl{name: name, docs: docs}, 0)
			if err != nil {
				return nil, err
			}
			af.nested = append(af.nested, n)
			docs = nil
			continue
		}
		it, err := p.item(docs, g)
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, it)
		docs = nil
	}
}

// nested parses `{ items }` of a nested package whose header was read.
func (p *parser) nested(decl pkgDecl, depth int) (*astNested, error) {
	if _, err := p.expect(tokLBrace); err != nil {
		return nil, err
	}
	n := &astNested{decl: decl}
	var inner error
	start := len(p.items)
	for {
		docs := p.docs()
		if p.eat(tokRBrace) {
			break
		}
		g, err := p.attrs()
		if err != nil {
			return nil, err
		}
		if p.isKw(p.peek(), "package") {
			p.next()
			name, err := p.packageName()
			if err != nil {
				return nil, err
			}
			if depth+1 >= maxPackageNesting {
				return nil, p.errAt(name.pos, "package nesting too deep")
			}
			if _, err := p.nested(pkgDecl{name: name}, depth+1); err != nil {
				// A deeper level's "must be at the top-level" gives way to
				// this level's; any other error stands.
				if e, ok := err.(*Error); !ok || e.Msg != errNestedMsg {
					return nil, err
				}
			}
			if inner == nil {
				inner = p.errAt(name.pos, errNestedMsg)
			}
			continue
		}
		it, err := p.item(docs, g)
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, it)
	}
	if inner != nil {
		return nil, inner
	}
	n.items = take(&p.items, start)
	return n, nil
}

func (p *parser) item(docs []string, g *gate) (astItem, error) {
	t := p.peek()
	switch {
	case p.isKw(t, "interface"):
		p.next()
		name, err := p.id()
		if err != nil {
			return nil, err
		}
		in := &astInterface{name: name, docs: docs, gate: g}
		if in.items, err = p.interfaceBody(); err != nil {
			return nil, err
		}
		return in, nil
	case p.isKw(t, "world"):
		p.next()
		return p.world(docs, g)
	case p.isKw(t, "use"):
		p.next()
		path, err := p.usePath()
		if err != nil {
			return nil, err
		}
		u := &astTopUse{path: path, gate: g}
		if p.eatKw("as") {
			if u.as, err = p.id(); err != nil {
				return nil, err
			}
		}
		if _, err := p.expect(tokSemicolon); err != nil {
			return nil, err
		}
		return u, nil
	}
	p.next()
	return nil, p.errAt(t.start, "expected `world`, `interface` or `use`, found %s", p.describe(t))
}

// packageName reads ns:name@version (the `package` keyword was read).
func (p *parser) packageName() (pkgName, error) {
	start := p.peek().start
	ns, err := p.id()
	if err != nil {
		return pkgName{}, err
	}
	if _, err := p.expect(tokColon); err != nil {
		return pkgName{}, err
	}
	name, err := p.id()
	if err != nil {
		return pkgName{}, err
	}
	pn := pkgName{ns: ns.name, name: name.name, pos: start}
	if p.peek().kind == tokAt {
		if pn.version, err = p.version(); err != nil {
			return pkgName{}, err
		}
	}
	return pn, nil
}

// version reads `@` and a semantic version from the source text.
func (p *parser) version() (string, error) {
	at := p.next()
	return p.versionAt(int(at.end))
}

// versionAt reads a semantic version starting at byte i of the source and
// moves the token cursor past it: versions are read from the text, since
// their tokens (1.0.0-rc.1+build) do not follow WIT's token rules.
func (p *parser) versionAt(start int) (string, error) {
	src := p.f.text
	i := start
	for i < len(src) {
		c := src[i]
		// A period belongs to the version only between its parts
		// (`@1.0.0.{x}` ends before `.{`).
		if isVersionChar(c) || c == '+' || c == '.' && i+1 < len(src) && isVersionChar(src[i+1]) {
			i++
			continue
		}
		break
	}
	v := src[start:i]
	if err := checkSemver(v); err != nil {
		return "", p.errAt(int32(start), "invalid version %q: %v", v, err)
	}
	for p.toks[p.i].start < int32(i) && p.toks[p.i].kind != tokEOF {
		p.i++
	}
	return v, nil
}

func isVersionChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

type semverError string

func (e semverError) Error() string { return string(e) }

// checkSemver validates a semantic version (semver.org 2.0.0).
func checkSemver(v string) error {
	if v == "" {
		return semverError("empty version")
	}
	core, build, hasBuild := strings.Cut(v, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	if strings.Count(core, ".") != 2 {
		return semverError("want MAJOR.MINOR.PATCH")
	}
	for n := range strings.SplitSeq(core, ".") {
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return semverError("version numbers must be digits")
		}
		if len(n) > 1 && n[0] == '0' {
			return semverError("version numbers must not have leading zeros")
		}
		if _, err := strconv.ParseUint(n, 10, 64); err != nil {
			return semverError("version number too large")
		}
	}
	check := func(s string, numeric bool) error {
		for id := range strings.SplitSeq(s, ".") {
			if id == "" || strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
				return semverError("bad pre-release or build identifier")
			}
			if numeric && len(id) > 1 && id[0] == '0' && strings.Trim(id, "0123456789") == "" {
				return semverError("numeric pre-release identifiers must not have leading zeros")
			}
		}
		return nil
	}
	if hasPre {
		if err := check(pre, true); err != nil {
			return err
		}
	}
	if hasBuild {
		if err := check(build, false); err != nil {
			return err
		}
	}
	return nil
}

// usePath reads `name` or `ns:pkg/name@version`.
func (p *parser) usePath() (usePath, error) {
	start := p.peek().start
	first, err := p.id()
	if err != nil {
		return usePath{}, err
	}
	if p.peek().kind != tokColon {
		return usePath{name: first}, nil
	}
	p.next()
	pkg, err := p.id()
	if err != nil {
		return usePath{}, err
	}
	if _, err := p.expect(tokSlash); err != nil {
		return usePath{}, err
	}
	name, err := p.id()
	if err != nil {
		return usePath{}, err
	}
	pn := &pkgName{ns: first.name, name: pkg.name, pos: start}
	if p.peek().kind == tokAt {
		if pn.version, err = p.version(); err != nil {
			return usePath{}, err
		}
	}
	return usePath{pkg: pn, name: name}, nil
}

// attrs reads @since, @unstable and @deprecated in front of an item.
func (p *parser) attrs() (*gate, error) {
	if p.peek().kind != tokAt {
		return nil, nil
	}
	g := &gate{}
	for p.peek().kind == tokAt {
		at := p.next()
		if g.pos == 0 {
			g.pos = at.start
		}
		t := p.next()
		if t.kind != tokID {
			return nil, p.errAt(t.start, "expected an identifier, found %s", p.describe(t))
		}
		attr := p.text(t)
		switch attr {
		case "since", "unstable", "deprecated":
		default:
			return nil, p.errAt(t.start, "unknown attribute `%s`", attr)
		}
		if _, err := p.expect(tokLParen); err != nil {
			return nil, err
		}
		key, err := p.id()
		if err != nil {
			return nil, err
		}
		want := "version"
		if attr == "unstable" {
			want = "feature"
		}
		if key.name != want {
			return nil, p.errAt(key.pos, "expected `%s`, found `%s`", want, key.name)
		}
		if _, err := p.expect(tokEquals); err != nil {
			return nil, err
		}
		switch attr {
		case "since":
			if g.kind != gateNone {
				return nil, p.errAt(t.start, "duplicate feature gate")
			}
			g.kind = gateSince
			if g.version, err = p.bareVersion(); err != nil {
				return nil, err
			}
			if p.eat(tokComma) {
				k, err := p.id()
				if err != nil {
					return nil, err
				}
				if k.name != "feature" {
					return nil, p.errAt(k.pos, "expected `feature`, found `%s`", k.name)
				}
				if _, err := p.expect(tokEquals); err != nil {
					return nil, err
				}
				f, err := p.id()
				if err != nil {
					return nil, err
				}
				g.feature = f.name
			}
		case "unstable":
			if g.kind != gateNone {
				return nil, p.errAt(t.start, "duplicate feature gate")
			}
			g.kind = gateUnstable
			f, err := p.id()
			if err != nil {
				return nil, err
			}
			g.feature = f.name
		case "deprecated":
			if g.deprecated != "" {
				return nil, p.errAt(t.start, "duplicate @deprecated")
			}
			if g.deprecated, err = p.bareVersion(); err != nil {
				return nil, err
			}
		}
		if _, err := p.expect(tokRParen); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// bareVersion reads a version that is not preceded by `@` (in
// @since(version = 1.2.3)).
func (p *parser) bareVersion() (string, error) {
	t := p.peek()
	if t.kind != tokInt {
		p.next()
		return "", p.errAt(t.start, "expected a version, found %s", p.describe(t))
	}
	return p.versionAt(int(t.start))
}

func (p *parser) interfaceBody() ([]any, error) {
	if _, err := p.expect(tokLBrace); err != nil {
		return nil, err
	}
	start := len(p.items)
	for {
		docs := p.docs()
		if p.eat(tokRBrace) {
			return take(&p.items, start), nil
		}
		g, err := p.attrs()
		if err != nil {
			return nil, err
		}
		t := p.peek()
		switch {
		case p.isKw(t, "use"):
			p.next()
			u, err := p.useItem(g)
			if err != nil {
				return nil, err
			}
			p.items = append(p.items, u)
		case p.isTypeDefStart(t):
			td, err := p.typeDef(docs, g)
			if err != nil {
				return nil, err
			}
			p.items = append(p.items, td)
		default:
			fn, err := p.funcItem(docs, g)
			if err != nil {
				return nil, err
			}
			p.items = append(p.items, fn)
		}
	}
}

func (p *parser) isTypeDefStart(t token) bool {
	if t.kind != tokID {
		return false
	}
	switch p.text(t) {
	case "type", "record", "variant", "enum", "flags", "resource":
		return true
	}
	return false
}

// useItem reads `path.{a, b as c};` (the `use` keyword was read).
func (p *parser) useItem(g *gate) (*astUse, error) {
	path, err := p.usePath()
	if err != nil {
		return nil, err
	}
	u := &astUse{path: path, gate: g}
	if _, err := p.expect(tokPeriod); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokLBrace); err != nil {
		return nil, err
	}
	start := len(p.names)
	for !p.eat(tokRBrace) {
		n, err := p.id()
		if err != nil {
			return nil, err
		}
		un := useName{name: n}
		if p.eatKw("as") {
			if un.as, err = p.id(); err != nil {
				return nil, err
			}
		}
		p.names = append(p.names, un)
		if !p.eat(tokComma) {
			if _, err := p.expect(tokRBrace); err != nil {
				return nil, err
			}
			break
		}
	}
	u.names = take(&p.names, start)
	if _, err := p.expect(tokSemicolon); err != nil {
		return nil, err
	}
	return u, nil
}

// funcItem reads `name: [async] func(…) [-> T];`.
func (p *parser) funcItem(docs []string, g *gate) (*astFunc, error) {
	name, err := p.id()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tokColon); err != nil {
		return nil, err
	}
	fn := &astFunc{name: name, docs: docs, gate: g, pos: name.pos}
	return fn, p.funcType(fn)
}

// funcType reads `[async] func(params) [-> T]` and the closing `;`.
func (p *parser) funcType(fn *astFunc) error {
	fn.async = p.eatKw("async")
	if err := p.expectKw("func"); err != nil {
		return err
	}
	return p.paramsResult(fn)
}

func (p *parser) paramsResult(fn *astFunc) error {
	if _, err := p.expect(tokLParen); err != nil {
		return err
	}
	start := len(p.fields)
	for !p.eat(tokRParen) {
		n, err := p.id()
		if err != nil {
			return err
		}
		if _, err := p.expect(tokColon); err != nil {
			return err
		}
		ty, err := p.typ(0)
		if err != nil {
			return err
		}
		p.fields = append(p.fields, astField{name: n, ty: ty})
		if !p.eat(tokComma) {
			if _, err := p.expect(tokRParen); err != nil {
				return err
			}
			break
		}
	}
	fn.params = take(&p.fields, start)
	if p.eat(tokArrow) {
		ty, err := p.typ(0)
		if err != nil {
			return err
		}
		fn.result = ty
	}
	_, err := p.expect(tokSemicolon)
	return err
}

func (p *parser) typeDef(docs []string, g *gate) (*astTypeDef, error) {
	kw := p.text(p.next())
	name, err := p.id()
	if err != nil {
		return nil, err
	}
	td := &astTypeDef{name: name, docs: docs, gate: g}
	switch kw {
	case "type":
		td.kind = tdAlias
		if _, err := p.expect(tokEquals); err != nil {
			return nil, err
		}
		if td.alias, err = p.typ(0); err != nil {
			return nil, err
		}
		_, err = p.expect(tokSemicolon)
		return td, err
	case "resource":
		td.kind = tdResource
		if p.eat(tokSemicolon) {
			return td, nil
		}
		if _, err := p.expect(tokLBrace); err != nil {
			return nil, err
		}
		start := len(p.funcs)
		for {
			fdocs := p.docs()
			if p.eat(tokRBrace) {
				break
			}
			fg, err := p.attrs()
			if err != nil {
				return nil, err
			}
			t := p.peek()
			if p.isKw(t, "constructor") {
				p.next()
				fn := &astFunc{name: ident{name: name.name, pos: t.start}, docs: fdocs, gate: fg, kind: fnCtor, pos: t.start}
				if err := p.paramsResult(fn); err != nil {
					return nil, err
				}
				p.funcs = append(p.funcs, fn)
				continue
			}
			if !p.isIDStart(t) {
				p.next()
				return nil, p.errAt(t.start, "expected `constructor` or identifier, found %s", p.describe(t))
			}
			fname, _ := p.id()
			if _, err := p.expect(tokColon); err != nil {
				return nil, err
			}
			fn := &astFunc{name: fname, docs: fdocs, gate: fg, kind: fnMethod, pos: fname.pos}
			if p.eatKw("static") {
				fn.kind = fnStatic
			}
			if err := p.funcType(fn); err != nil {
				return nil, err
			}
			p.funcs = append(p.funcs, fn)
		}
		td.funcs = take(&p.funcs, start)
		p.eat(tokSemicolon)
		return td, nil
	}
	if _, err := p.expect(tokLBrace); err != nil {
		return nil, err
	}
	fstart, lstart := len(p.fields), len(p.idents)
	for {
		fdocs := p.docs()
		if p.eat(tokRBrace) {
			break
		}
		n, err := p.id()
		if err != nil {
			return nil, err
		}
		f := astField{name: n, docs: fdocs}
		switch kw {
		case "record":
			if _, err := p.expect(tokColon); err != nil {
				return nil, err
			}
			if f.ty, err = p.typ(0); err != nil {
				return nil, err
			}
		case "variant":
			if p.eat(tokLParen) {
				if f.ty, err = p.typ(0); err != nil {
					return nil, err
				}
				if _, err := p.expect(tokRParen); err != nil {
					return nil, err
				}
			}
		}
		if kw == "enum" || kw == "flags" {
			p.idents = append(p.idents, n)
		} else {
			p.fields = append(p.fields, f)
		}
		if !p.eat(tokComma) {
			if _, err := p.expect(tokRBrace); err != nil {
				return nil, err
			}
			break
		}
	}
	td.fields, td.labels = take(&p.fields, fstart), take(&p.idents, lstart)
	switch kw {
	case "record":
		td.kind = tdRecord
	case "variant":
		td.kind = tdVariant
		if len(td.fields) == 0 {
			return nil, p.errAt(name.pos, "empty variant")
		}
	case "enum":
		td.kind = tdEnum
		if len(td.labels) == 0 {
			return nil, p.errAt(name.pos, "empty enum")
		}
	case "flags":
		td.kind = tdFlags
	}
	return td, nil
}

// primKinds are the primitive types, by astType.prim.
var primKinds = [...]wit.Kind{
	wit.Bool, wit.U8, wit.U16, wit.U32, wit.U64, wit.S8, wit.S16, wit.S32, wit.S64,
	wit.F32, wit.F64, wit.Char, wit.String, wit.ErrorContext,
}

// primKind returns the index in primKinds of the primitive type s names.
func primKind(s string) (uint8, bool) {
	switch s {
	case "bool":
		return 0, true
	case "u8":
		return 1, true
	case "u16":
		return 2, true
	case "u32":
		return 3, true
	case "u64":
		return 4, true
	case "s8":
		return 5, true
	case "s16":
		return 6, true
	case "s32":
		return 7, true
	case "s64":
		return 8, true
	case "f32":
		return 9, true
	case "f64":
		return 10, true
	case "char":
		return 11, true
	case "string":
		return 12, true
	case "error-context":
		return 13, true
	}
	return 0, false
}

// typ reads a type; depth counts the enclosing types.
func (p *parser) typ(depth int) (*astType, error) {
	t := p.next()
	if depth >= maxTypeNesting {
		return nil, p.errAt(t.start, "type nesting too deep")
	}
	ty := p.newType(t.start)
	if t.kind == tokExplicitID {
		s := p.text(t)[1:]
		if !t.id {
			if err := validateID(s); err != nil {
				return nil, p.errAt(t.start, "%v", err)
			}
		}
		ty.kind, ty.ref, ty.refPos = tyNamed, s, t.start
		return ty, nil
	}
	if t.kind != tokID {
		return nil, p.errAt(t.start, "expected a type, found %s", p.describe(t))
	}
	s := p.text(t)
	if k, ok := primKind(s); ok {
		ty.kind, ty.prim = tyPrim, k
		return ty, nil
	}
	var err error
	// elem parses ty's only type argument.
	elem := func() error {
		e, err := p.typ(depth + 1)
		ty.elems = p.newElems(1)
		ty.elems[0] = e
		return err
	}
	switch s {
	case "list":
		ty.kind = tyList
		if _, err = p.expect(tokLT); err != nil {
			return nil, err
		}
		if err = elem(); err != nil {
			return nil, err
		}
		if p.eat(tokComma) {
			n := p.next()
			if n.kind != tokInt {
				return nil, p.errAt(n.start, "expected fixed-length, found %s", p.describe(n))
			}
			v, perr := strconv.ParseUint(p.text(n), 10, 32)
			if perr != nil || v == 0 {
				return nil, p.errAt(n.start, "invalid fixed-length list length %s", p.text(n))
			}
			ty.kind, ty.n = tyFixedList, uint32(v)
		}
		_, err = p.expect(tokGT)
	case "option":
		ty.kind = tyOption
		if _, err = p.expect(tokLT); err != nil {
			return nil, err
		}
		if err = elem(); err != nil {
			return nil, err
		}
		_, err = p.expect(tokGT)
	case "tuple":
		ty.kind = tyTuple
		if _, err = p.expect(tokLT); err != nil {
			return nil, err
		}
		start := len(p.elems)
		for !p.eat(tokGT) {
			var e *astType
			if e, err = p.typ(depth + 1); err != nil {
				p.elems = p.elems[:start]
				return nil, err
			}
			p.elems = append(p.elems, e)
			if !p.eat(tokComma) {
				_, err = p.expect(tokGT)
				break
			}
		}
		if n := len(p.elems) - start; n > 0 {
			ty.elems = p.newElems(n)
			copy(ty.elems, p.elems[start:])
		}
		clear(p.elems[start:])
		p.elems = p.elems[:start]
	case "map":
		ty.kind = tyMap
		if _, err = p.expect(tokLT); err != nil {
			return nil, err
		}
		ty.elems = p.newElems(2)
		if ty.elems[0], err = p.typ(depth + 1); err != nil {
			return nil, err
		}
		if _, err = p.expect(tokComma); err != nil {
			return nil, err
		}
		if ty.elems[1], err = p.typ(depth + 1); err != nil {
			return nil, err
		}
		_, err = p.expect(tokGT)
	case "result":
		ty.kind = tyResult
		ty.elems = p.newElems(2)
		if !p.eat(tokLT) {
			return ty, nil
		}
		if p.eatKw("_") {
			if _, err = p.expect(tokComma); err != nil {
				return nil, err
			}
			if ty.elems[1], err = p.typ(depth + 1); err != nil {
				return nil, err
			}
		} else {
			if ty.elems[0], err = p.typ(depth + 1); err != nil {
				return nil, err
			}
			if p.eat(tokComma) {
				if ty.elems[1], err = p.typ(depth + 1); err != nil {
					return nil, err
				}
			}
		}
		_, err = p.expect(tokGT)
	case "own", "borrow":
		ty.kind = tyOwn
		if s == "borrow" {
			ty.kind = tyBorrow
		}
		if _, err = p.expect(tokLT); err != nil {
			return nil, err
		}
		id, err := p.id()
		if err != nil {
			return nil, err
		}
		ty.ref, ty.refPos = id.name, id.pos
		_, err = p.expect(tokGT)
	case "future", "stream":
		ty.kind = tyFuture
		if s == "stream" {
			ty.kind = tyStream
		}
		if p.eat(tokLT) {
			if err = elem(); err != nil {
				return nil, err
			}
			_, err = p.expect(tokGT)
		}
	default:
		if isKeyword(s) {
			return nil, p.errAt(t.start, "expected a type, found %s", p.describe(t))
		}
		if !t.id {
			if err := validateID(s); err != nil {
				return nil, p.errAt(t.start, "%v", err)
			}
		}
		ty.kind, ty.ref, ty.refPos = tyNamed, s, t.start
	}
	if err != nil {
		return nil, err
	}
	return ty, nil
}

func (p *parser) world(docs []string, g *gate) (*astWorld, error) {
	name, err := p.id()
	if err != nil {
		return nil, err
	}
	w := &astWorld{name: name, docs: docs, gate: g}
	if _, err := p.expect(tokLBrace); err != nil {
		return nil, err
	}
	start := len(p.witems)
	for {
		idocs := p.docs()
		if p.eat(tokRBrace) {
			w.items = take(&p.witems, start)
			return w, nil
		}
		ig, err := p.attrs()
		if err != nil {
			return nil, err
		}
		t := p.peek()
		it := &astWorldItem{docs: idocs, gate: ig, pos: t.start}
		switch {
		case p.isKw(t, "import"), p.isKw(t, "export"):
			p.next()
			it.kind = wiImport
			if p.text(t) == "export" {
				it.kind = wiExport
			}
			if err := p.extern(it); err != nil {
				return nil, err
			}
		case p.isKw(t, "use"):
			p.next()
			it.kind = wiUse
			if it.use, err = p.useItem(ig); err != nil {
				return nil, err
			}
		case p.isKw(t, "include"):
			p.next()
			it.kind = wiInclude
			path, err := p.usePath()
			if err != nil {
				return nil, err
			}
			it.path = &path
			if p.eatKw("with") {
				if _, err := p.expect(tokLBrace); err != nil {
					return nil, err
				}
				for !p.eat(tokRBrace) {
					from, err := p.id()
					if err != nil {
						return nil, err
					}
					if err := p.expectKw("as"); err != nil {
						return nil, err
					}
					to, err := p.id()
					if err != nil {
						return nil, err
					}
					it.with = append(it.with, useName{name: from, as: to})
					if !p.eat(tokComma) {
						if _, err := p.expect(tokRBrace); err != nil {
							return nil, err
						}
						break
					}
				}
				p.eat(tokSemicolon)
			} else if _, err := p.expect(tokSemicolon); err != nil {
				return nil, err
			}
		case p.isTypeDefStart(t):
			it.kind = wiType
			if it.td, err = p.typeDef(idocs, ig); err != nil {
				return nil, err
			}
		default:
			p.next()
			return nil, p.errAt(t.start, "expected `import`, `export`, `include`, `use`, or type definition, found %s", p.describe(t))
		}
		p.witems = append(p.witems, it)
	}
}

// extern reads what follows `import` or `export`.
func (p *parser) extern(it *astWorldItem) error {
	t0, t1 := p.peekN(0), p.peekN(1)
	labelled := p.isIDStart(t0) && t1.kind == tokColon
	if labelled {
		// `ns:pkg/iface` also starts `id :`; a label is followed by a
		// function, an inline interface or a path that is not `id /`.
		t2, t3 := p.peekN(2), p.peekN(3)
		if p.isIDStart(t2) && t3.kind == tokSlash {
			labelled = false
		}
	}
	if !labelled {
		path, err := p.usePath()
		if err != nil {
			return err
		}
		it.path = &path
		_, err = p.expect(tokSemicolon)
		return err
	}
	label, err := p.id()
	if err != nil {
		return err
	}
	p.next() // ':'
	it.label = label
	t := p.peek()
	switch {
	case p.isKw(t, "func"), p.isKw(t, "async"):
		it.fn = &astFunc{name: label, docs: it.docs, gate: it.gate, pos: label.pos}
		return p.funcType(it.fn)
	case p.isKw(t, "interface"):
		p.next()
		in := &astInterface{name: label, docs: it.docs, gate: it.gate}
		if in.items, err = p.interfaceBody(); err != nil {
			return err
		}
		it.iface = in
		return nil
	}
	path, err := p.usePath()
	if err != nil {
		return err
	}
	it.path = &path
	_, err = p.expect(tokSemicolon)
	return err
}
