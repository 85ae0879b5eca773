package callbacks

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// Analysis is what Analyze found in one module. It is plain data with JSON
// tags, for inspect and for compat's in-flight check.
type Analysis struct {
	// Imports are the callback-registering imports the module has.
	Imports []RegImport `json:"imports"`
	// Forwarders are defined functions that pass one of their parameters
	// on as a callback argument; their call sites count as registrations.
	Forwarders []Forwarder `json:"forwarders,omitempty"`
	// Callbacks are the resolved callbacks, ordered by table, slot, import
	// and role.
	Callbacks []Callback `json:"callbacks"`
	// Unresolved lists callback arguments that could not be proven to name
	// a table slot, and uses of registering functions that escape analysis.
	Unresolved []Unresolved `json:"unresolved"`
	// Tables describes every table of the module.
	Tables []Table `json:"tables"`
	// PreUpgradeGuard, when not empty, says where the module refuses an
	// Internet Computer upgrade while it has outstanding callbacks: its
	// exported canister_pre_upgrade traps with the Motoko runtime's
	// message (MotokoPreUpgradeTrap). The upgrade runs the pre_upgrade of
	// the build being replaced, so it is the old build's guard that keeps
	// calls in flight from meeting a new build.
	PreUpgradeGuard string `json:"pre_upgrade_guard,omitempty"`
	// Funcs tells the fingerprint of any function of the analysed module,
	// not only of its callbacks; nil when the analysis was not made from
	// the module (one rebuilt from a manifest, which records no function
	// bodies).
	Funcs *Funcs `json:"-"`
}

// RegImport is a callback-registering import present in the module.
type RegImport struct {
	Import string       `json:"import"` // "ic0.call_new"
	Func   uint32       `json:"func"`   // function index of the import
	Type   string       `json:"type"`   // "(func (param i32 ...))"
	Table  uint32       `json:"table"`  // table the host reads callbacks from
	Args   []ProfileArg `json:"args"`
	// Callers are the functions that call the import directly.
	Callers []uint32 `json:"callers"`
}

// Forwarder is a defined function that forwards parameter Param to
// argument Arg of Import, translated through Map (identity elsewhere).
type Forwarder struct {
	Func   uint32            `json:"func"`
	Name   string            `json:"name,omitempty"`
	Import string            `json:"import"`
	Role   Role              `json:"role"`
	Param  int               `json:"param"`
	Map    map[uint64]uint64 `json:"map,omitempty"`
}

// Callback is a function registered for one role of one import at one
// table slot.
type Callback struct {
	Import string `json:"import"` // "ic0.call_new"
	Role   Role   `json:"role"`   // reply, reject, cleanup, argN
	Arg    int    `json:"arg"`    // parameter index of the import
	Table  uint32 `json:"table"`
	Slot   uint32 `json:"slot"`
	// Func is the function at the slot; Name its name from the name section
	// or an export ("" if neither); Type its signature.
	Func uint32 `json:"func"`
	Name string `json:"name,omitempty"`
	Type string `json:"type"`
	// Fingerprint hashes the body with function and type indices
	// normalized, to recognize the function across releases.
	Fingerprint string `json:"fingerprint"`
	// Sites are the call sites that register it.
	Sites []Site `json:"sites"`
}

// Label returns the callback's display name: its name, or "func[N]".
func (c *Callback) Label() string { return FuncLabel(c.Func, c.Name) }

// FuncLabel returns name, or "func[N]" when name is empty.
func FuncLabel(fn uint32, name string) string {
	if name != "" {
		return name
	}
	return fmt.Sprintf("func[%d]", fn)
}

// EnvPointer reports whether some site passes an env that is evidently a
// heap pointer.
func (c *Callback) EnvPointer() bool { return c.EnvSite(EnvPointer) != nil }

// EnvSite returns the first site that registers c with an env of kind,
// nil when none does.
func (c *Callback) EnvSite(kind EnvKind) *Site {
	for k := range c.Sites {
		if e := c.Sites[k].Env; e != nil && e.Kind == kind {
			return &c.Sites[k]
		}
	}
	return nil
}

// EnvWidthChanged reports whether two callback signatures differ only in
// the width of the env parameter, as a canister rebuilt for wasm64 does
// (callbacks take (env : I) with I the pointer width).
func EnvWidthChanged(a, b string) bool {
	const c32, c64 = "(func (param i32))", "(func (param i64))"
	return a == c32 && b == c64 || a == c64 && b == c32
}

// Site is a call that registers a callback.
type Site struct {
	Func uint32 `json:"func"` // function containing the call
	Name string `json:"name,omitempty"`
	Off  uint32 `json:"off"` // offset of the call instruction
	// Via lists the forwarders between this call and the import, outermost
	// first; empty for a direct call of the import.
	Via []uint32 `json:"via,omitempty"`
	// Env is the evaluation of the callback's env argument, if the import
	// has one.
	Env *Env `json:"env,omitempty"`
}

// EnvKind classifies an env argument.
type EnvKind string

// Env kinds.
const (
	// EnvConst: a constant (Value).
	EnvConst EnvKind = "const"
	// EnvPointer: computed by adding or subtracting a constant to a
	// run-time value (a local, a global, a call result): evidently an
	// address in linear memory.
	EnvPointer EnvKind = "pointer"
	// EnvUnknown: anything else.
	EnvUnknown EnvKind = "unknown"
)

// Env is the evaluation of an env argument.
type Env struct {
	Kind   EnvKind `json:"kind"`
	Value  uint64  `json:"value,omitempty"`
	Detail string  `json:"detail,omitempty"` // how it is computed
}

// Unresolved is a callback argument, or a use of a registering function,
// that the analysis could not resolve to a function.
type Unresolved struct {
	Import string `json:"import"`
	Role   Role   `json:"role"`
	Arg    int    `json:"arg"`
	Func   uint32 `json:"func"` // function containing the site (or the registering function)
	Name   string `json:"name,omitempty"`
	Off    uint32 `json:"off"`
	Why    string `json:"why"`
}

// Table describes one table.
type Table struct {
	Index    uint32 `json:"index"`
	Export   string `json:"export,omitempty"` // first export name, "" if internal
	Imported bool   `json:"imported,omitempty"`
	Elem     string `json:"elem"` // funcref or externref
	Min      uint64 `json:"min"`
	Max      uint64 `json:"max,omitempty"`
	HasMax   bool   `json:"has_max,omitempty"`
	// Unknown says why the initial contents are not fully known ("" if
	// they are): an imported table, a segment offset from an imported
	// global, a slot filled by an element expression that names no known
	// function (the first such slot), ...
	Unknown string `json:"unknown,omitempty"`
	// UnknownExprs is true when Unknown only reports slots filled by
	// element expressions (global.get of an imported or mutable funcref
	// global, ...): every other slot is known, and each unknown slot's
	// Entry.Expr holds the expression, so a rewrite can carry it over
	// exactly.
	UnknownExprs bool `json:"-"`
	// Ops are the instructions that change the table or observe its size
	// at run time.
	Ops []TableOp `json:"ops,omitempty"`
	// Entries are the initial contents, one per slot below Min.
	Entries []Entry `json:"-"`
	// IndirectUses counts call_indirect, return_call_indirect and
	// table.get on the table; IndirectFuncs lists the functions that
	// contain them, in index order.
	IndirectUses  int      `json:"indirect_uses"`
	IndirectFuncs []uint32 `json:"-"`
}

// Entry is the initial content of a table slot.
type Entry struct {
	Func int64  // function index, or EntryNull, or EntryUnknown
	Name string // the function's name, if any
	// Expr is the element expression that filled the slot when it is not
	// a plain ref.func or ref.null (global.get of a funcref global, ...);
	// Func is then the function it evaluates to, or EntryUnknown.
	Expr *core.ConstExpr
	// Why says why an EntryUnknown slot is unknown ("" if the table's
	// Unknown says it).
	Why string
}

// Entry.Func values that are not function indices.
const (
	EntryNull    int64 = -1
	EntryUnknown int64 = -2
)

// Reason says why the content of slot s is not known: the slot's own
// reason, else the table's.
func (t *Table) Reason(s uint64) string {
	if en, ok := t.Entry(s); ok && en.Why != "" {
		return en.Why
	}
	if t.Unknown != "" {
		return t.Unknown
	}
	return "no reason recorded"
}

// Entry returns the initial content of slot s, and false if s is beyond
// the table's initial size.
func (t *Table) Entry(s uint64) (Entry, bool) {
	if s >= uint64(len(t.Entries)) {
		return Entry{}, false
	}
	return t.Entries[s], true
}

// TableOp is an instruction that modifies a table or reads its size at run
// time. For writes and table.copy reads, Known says whether the affected
// slots [Start, End) were proven constant.
type TableOp struct {
	Op    string `json:"op"`    // table.set, table.fill, table.copy, table.init, table.grow, table.size
	Write bool   `json:"write"` // false: table.size, or the source side of table.copy
	Func  uint32 `json:"func"`
	Off   uint32 `json:"off"`
	Known bool   `json:"known,omitempty"`
	Start uint64 `json:"start,omitempty"`
	End   uint64 `json:"end,omitempty"`
}

// WritesTo returns the run-time writes of t that may change one of slots:
// table.set, table.fill, table.init and the destination of table.copy
// whose slots are not proven constant, or whose proven range holds one of
// slots. table.grow only adds slots and is not one of them.
func (t *Table) WritesTo(slots []uint32) []TableOp {
	var out []TableOp
	for _, op := range t.Ops {
		if !op.Write || op.Op == core.OpTableGrow.String() {
			continue
		}
		hit := !op.Known
		for _, s := range slots {
			if op.Known && uint64(s) >= op.Start && uint64(s) < op.End {
				hit = true
			}
		}
		if hit {
			out = append(out, op)
		}
	}
	return out
}

// CallbacksAt returns the callbacks registered at slot s of table t.
func (a *Analysis) CallbacksAt(t, s uint32) []*Callback {
	var out []*Callback
	for i := range a.Callbacks {
		if c := &a.Callbacks[i]; c.Table == t && c.Slot == s {
			out = append(out, c)
		}
	}
	return out
}

// Table returns table t, or nil.
func (a *Analysis) Table(t uint32) *Table {
	for i := range a.Tables {
		if a.Tables[i].Index == t {
			return &a.Tables[i]
		}
	}
	return nil
}
