package component

import (
	"bytes"
)

// Limits that keep hostile inputs from exhausting the stack.
const (
	maxNesting = 64 // nested components and nested component/instance types
)

var (
	magic          = []byte("\x00asm")
	componentVer   = []byte{0x0d, 0x00}
	componentLayer = []byte{0x01, 0x00}
)

// Decode decodes a component binary. It never panics; malformed input
// gives a *FormatError with the offset of the offending byte. The embedded
// core modules are not decoded, only located (Module.Off, Module.End).
func Decode(b []byte) (*Component, error) {
	if err := checkPreamble(b, 0); err != nil {
		return nil, err
	}
	d := &decoder{b: b}
	c := d.component(0, len(b), 0)
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}

func checkPreamble(b []byte, off int) *FormatError {
	p := b[off:]
	if len(p) < 4 || !bytes.Equal(p[:4], magic) {
		if len(p) < 4 && bytes.HasPrefix(magic, p) {
			return errorf(off+len(p), nil, "truncated preamble: need 8 bytes, have %d", len(p))
		}
		return errorf(off, nil, "bad magic number % x, not a WebAssembly binary", p[:min(len(p), 4)])
	}
	if len(p) < 8 {
		return errorf(off+len(p), nil, "truncated preamble: need 8 bytes, have %d", len(p))
	}
	if bytes.Equal(p[4:8], []byte{1, 0, 0, 0}) {
		return errorf(off+4, nil, "is a core module, not a component (version 01 00 00 00)")
	}
	if !bytes.Equal(p[4:6], componentVer) {
		return errorf(off+4, nil, "unsupported component version % x (want 0d 00)", p[4:6])
	}
	if !bytes.Equal(p[6:8], componentLayer) {
		return errorf(off+6, nil, "unsupported layer % x (want 01 00 for a component)", p[6:8])
	}
	return nil
}

type decoder struct {
	b     []byte
	err   *FormatError
	types arena
}

// arena hands out TypeDefs from chunks, to allocate them by the dozen.
type arena struct{ buf []TypeDef }

func (a *arena) new() *TypeDef {
	if len(a.buf) == cap(a.buf) {
		a.buf = make([]TypeDef, 0, 32)
	}
	a.buf = a.buf[:len(a.buf)+1]
	return &a.buf[len(a.buf)-1]
}

// component decodes the component in b[off:end], preamble included.
func (d *decoder) component(off, end, depth int) *Component {
	if depth > maxNesting {
		d.err = errorf(off, depth, "components nested more than %d deep", maxNesting)
		return nil
	}
	if e := checkPreamble(d.b[:end], off); e != nil {
		d.err = e
		return nil
	}
	c := &Component{Off: int64(off), End: int64(end)}
	pos := off + 8
	for pos < end {
		r := &reader{b: d.b, pos: pos, end: end, where: "component", types: &d.types}
		secOff := pos
		id := r.byte()
		sizeOff := r.pos
		size := r.u32()
		if r.err != nil {
			d.err = r.err
			return nil
		}
		if int64(size) > int64(r.remaining()) {
			d.err = errorf(sizeOff, size, "%s size %d exceeds the %d remaining bytes", SectionName(id), size, r.remaining())
			return nil
		}
		sec := Section{ID: id, Off: int64(secOff), Data: int64(r.pos), End: int64(r.pos) + int64(size)}
		r.end = r.pos + int(size)
		r.where = SectionName(id)
		d.section(c, &sec, r, depth)
		if d.err != nil {
			return nil
		}
		if r.err != nil {
			d.err = r.err
			return nil
		}
		if r.pos != r.end {
			d.err = errorf(r.pos, nil, "%s has %d unused bytes at its end", SectionName(id), r.end-r.pos)
			return nil
		}
		c.Sections = append(c.Sections, sec)
		pos = r.end
	}
	return c
}

func (c *Component) add(s Sort, k DefKind, i, sub int) {
	c.Spaces[s] = append(c.Spaces[s], Def{Kind: k, Index: i, Sub: sub})
}

func (d *decoder) section(c *Component, sec *Section, r *reader, depth int) {
	switch sec.ID {
	case SecCustom:
		name := r.name("custom section name")
		if r.err != nil {
			return
		}
		sec.First, sec.Count = len(c.Customs), 1
		c.Customs = append(c.Customs, Custom{Name: name, Off: int64(r.pos), End: int64(r.end)})
		r.pos = r.end
	case SecCoreModule:
		if e := checkCorePreamble(d.b[:r.end], r.pos); e != nil {
			d.err = e
			return
		}
		sec.First, sec.Count = len(c.Modules), 1
		c.add(SortCoreModule, DefModule, len(c.Modules), 0)
		c.Modules = append(c.Modules, Module{Off: int64(r.pos), End: int64(r.end)})
		r.pos = r.end
	case SecComponent:
		sub := d.component(r.pos, r.end, depth+1)
		if d.err != nil {
			return
		}
		sec.First, sec.Count = len(c.Components), 1
		c.add(SortComponent, DefComponent, len(c.Components), 0)
		c.Components = append(c.Components, sub)
		r.pos = r.end
	case SecCoreInstance:
		n := r.count("core instance", 2)
		sec.First, sec.Count = len(c.CoreInstances), n
		for i := 0; i < n && r.err == nil; i++ {
			c.add(SortCoreInstance, DefCoreInstance, len(c.CoreInstances), 0)
			c.CoreInstances = append(c.CoreInstances, r.coreInstance())
		}
	case SecCoreType:
		n := r.count("core type", 1)
		sec.First, sec.Count = len(c.CoreTypes), n
		for i := 0; i < n && r.err == nil; i++ {
			t := r.coreType()
			for j := 0; j < t.Types; j++ {
				c.add(SortCoreType, DefCoreType, len(c.CoreTypes), j)
			}
			c.CoreTypes = append(c.CoreTypes, t)
		}
	case SecInstance:
		n := r.count("instance", 2)
		sec.First, sec.Count = len(c.Instances), n
		for i := 0; i < n && r.err == nil; i++ {
			c.add(SortInstance, DefInstance, len(c.Instances), 0)
			c.Instances = append(c.Instances, r.instance())
		}
	case SecAlias:
		n := r.count("alias", 3)
		sec.First, sec.Count = len(c.Aliases), n
		for i := 0; i < n && r.err == nil; i++ {
			a := r.alias()
			c.add(a.Sort, DefAlias, len(c.Aliases), 0)
			c.Aliases = append(c.Aliases, a)
		}
	case SecType:
		n := r.count("type", 1)
		sec.First, sec.Count = len(c.Types), n
		for i := 0; i < n && r.err == nil; i++ {
			c.add(SortType, DefType, len(c.Types), 0)
			c.Types = append(c.Types, r.typeDef(depth))
		}
	case SecCanon:
		n := r.count("canon", 1)
		sec.First, sec.Count = len(c.Canons), n
		for i := 0; i < n && r.err == nil; i++ {
			cn := r.canon()
			s := SortCoreFunc
			if cn.Op == CanonLift {
				s = SortFunc
			}
			c.add(s, DefCanon, len(c.Canons), 0)
			c.Canons = append(c.Canons, cn)
		}
	case SecStart:
		st := Start{Off: int64(r.pos)}
		st.Func = r.u32()
		n := r.count("start argument", 1)
		for i := 0; i < n && r.err == nil; i++ {
			st.Args = append(st.Args, r.u32())
		}
		resOff := r.pos
		st.Results = r.u32()
		if r.err != nil {
			return
		}
		if int64(st.Results) > int64(len(d.b)) {
			r.failf(resOff, st.Results, "start result count %d is larger than the input", st.Results)
			return
		}
		sec.First, sec.Count = len(c.Starts), 1
		for j := 0; j < int(st.Results); j++ {
			c.add(SortValue, DefStart, len(c.Starts), j)
		}
		c.Starts = append(c.Starts, st)
	case SecImport:
		n := r.count("import", 3)
		sec.First, sec.Count = len(c.Imports), n
		for i := 0; i < n && r.err == nil; i++ {
			im := Import{Off: int64(r.pos)}
			im.Name = r.externName("import")
			im.Desc = r.externDesc()
			if r.err != nil {
				return
			}
			c.add(im.Desc.Sort, DefImport, len(c.Imports), 0)
			c.Imports = append(c.Imports, im)
		}
	case SecExport:
		n := r.count("export", 4)
		sec.First, sec.Count = len(c.Exports), n
		for i := 0; i < n && r.err == nil; i++ {
			ex := Export{Off: int64(r.pos)}
			ex.Name = r.externName("export")
			ex.Sort = r.sort()
			ex.Index = r.u32()
			ex.HasDesc = r.bool("export type ascription")
			if ex.HasDesc {
				descOff := r.pos
				ex.Desc = r.externDesc()
				if r.err == nil && ex.Desc.Sort != ex.Sort {
					r.failf(descOff, nil, "export %q of a %s ascribes a %s type", ex.Name.Name, ex.Sort, ex.Desc.Sort)
				}
			}
			if r.err != nil {
				return
			}
			c.add(ex.Sort, DefExport, len(c.Exports), 0)
			c.Exports = append(c.Exports, ex)
		}
	default:
		r.failf(int(sec.Off), sec.ID, "unknown section id %d", sec.ID)
	}
}

func checkCorePreamble(b []byte, off int) *FormatError {
	p := b[off:]
	if len(p) < 8 {
		return errorf(off, nil, "core module section too short for a module preamble (%d bytes)", len(p))
	}
	if !bytes.Equal(p[:4], magic) || !bytes.Equal(p[4:8], []byte{1, 0, 0, 0}) {
		return errorf(off, nil, "core module section does not start with a core module preamble (% x)", p[:8])
	}
	return nil
}

// coreSort reads a core:sort byte.
func (r *reader) coreSort() Sort {
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		return SortCoreFunc
	case 0x01:
		return SortCoreTable
	case 0x02:
		return SortCoreMemory
	case 0x03:
		return SortCoreGlobal
	case 0x04:
		return SortCoreTag
	case 0x10:
		return SortCoreType
	case 0x11:
		return SortCoreModule
	case 0x12:
		return SortCoreInstance
	default:
		r.failf(off, c, "invalid core sort 0x%02x", c)
		return 0
	}
}

// sort reads a sort (0x00 followed by a core sort, or a component sort).
func (r *reader) sort() Sort {
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		return r.coreSort()
	case 0x01:
		return SortFunc
	case 0x02:
		return SortValue
	case 0x03:
		return SortType
	case 0x04:
		return SortComponent
	case 0x05:
		return SortInstance
	default:
		r.failf(off, c, "invalid sort 0x%02x", c)
		return 0
	}
}

func (r *reader) coreInstance() CoreInstance {
	ci := CoreInstance{Off: int64(r.pos)}
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		ci.Instantiate = true
		ci.Module = r.u32()
		n := r.count("core instantiation argument", 3)
		for i := 0; i < n && r.err == nil; i++ {
			var a CoreInstanceArg
			a.Name = r.name("core instantiation argument name")
			kOff := r.pos
			if k := r.byte(); k != 0x12 && r.err == nil {
				r.failf(kOff, k, "invalid core instantiation argument kind 0x%02x (want 0x12 instance)", k)
			}
			a.Instance = r.u32()
			ci.Args = append(ci.Args, a)
		}
	case 0x01:
		n := r.count("core inline export", 3)
		for i := 0; i < n && r.err == nil; i++ {
			var e CoreInlineExport
			e.Name = r.name("core export name")
			e.Sort = r.coreSort()
			e.Index = r.u32()
			ci.InlineExport = append(ci.InlineExport, e)
		}
	default:
		r.failf(off, c, "invalid core instance kind 0x%02x", c)
	}
	return ci
}

func (r *reader) instance() Instance {
	in := Instance{Off: int64(r.pos)}
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		in.Instantiate = true
		in.Component = r.u32()
		n := r.count("instantiation argument", 3)
		for i := 0; i < n && r.err == nil; i++ {
			var a InstanceArg
			a.Name = r.name("instantiation argument name")
			a.Sort = r.sort()
			a.Index = r.u32()
			in.Args = append(in.Args, a)
		}
	case 0x01:
		n := r.count("inline export", 4)
		for i := 0; i < n && r.err == nil; i++ {
			var e InlineExport
			e.Name = r.externName("inline export")
			e.Sort = r.sort()
			e.Index = r.u32()
			in.Exports = append(in.Exports, e)
		}
	default:
		r.failf(off, c, "invalid instance kind 0x%02x", c)
	}
	return in
}

func (r *reader) alias() Alias {
	a := Alias{Off: int64(r.pos)}
	a.Sort = r.sort()
	off := r.pos
	switch t := r.byte(); t {
	case 0x00:
		a.Target = AliasExport
		// A component instance may export a core module; other core
		// sorts are aliased from core instances.
		if r.err == nil && a.Sort.IsCore() && a.Sort != SortCoreModule {
			r.failf(off, t, "alias of a %s as an instance export (want a core export alias)", a.Sort)
		}
		a.Instance = r.u32()
		a.Name = r.name("alias export name")
	case 0x01:
		a.Target = AliasCoreExport
		if r.err == nil && !a.Sort.IsCore() {
			r.failf(off, t, "core export alias of a %s", a.Sort)
		}
		a.Instance = r.u32()
		a.Name = r.name("alias export name")
	case 0x02:
		a.Target = AliasOuter
		switch a.Sort {
		case SortType, SortComponent, SortCoreType, SortCoreModule:
		default:
			r.failf(off, t, "outer alias of a %s (only types, components, core types and core modules)", a.Sort)
		}
		a.Count = r.u32()
		a.Index = r.u32()
	default:
		r.failf(off, t, "invalid alias target 0x%02x", t)
	}
	return a
}

// externName reads importname' / exportname'.
func (r *reader) externName(what string) Name {
	var n Name
	off := r.pos
	n.Prefix = r.byte()
	switch n.Prefix {
	case 0x00, 0x01:
		n.Name = r.name(what + " name")
	case 0x02:
		n.Name = r.name(what + " name")
		n.VersionSuffix = r.name(what + " version suffix")
	default:
		r.failf(off, n.Prefix, "invalid %s name prefix 0x%02x", what, n.Prefix)
	}
	return n
}

// externDesc reads an externdesc.
func (r *reader) externDesc() ExternDesc {
	var e ExternDesc
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		kOff := r.pos
		if k := r.byte(); k != 0x11 && r.err == nil {
			r.failf(kOff, k, "invalid extern descriptor core sort 0x%02x (want 0x11 module)", k)
		}
		e.Sort = SortCoreModule
		e.Index = r.u32()
	case 0x01:
		e.Sort = SortFunc
		e.Index = r.u32()
	case 0x02:
		e.Sort = SortValue
		e.Val = r.valType()
	case 0x03:
		e.Sort = SortType
		bOff := r.pos
		switch b := r.byte(); b {
		case 0x00:
			e.Bound = BoundEq
			e.Index = r.u32()
		case 0x01:
			e.Bound = BoundSubResource
		default:
			r.failf(bOff, b, "invalid type bound 0x%02x", b)
		}
	case 0x04:
		e.Sort = SortComponent
		e.Index = r.u32()
	case 0x05:
		e.Sort = SortInstance
		e.Index = r.u32()
	default:
		r.failf(off, c, "invalid extern descriptor 0x%02x", c)
	}
	return e
}

// valType reads a component value type.
func (r *reader) valType() ValType {
	off := r.pos
	c := r.peek()
	if r.err != nil {
		return ValType{}
	}
	if isPrim(c) {
		r.pos++
		return ValType{Prim: Prim(c)}
	}
	v := r.s33()
	if r.err == nil && v < 0 {
		r.failf(off, c, "invalid value type 0x%02x", c)
		return ValType{}
	}
	return ValType{Index: uint32(v)}
}

func (r *reader) optValType(what string) OptValType {
	if r.bool(what) {
		return OptValType{Set: true, ValType: r.valType()}
	}
	return OptValType{}
}

// typeDef reads a component type definition.
func (r *reader) typeDef(depth int) *TypeDef {
	t := r.types.new()
	t.Off = int64(r.pos)
	off := r.pos
	c := r.byte()
	if r.err != nil {
		return t
	}
	if isPrim(c) {
		t.Kind, t.Prim = KindPrim, Prim(c)
		t.End = int64(r.pos)
		return t
	}
	t.Kind = TypeKind(c)
	switch t.Kind {
	case KindRecord:
		n := r.count("record field", 2)
		t.Fields = make([]NamedVal, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			name := r.name("record field name")
			t.Fields = append(t.Fields, NamedVal{Name: name, Type: r.valType()})
		}
	case KindVariant:
		n := r.count("variant case", 3)
		t.Cases = make([]Case, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			var cs Case
			cs.Name = r.name("variant case name")
			cs.Type = r.optValType("variant case type")
			if r.bool("variant case refines") {
				cs.HasRefines = true
				cs.Refines = r.u32()
			}
			t.Cases = append(t.Cases, cs)
		}
	case KindList, KindOption:
		t.Elem = r.valType()
	case KindFixedList:
		t.Elem = r.valType()
		t.Len = r.u32()
	case KindMap:
		t.Elem = r.valType()
		t.Value = r.valType()
	case KindTuple:
		n := r.count("tuple element", 1)
		t.Elems = make([]ValType, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			t.Elems = append(t.Elems, r.valType())
		}
	case KindFlags, KindEnum:
		what := "flag"
		if t.Kind == KindEnum {
			what = "enum case"
		}
		n := r.count(what, 1)
		t.Labels = make([]string, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			t.Labels = append(t.Labels, r.name(what+" name"))
		}
	case KindResult:
		t.Ok = r.optValType("result ok type")
		t.Err = r.optValType("result error type")
	case KindOwn, KindBorrow:
		t.Res = r.u32()
	case KindFuture, KindStream:
		t.Opt = r.optValType(t.Kind.String() + " payload")
	case KindFunc, 0x43:
		t.Async = c == 0x43
		t.Kind = KindFunc
		n := r.count("function parameter", 2)
		t.Fields = make([]NamedVal, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			name := r.name("parameter name")
			t.Fields = append(t.Fields, NamedVal{Name: name, Type: r.valType()})
		}
		rOff := r.pos
		switch k := r.byte(); k {
		case 0x00:
			t.Opt = OptValType{Set: true, ValType: r.valType()}
		case 0x01:
			// A named result list: empty in current binaries, possibly
			// non-empty in binaries from before named results were removed.
			t.NamedResults = true
			m := r.count("function result", 2)
			for i := 0; i < m && r.err == nil; i++ {
				name := r.name("result name")
				t.Named = append(t.Named, NamedVal{Name: name, Type: r.valType()})
			}
		default:
			r.failf(rOff, k, "invalid function result list 0x%02x", k)
		}
	case KindComponent, KindInstance:
		if depth+1 > maxNesting {
			r.failf(off, depth, "component and instance types nested more than %d deep", maxNesting)
			return t
		}
		what := "instance type declarator"
		if t.Kind == KindComponent {
			what = "component type declarator"
		}
		n := r.count(what, 2)
		t.Decls = make([]Decl, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			t.Decls = append(t.Decls, r.decl(t.Kind == KindComponent, depth+1))
		}
	case KindResource, KindResourceAsync:
		repOff := r.pos
		t.Rep = r.byte()
		if r.err == nil && t.Rep != 0x7f {
			r.failf(repOff, t.Rep, "invalid resource representation 0x%02x (want 0x7f i32)", t.Rep)
		}
		if t.Kind == KindResourceAsync {
			t.HasDtor = true
			t.Dtor = r.u32()
			if r.bool("resource callback") {
				t.HasCallback = true
				t.Callback = r.u32()
			}
		} else if r.bool("resource destructor") {
			t.HasDtor = true
			t.Dtor = r.u32()
		}
	default:
		r.failf(off, c, "invalid type definition opcode 0x%02x", c)
	}
	t.End = int64(r.pos)
	return t
}

func (r *reader) decl(component bool, depth int) Decl {
	d := Decl{Off: int64(r.pos)}
	off := r.pos
	d.Kind = DeclKind(r.byte())
	switch d.Kind {
	case DeclCoreType:
		ct := r.coreType()
		d.CoreType = &ct
	case DeclType:
		d.Type = r.typeDef(depth)
	case DeclAlias:
		a := r.alias()
		d.Alias = &a
	case DeclImport:
		if !component {
			r.failf(off, byte(d.Kind), "import declarator in an instance type")
			return d
		}
		d.Name = r.externName("import")
		d.Desc = r.externDesc()
	case DeclExport:
		d.Name = r.externName("export")
		d.Desc = r.externDesc()
	default:
		r.failf(off, byte(d.Kind), "invalid declarator 0x%02x", byte(d.Kind))
	}
	return d
}

func (r *reader) canon() Canon {
	cn := Canon{Off: int64(r.pos)}
	off := r.pos
	cn.Op = CanonOp(r.byte())
	switch cn.Op {
	case CanonLift:
		sOff := r.pos
		if s := r.byte(); s != 0x00 && r.err == nil {
			r.failf(sOff, s, "invalid canon lift sort 0x%02x (want 0x00 func)", s)
		}
		cn.Func = r.u32()
		cn.Options = r.canonOpts()
		cn.Type = r.u32()
	case CanonLower:
		sOff := r.pos
		if s := r.byte(); s != 0x00 && r.err == nil {
			r.failf(sOff, s, "invalid canon lower sort 0x%02x (want 0x00 func)", s)
		}
		cn.Func = r.u32()
		cn.Options = r.canonOpts()
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep, CanonResourceDropAsync,
		CanonStreamNew, CanonStreamDropReadable, CanonStreamDropWritable,
		CanonFutureNew, CanonFutureDropReadable, CanonFutureDropWritable,
		CanonThreadSpawnRef:
		cn.Type = r.u32()
	case CanonStreamRead, CanonStreamWrite, CanonFutureRead, CanonFutureWrite:
		cn.Type = r.u32()
		cn.Options = r.canonOpts()
	case CanonStreamCancelRead, CanonStreamCancelWrite, CanonFutureCancelRead, CanonFutureCancelWrite:
		cn.Type = r.u32()
		cn.Flag = r.bool("async")
	case CanonTaskCancel, CanonBackpressureSet, CanonBackpressureInc, CanonBackpressureDec,
		CanonSubtaskDrop, CanonErrorContextDrop, CanonWaitableSetNew, CanonWaitableSetDrop,
		CanonWaitableJoin, CanonThreadIndex, CanonThreadResumeLater, CanonThreadParallelism:
	case CanonSubtaskCancel:
		cn.Flag = r.bool("async")
	case CanonYield, CanonThreadSwitchTo, CanonThreadSuspend, CanonThreadYieldTo:
		cn.Flag = r.bool("cancellable")
	case CanonTaskReturn:
		rOff := r.pos
		switch k := r.byte(); k {
		case 0x00:
			cn.Result = OptValType{Set: true, ValType: r.valType()}
		case 0x01:
			if z := r.byte(); z != 0x00 && r.err == nil {
				r.failf(rOff+1, z, "task.return with %d named results (want 0)", z)
			}
		default:
			r.failf(rOff, k, "invalid task.return result list 0x%02x", k)
		}
		cn.Options = r.canonOpts()
	case CanonContextGet, CanonContextSet:
		vOff := r.pos
		cn.ValType = r.byte()
		if r.err == nil && cn.ValType != 0x7f {
			r.failf(vOff, cn.ValType, "invalid context slot type 0x%02x (want 0x7f i32)", cn.ValType)
		}
		cn.Slot = r.u32()
	case CanonErrorContextNew, CanonErrorContextDebug:
		cn.Options = r.canonOpts()
	case CanonWaitableSetWait, CanonWaitableSetPoll:
		cn.Flag = r.bool("cancellable")
		cn.Memory = r.u32()
	case CanonThreadNewIndirect, CanonThreadSpawnIndirect:
		cn.Type = r.u32()
		cn.Table = r.u32()
	default:
		r.failf(off, byte(cn.Op), "unknown canonical function opcode 0x%02x", byte(cn.Op))
	}
	cn.End = int64(r.pos)
	return cn
}

func (r *reader) canonOpts() []CanonOption {
	n := r.count("canonical option", 1)
	if n == 0 {
		return nil
	}
	opts := make([]CanonOption, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		off := r.pos
		o := CanonOption{Kind: r.byte()}
		switch o.Kind {
		case OptUTF8, OptUTF16, OptCompactUTF16, OptAsync, OptGC:
		case OptMemory, OptRealloc, OptPostReturn, OptCallback, OptCoreType:
			o.Index = r.u32()
		default:
			r.failf(off, o.Kind, "invalid canonical option 0x%02x", o.Kind)
		}
		opts = append(opts, o)
	}
	return opts
}
