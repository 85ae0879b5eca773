package callbacks

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// Options configure Analyze.
type Options struct {
	// Profiles lists the callback-registering imports; nil means IC0().
	Profiles []Profile
	// Record, if not nil, receives the facts the analysis read from each
	// function body, for the Reuse of a later analysis.
	Record *Scan
	// Reuse, if not nil, is the Scan of an earlier analysis (of any
	// module): a function body identical, byte for byte, to the body at
	// the same position in the code section of Reuse's module is not
	// decoded again; its facts are taken from Reuse. The result is the
	// same as without Reuse.
	Reuse *Scan
}

// Limits that keep the analysis linear on hostile input.
const (
	maxTableModel = 1 << 20 // slots modeled per table
	maxLocals     = 1 << 14 // locals of a simulated function
	maxWork       = 1 << 25 // instructions and local values handled by all simulations
	// maxCells bounds the abstract values one simulation holds in block
	// snapshots (about 64 bytes each: 64 MiB), the memory side of the
	// budget; the rest of a simulation is linear in the function's size.
	maxCells = 1 << 20
	// maxStack bounds the simulated operand stack (calls may push a
	// thousand results each); real functions stay far below it.
	maxStack        = 1 << 18
	maxForwardDepth = 8 // forwarder rounds
)

// regArg is one callback argument of a registering function: an import from
// a profile, or a forwarder.
type regArg struct {
	param  int    // parameter of the registering function holding the index
	imp    string // underlying import, "ic0.call_new"
	role   Role
	arg    int // parameter index of the underlying import
	table  uint32
	m      pmap     // translation applied before the import sees the value
	env    int      // parameter holding env, or -1
	envFix *Env     // env evaluated inside a forwarder, when not a parameter
	via    []uint32 // forwarders from this function down to the import, this one first
}

// regFunc is a registering function.
type regFunc struct {
	fn   uint32
	args []regArg
}

type analyzer struct {
	m           *core.Module
	a           *Analysis
	nimp        uint32 // imported functions
	regs        map[uint32]*regFunc
	funcNames   map[uint32]string // export names of functions
	globals     []val
	fps         map[uint32]string
	sites       map[cbKey]*Callback
	simmed      map[uint32]bool // functions simulated with table ops recorded
	work        int             // spent of maxWork
	r           core.InstrReader
	callerStart []int32   // callersOf's index: x's callers are callerList[callerStart[x]:callerStart[x+1]]
	callerList  []uint32  // from the first scan
	refFuncs    []refFunc // every ref.func in a body, from the first scan
	record      *Scan     // Options.Record
	reuse       *Scan     // Options.Reuse
}

type cbKey struct {
	imp   string
	role  Role
	table uint32
	slot  uint32
}

// Analyze finds the callbacks m registers. It fails only if a function body
// is malformed.
func Analyze(m *core.Module, opts *Options) (*Analysis, error) {
	var profiles []Profile
	if opts != nil && opts.Profiles != nil {
		profiles = opts.Profiles
	} else {
		profiles = IC0()
	}
	z := &analyzer{
		m:         m,
		a:         &Analysis{Imports: []RegImport{}, Callbacks: []Callback{}, Unresolved: []Unresolved{}},
		nimp:      uint32(m.ImportedFuncs()),
		regs:      map[uint32]*regFunc{},
		funcNames: map[uint32]string{},
		fps:       map[uint32]string{},
		sites:     map[cbKey]*Callback{},
		simmed:    map[uint32]bool{},
	}
	if opts != nil {
		z.record, z.reuse = opts.Record, opts.Reuse
		if z.reuse == z.record {
			z.reuse = nil // recording overwrites it
		}
	}
	for i := range m.Exports {
		if e := &m.Exports[i]; e.Kind == core.KindFunc {
			if _, ok := z.funcNames[e.Index]; !ok {
				z.funcNames[e.Index] = e.Name
			}
		}
	}
	z.evalGlobals()
	z.findImports(profiles)
	z.tables()
	if err := z.run(); err != nil {
		return nil, err
	}
	z.finish()
	z.a.PreUpgradeGuard = preUpgradeGuard(m)
	z.a.Funcs = newFuncs(m, z.nimp, z.fps)
	return z.a, nil
}

func (z *analyzer) name(fn uint32) string {
	if n := z.m.Names; n != nil {
		fs := n.Funcs
		i := sort.Search(len(fs), func(i int) bool { return fs[i].Index >= fn })
		if i < len(fs) && fs[i].Index == fn {
			return fs[i].Name
		}
	}
	return z.funcNames[fn]
}

func (z *analyzer) funcType(fn uint32) *core.FuncType { return z.m.FuncType(fn) }

func (z *analyzer) typeString(fn uint32) string {
	if t := z.funcType(fn); t != nil {
		return t.String()
	}
	return "?"
}

// findImports matches the function imports against the profiles.
func (z *analyzer) findImports(profiles []Profile) {
	var fn uint32
	for i := range z.m.Imports {
		im := &z.m.Imports[i]
		if im.Kind != core.KindFunc {
			continue
		}
		idx := fn
		fn++
		for pi := range profiles {
			p := &profiles[pi]
			if p.Module != im.Module || p.Name != im.Name {
				continue
			}
			t := z.funcType(idx)
			ri := RegImport{Import: p.Import(), Func: idx, Type: z.typeString(idx), Table: p.Table, Args: []ProfileArg{}, Callers: []uint32{}}
			rf := &regFunc{fn: idx}
			for _, pa := range p.Args {
				if t == nil || pa.Index >= len(t.Params) || !intType(t.Params[pa.Index]) {
					why := fmt.Sprintf("%s has no i32 or i64 parameter %d for the %s callback; its type is %s", p.Import(), pa.Index, pa.Role, z.typeString(idx))
					z.unresolved(regArg{imp: p.Import(), role: pa.Role, arg: pa.Index}, idx, im.Off, why)
					continue
				}
				env := pa.Env
				if env >= len(t.Params) {
					env = -1
				}
				ri.Args = append(ri.Args, ProfileArg{Index: pa.Index, Role: pa.Role, Env: env})
				rf.args = append(rf.args, regArg{param: pa.Index, imp: p.Import(), role: pa.Role, arg: pa.Index, table: p.Table, env: env})
			}
			z.a.Imports = append(z.a.Imports, ri)
			if len(rf.args) > 0 {
				if old := z.regs[idx]; old != nil {
					old.args = append(old.args, rf.args...)
				} else {
					z.regs[idx] = rf
				}
			}
		}
	}
}

func intType(t core.ValType) bool { return t == core.I32 || t == core.I64 }

func (z *analyzer) unresolved(ra regArg, fn, off uint32, why string) {
	z.a.Unresolved = append(z.a.Unresolved, Unresolved{
		Import: ra.imp, Role: ra.role, Arg: ra.arg, Func: fn, Name: z.name(fn), Off: off, Why: why,
	})
}

// evalGlobals evaluates the immutable globals with constant initializers.
func (z *analyzer) evalGlobals() {
	m := z.m
	ng := m.NumGlobals()
	z.globals = make([]val, ng)
	nimp := uint32(m.ImportedGlobals())
	var resolve func(i uint32) (core.Value, bool)
	resolve = func(i uint32) (core.Value, bool) {
		if i < nimp || int(i) >= ng {
			return core.Value{}, false
		}
		g := &m.Globals[i-nimp]
		if g.Type.Mutable {
			return core.Value{}, false
		}
		// Valid modules only refer to earlier globals; refuse the others
		// so that a malformed module cannot recurse forever.
		for _, in := range g.Init.Instrs {
			if in.Op == core.OpGlobalGet && in.Index >= i {
				return core.Value{}, false
			}
		}
		v, err := g.Init.Eval(resolve)
		return v, err == nil
	}
	for i := range z.globals {
		z.globals[i] = val{k: vUnknown, op: core.OpGlobalGet, x: uint32(i)}
		if v, ok := resolve(uint32(i)); ok && (v.Type == core.I32 || v.Type == core.I64) {
			z.globals[i] = val{k: vConst, c: v.Bits, op: core.OpGlobalGet, x: uint32(i)}
		}
	}
}

// constOffset evaluates a segment offset.
func (z *analyzer) constOffset(e *core.ConstExpr) (uint64, bool) {
	v, err := e.Eval(func(i uint32) (core.Value, bool) {
		if int(i) < len(z.globals) && z.globals[i].k == vConst {
			return core.Value{Type: core.I32, Bits: z.globals[i].c}, true
		}
		return core.Value{}, false
	})
	if err != nil || (v.Type != core.I32 && v.Type != core.I64) {
		return 0, false
	}
	return v.Bits, true
}

// elemFunc evaluates an element expression to a function index, EntryNull
// or EntryUnknown.
func (z *analyzer) elemFunc(e *core.ConstExpr) int64 { return z.elemEntry(e, "").Func }

// elemEntry evaluates an element expression. A plain ref.func or ref.null
// gives a plain entry; any other expression is kept in Entry.Expr, with
// the function it evaluates to when that is known (global.get of an
// immutable defined global holding ref.func), else EntryUnknown and the
// reason, which where names the expression for.
func (z *analyzer) elemEntry(e *core.ConstExpr, where string) Entry {
	if len(e.Instrs) == 1 {
		switch in := e.Instrs[0]; in.Op {
		case core.OpRefFunc:
			return Entry{Func: int64(in.Index)}
		case core.OpRefNull:
			return Entry{Func: EntryNull}
		case core.OpGlobalGet:
			en := Entry{Func: EntryUnknown, Expr: e}
			if v, ok := z.refGlobal(in.Index); ok {
				en.Func = v
				return en
			}
			en.Why = fmt.Sprintf("%s is global.get %d (offset 0x%x), %s, whose function is only known at instantiation", where, in.Index, in.Off, z.globalDesc(in.Index))
			return en
		}
	}
	op := "an empty expression"
	if len(e.Instrs) > 0 {
		op = e.Instrs[0].Op.String()
	}
	return Entry{Func: EntryUnknown, Expr: e,
		Why: fmt.Sprintf("%s is an element expression starting with %s (offset 0x%x) that does not evaluate to a known function", where, op, e.Off)}
}

// refGlobal returns the function (or EntryNull) held by global g when g
// is a defined immutable global initialized with ref.func or ref.null.
func (z *analyzer) refGlobal(g uint32) (int64, bool) {
	m := z.m
	i := int64(g) - int64(m.ImportedGlobals())
	if i < 0 || i >= int64(len(m.Globals)) || m.Globals[i].Type.Mutable {
		return 0, false
	}
	if ins := m.Globals[i].Init.Instrs; len(ins) == 1 {
		switch ins[0].Op {
		case core.OpRefFunc:
			return int64(ins[0].Index), true
		case core.OpRefNull:
			return EntryNull, true
		}
	}
	return 0, false
}

// globalDesc describes global g for messages: "the imported funcref
// global env.f", "the mutable funcref global 3".
func (z *analyzer) globalDesc(g uint32) string {
	m := z.m
	n := uint32(0)
	for i := range m.Imports {
		if im := &m.Imports[i]; im.Kind == core.KindGlobal {
			if n == g {
				return fmt.Sprintf("the imported %s global %s.%s", im.Global.Type, im.Module, im.Name)
			}
			n++
		}
	}
	if i := uint64(g) - uint64(n); i < uint64(len(m.Globals)) {
		gl := &m.Globals[i]
		if gl.Type.Mutable {
			return fmt.Sprintf("the mutable %s global %d", gl.Type.Type, g)
		}
		return fmt.Sprintf("the %s global %d, initialized at run time", gl.Type.Type, g)
	}
	return fmt.Sprintf("global %d", g)
}

// tables computes the initial contents of every table.
func (z *analyzer) tables() {
	m := z.m
	z.a.Tables = []Table{}
	for i := range m.Imports {
		if im := &m.Imports[i]; im.Kind == core.KindTable {
			t := Table{Index: uint32(len(z.a.Tables)), Imported: true, Elem: im.Table.Elem.String(),
				Min: im.Table.Limits.Min, Max: im.Table.Limits.Max, HasMax: im.Table.Limits.HasMax,
				Unknown: fmt.Sprintf("table %d is imported (%s.%s): its contents are set outside the module", len(z.a.Tables), im.Module, im.Name)}
			z.a.Tables = append(z.a.Tables, t)
		}
	}
	for i := range m.Tables {
		tt := &m.Tables[i]
		t := Table{Index: uint32(len(z.a.Tables)), Elem: tt.Type.Elem.String(),
			Min: tt.Type.Limits.Min, Max: tt.Type.Limits.Max, HasMax: tt.Type.Limits.HasMax}
		z.a.Tables = append(z.a.Tables, t)
	}
	for i := range z.a.Tables {
		t := &z.a.Tables[i]
		t.Export = m.TableExportName(t.Index)
		n := t.Min
		if n > maxTableModel {
			n = maxTableModel
			if t.Unknown == "" {
				t.Unknown = fmt.Sprintf("table %d has %d slots; only the first %d are modeled", t.Index, t.Min, maxTableModel)
			}
		}
		t.Entries = make([]Entry, n)
		fill := Entry{Func: EntryNull}
		if t.Imported {
			fill = Entry{Func: EntryUnknown}
		} else if d := &m.Tables[int(t.Index)-m.ImportedTables()]; d.Init != nil {
			fill = z.elemEntry(d.Init, fmt.Sprintf("the initializer of table %d", t.Index))
		}
		for s := range t.Entries {
			t.Entries[s] = fill
		}
		if fill.Func == EntryUnknown && fill.Why != "" && t.Unknown == "" {
			t.Unknown, t.UnknownExprs = fill.Why, true
		}
	}
	lost := make([]bool, len(z.a.Tables)) // a segment wrote unknown slots
	for si := range m.Elements {
		e := &m.Elements[si]
		if e.Mode != core.ElemActive || int(e.Table) >= len(z.a.Tables) || lost[e.Table] {
			continue
		}
		t := &z.a.Tables[e.Table]
		off, ok := z.constOffset(&e.Offset)
		if !ok {
			// Any slot may have been written: the whole table is unknown,
			// whatever later segments write.
			lost[e.Table] = true
			for s := range t.Entries {
				t.Entries[s] = Entry{Func: EntryUnknown}
			}
			t.UnknownExprs = false
			t.Unknown = fmt.Sprintf("element segment %d (offset 0x%x) has an offset that is not a constant (global.get of an imported or mutable global)", si, e.Off)
			continue
		}
		if off+uint64(e.Len()) > t.Min {
			if t.Unknown == "" || t.UnknownExprs {
				t.Unknown, t.UnknownExprs = fmt.Sprintf("element segment %d (offset 0x%x) writes slots %d..%d beyond the table's %d slots: instantiation fails", si, e.Off, off, off+uint64(e.Len()), t.Min), false
			}
			continue
		}
		for k := 0; k < e.Len(); k++ {
			s := off + uint64(k)
			if s >= uint64(len(t.Entries)) {
				break
			}
			if e.Funcs != nil {
				t.Entries[s] = Entry{Func: int64(e.Funcs[k])}
			} else {
				t.Entries[s] = z.elemEntry(&e.Exprs[k], fmt.Sprintf("slot %d of table %d, set by element segment %d,", s, e.Table, si))
			}
		}
	}
	// Slots that element expressions leave unknown make the table's
	// contents unknown there; say so once, at the first such slot.
	for i := range z.a.Tables {
		t := &z.a.Tables[i]
		if t.Unknown != "" {
			continue
		}
		first, n := -1, 0
		for s := range t.Entries {
			if en := &t.Entries[s]; en.Func == EntryUnknown && en.Why != "" {
				if first < 0 {
					first = s
				}
				n++
			}
		}
		switch {
		case n == 1:
			t.Unknown, t.UnknownExprs = t.Entries[first].Why, true
		case n > 1:
			t.Unknown, t.UnknownExprs = fmt.Sprintf("%d slots hold element expressions that name no function known statically; the first: %s", n, t.Entries[first].Why), true
		}
	}
	for i := range z.a.Tables {
		for s := range z.a.Tables[i].Entries {
			if en := &z.a.Tables[i].Entries[s]; en.Func >= 0 {
				en.Name = z.name(uint32(en.Func))
			}
		}
	}
}

// run scans the code for calls of registering functions, simulates the
// functions that make them, and repeats for the forwarders it discovers.
func (z *analyzer) run() error {
	active := slices.Sorted(maps.Keys(z.regs))
	for round := 0; len(active) > 0 || round == 0; round++ {
		if round > maxForwardDepth {
			for _, fn := range active {
				for _, ra := range z.regs[fn].args {
					z.unresolved(ra, fn, 0, fmt.Sprintf("forwarded through more than %d functions", maxForwardDepth))
				}
			}
			return nil
		}
		z.escapes(active)
		set := map[uint32]bool{}
		for _, fn := range active {
			set[fn] = true
		}
		callers, err := z.scan(set, round == 0)
		if err != nil {
			return err
		}
		var fresh []uint32
		for _, fn := range callers {
			if err := z.simulate(fn, set, round == 0, &fresh); err != nil {
				return err
			}
		}
		active = fresh
	}
	return nil
}

// escapes reports registering functions whose callers cannot all be seen:
// exported, placed in a table, or the start function.
func (z *analyzer) escapes(fns []uint32) {
	m := z.m
	for _, fn := range fns {
		var why string
		var off uint32
		for i := range m.Exports {
			if e := &m.Exports[i]; e.Kind == core.KindFunc && e.Index == fn {
				why, off = fmt.Sprintf("it is exported as %q, so the host may call it with any table index", e.Name), e.Off
				break
			}
		}
		if why == "" && m.HasStart && m.Start == fn {
			why = "it is the start function"
		}
		refs := func(e *core.ConstExpr) bool {
			for _, in := range e.Instrs {
				if in.Op == core.OpRefFunc && in.Index == fn {
					return true
				}
			}
			return false
		}
		for gi := 0; why == "" && gi < len(m.Globals); gi++ {
			if refs(&m.Globals[gi].Init) {
				why, off = fmt.Sprintf("global %d holds a reference to it, so it may be called indirectly with any table index", m.ImportedGlobals()+gi), m.Globals[gi].Off
			}
		}
		for ti := 0; why == "" && ti < len(m.Tables); ti++ {
			if t := &m.Tables[ti]; t.Init != nil && refs(t.Init) {
				why, off = fmt.Sprintf("table %d is initialized with it, so call_indirect may call it with any table index", m.ImportedTables()+ti), t.Off
			}
		}
		for si := 0; why == "" && si < len(m.Elements); si++ {
			e := &m.Elements[si]
			if e.Mode == core.ElemDeclarative {
				continue // declares ref.func uses, which the scan reports
			}
			hit := slices.Contains(e.Funcs, fn)
			for k := range e.Exprs {
				if z.elemFunc(&e.Exprs[k]) == int64(fn) {
					hit = true
				}
			}
			if hit {
				why, off = fmt.Sprintf("element segment %d puts it in a table, so call_indirect may call it with any table index", si), e.Off
			}
		}
		if why != "" {
			for _, ra := range z.regs[fn].args {
				z.unresolved(ra, fn, off, fmt.Sprintf("calls through %s cannot be analyzed: %s", z.label(fn), why))
			}
		}
	}
}

func (z *analyzer) label(fn uint32) string {
	if fn < z.nimp {
		if im := z.m.FuncImport(fn); im != nil {
			return im.Module + "." + im.Name
		}
	}
	return FuncLabel(fn, z.name(fn))
}

// refFunc is a ref.func instruction: in function fn at off, of target.
type refFunc struct {
	fn, off, target uint32
}

// scanIndex is a later round of scan, from the first round's index.
func (z *analyzer) scanIndex(set map[uint32]bool) []uint32 {
	var out []uint32
	for x := range set {
		out = append(out, z.callersOf(x)...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	for _, rf := range z.refFuncs {
		if set[rf.target] {
			z.refFuncUnresolved(rf.fn, rf.off, rf.target)
		}
	}
	return out
}

// refFuncUnresolved reports a reference taken to registering function x.
func (z *analyzer) refFuncUnresolved(fn, off, x uint32) {
	for _, ra := range z.regs[x].args {
		z.unresolved(ra, fn, off, fmt.Sprintf("ref.func takes a reference to %s, so it may be called indirectly with any table index", z.label(x)))
	}
}

// indirect counts an indirect use of table t by fn.
func (z *analyzer) indirect(t, fn uint32) {
	if int(t) >= len(z.a.Tables) {
		return
	}
	tab := &z.a.Tables[t]
	tab.IndirectUses++
	if n := len(tab.IndirectFuncs); n == 0 || tab.IndirectFuncs[n-1] != fn {
		tab.IndirectFuncs = append(tab.IndirectFuncs, fn)
	}
}

// addCaller records that fn calls registering import imp.
func (z *analyzer) addCaller(imp, fn uint32) {
	for i := range z.a.Imports {
		ri := &z.a.Imports[i]
		if ri.Func == imp {
			if n := len(ri.Callers); n == 0 || ri.Callers[n-1] != fn {
				ri.Callers = append(ri.Callers, fn)
			}
		}
	}
}

// addSite records a resolved registration.
func (z *analyzer) addSite(ra regArg, slot uint64, site Site) {
	if ra.m != nil {
		slot = ra.m.apply(slot)
	}
	if slot > 0xFFFFFFFF {
		z.unresolved(ra, site.Func, site.Off, fmt.Sprintf("the %s table index is %d, beyond any table", ra.role, slot))
		return
	}
	k := cbKey{ra.imp, ra.role, ra.table, uint32(slot)}
	c := z.sites[k]
	if c == nil {
		c = &Callback{Import: ra.imp, Role: ra.role, Arg: ra.arg, Table: ra.table, Slot: uint32(slot)}
		z.sites[k] = c
	}
	c.Sites = append(c.Sites, site)
}

// finish resolves the slots to functions and sorts the results.
func (z *analyzer) finish() {
	keys := slices.SortedFunc(maps.Keys(z.sites), func(a, b cbKey) int {
		return cmp.Or(cmp.Compare(a.table, b.table), cmp.Compare(a.slot, b.slot),
			cmp.Compare(a.imp, b.imp), cmp.Compare(a.role, b.role))
	})
	for _, k := range keys {
		c := z.sites[k]
		slices.SortFunc(c.Sites, func(a, b Site) int { return cmp.Or(cmp.Compare(a.Func, b.Func), cmp.Compare(a.Off, b.Off)) })
		ra := regArg{imp: c.Import, role: c.Role, arg: c.Arg}
		first := c.Sites[0]
		var t *Table
		if int(c.Table) < len(z.a.Tables) {
			t = &z.a.Tables[c.Table]
		}
		switch {
		case t == nil:
			z.unresolved(ra, first.Func, first.Off, fmt.Sprintf("the module has no table %d to hold the %s callback at slot %d", c.Table, c.Role, c.Slot))
			continue
		case t.Elem != core.FuncRef.String():
			z.unresolved(ra, first.Func, first.Off, fmt.Sprintf("table %d holds %s, not functions", c.Table, t.Elem))
			continue
		}
		en, ok := t.Entry(uint64(c.Slot))
		switch {
		case !ok && t.Min > uint64(c.Slot):
			z.unresolved(ra, first.Func, first.Off, fmt.Sprintf("slot %d of table %d is not modeled: %s", c.Slot, c.Table, t.Unknown))
			continue
		case !ok:
			z.unresolved(ra, first.Func, first.Off, fmt.Sprintf("slot %d is beyond the %d initial slots of table %d", c.Slot, t.Min, c.Table))
			continue
		case en.Func == EntryUnknown:
			z.unresolved(ra, first.Func, first.Off, fmt.Sprintf("the content of slot %d of table %d is not known: %s", c.Slot, c.Table, t.Reason(uint64(c.Slot))))
			continue
		case en.Func == EntryNull:
			z.unresolved(ra, first.Func, first.Off, fmt.Sprintf("slot %d of table %d is empty: the host would trap calling the %s callback", c.Slot, c.Table, c.Role))
			continue
		}
		fn := uint32(en.Func)
		c.Func, c.Name, c.Type = fn, en.Name, z.typeString(fn)
		c.Fingerprint = z.fingerprint(fn)
		z.a.Callbacks = append(z.a.Callbacks, *c)
	}
	slices.SortFunc(z.a.Unresolved, func(a, b Unresolved) int {
		return cmp.Or(cmp.Compare(a.Func, b.Func), cmp.Compare(a.Off, b.Off), cmp.Compare(a.Arg, b.Arg), cmp.Compare(a.Import, b.Import))
	})
	z.a.Unresolved = slices.CompactFunc(z.a.Unresolved, func(a, b Unresolved) bool { return a == b })
	for i := range z.a.Tables {
		slices.SortFunc(z.a.Tables[i].Ops, func(a, b TableOp) int {
			return cmp.Or(cmp.Compare(a.Func, b.Func), cmp.Compare(a.Off, b.Off), cmp.Compare(a.Op, b.Op))
		})
	}
	slices.SortFunc(z.a.Forwarders, func(a, b Forwarder) int {
		return cmp.Or(cmp.Compare(a.Func, b.Func), cmp.Compare(a.Param, b.Param), cmp.Compare(a.Import, b.Import), cmp.Compare(a.Role, b.Role))
	})
}
