package rewrite

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/analyze/validate"
)

// Options configure Pin.
type Options struct {
	// Lock holds the slots to keep. A nil Lock pins nothing and returns a
	// lock for the module as it is.
	Lock *Lock
	// Map assigns lock slots to callbacks explicitly, by function label
	// (its name, or "func[N]"), for callbacks the lock cannot match.
	Map map[uint32]string
	// Profiles are the callback-registering imports (nil: the ic0 ones).
	Profiles []callbacks.Profile
	// Running is the callback analysis of the build that runs now, when
	// it is at hand (pin --against): its envs are what the calls in
	// flight across this upgrade carry, and Pin warns on them as on the
	// pinned build's (Warning.Running).
	Running *callbacks.Analysis
}

// Result is what Pin did.
type Result struct {
	// Wasm is the pinned module; the input itself if nothing had to move.
	Wasm []byte
	// Lock is the lock updated with this build's callbacks.
	Lock *Lock
	// Analysis is the callback analysis of the input.
	Analysis *callbacks.Analysis
	// Pins lists every callback and the slot it is kept at.
	Pins []Pinned
	// Relocated lists the functions moved out of pinned slots.
	Relocated []Relocated
	// Tables lists the tables whose size changed.
	Tables []TableChange
	// Wrapped lists the registering imports whose calls now go through a
	// wrapper that translates callback indices.
	Wrapped []string
	// Rewritten counts the function bodies that changed.
	Rewritten int
	// Notes are warnings for the user (retired callbacks, and the
	// messages of Warnings).
	Notes []string
	// Warnings are the dangers to calls in flight that pinning leaves:
	// a kept callback whose signature changed, envs that are or may be
	// heap pointers.
	Warnings []Warning
	// DroppedManifest is true when the input's embedded wfcompat:manifest
	// section was left out of the rewritten output, where it would
	// describe bytes that are no longer there. An unchanged output is the
	// input itself, section included, and still matches it.
	DroppedManifest bool

	placed bool
	input  *Prepared // what Check reuses of the input's analysis and validation
}

// Changed reports whether the output differs from the input.
func (r *Result) Changed() bool {
	return len(r.Relocated) > 0 || len(r.Tables) > 0 || len(r.Wrapped) > 0 || r.Rewritten > 0 || r.placed
}

// Pinned is one callback's placement.
type Pinned struct {
	Import string         `json:"import"`
	Role   callbacks.Role `json:"role"`
	Table  uint32         `json:"table"`
	From   uint32         `json:"from"` // slot the build registers
	To     uint32         `json:"to"`   // slot it is kept at
	Func   uint32         `json:"func"`
	Name   string         `json:"name,omitempty"`
	// New is true for a callback the lock did not have.
	New bool `json:"new,omitempty"`
}

// Relocated is a function moved from a pinned slot to a fresh one; the
// module's own indirect accesses to Slot are routed to To.
type Relocated struct {
	Table uint32 `json:"table"`
	Slot  uint32 `json:"slot"`
	To    uint32 `json:"to"`
	Func  int64  `json:"func"` // callbacks.EntryNull if the slot was empty, callbacks.EntryUnknown if an element expression filled it
	Name  string `json:"name,omitempty"`
	// Expr describes the element expression carried over verbatim when
	// the slot held one (e.g. "global.get 0"), "" otherwise.
	Expr string `json:"expr,omitempty"`
}

// TableChange is a table grown to hold pinned or relocated slots.
type TableChange struct {
	Table uint32 `json:"table"`
	From  uint64 `json:"from"`
	To    uint64 `json:"to"`
}

// tablePlan is what Pin does to one table.
type tablePlan struct {
	table    *callbacks.Table
	want     map[uint32]uint32 // slot → function that must be there
	why      map[uint32]string // slot → what wants it, for messages
	place    map[uint32]placed // slot → what the new element segments put there
	remap    pmapSlots         // internal index → slot now holding the function
	oldSize  uint64
	newSize  uint64
	remapFn  uint32
	hasRemap bool
	// pendingNew are callbacks the lock does not know whose slot is
	// reserved for another: they get a fresh slot.
	pendingNew []*callbacks.Callback
}

type pmapSlots map[uint32]uint32

// placed is the content the pin gives a slot: a function, or the exact
// element expression (or ref.null) a relocated slot held.
type placed struct {
	fn   uint32
	expr *core.ConstExpr // carried over verbatim when not nil
	null bool            // an empty slot (ref.null func)
}

func (pl placed) plain() bool { return pl.expr == nil && !pl.null }

type roleKey struct {
	imp  string
	role callbacks.Role
}

// translation of one argument of a registering import: from → to.
type argKey struct {
	imp string
	arg int
}

// Pin rewrites the module src so that every callback sits at the slot opts.Lock
// gives it. It never modifies src.
func Pin(src []byte, opts Options) (*Result, error) {
	pr, err := Prepare(src, opts.Profiles)
	if err != nil {
		return nil, err
	}
	return pr.Pin(opts)
}

// Prepared is a module decoded and analyzed for pinning, so that callers
// can do it while they obtain the lock (from the running build's
// analysis, say).
type Prepared struct {
	src      []byte
	m        *core.Module
	a        *callbacks.Analysis
	profiles []callbacks.Profile
	scan     *callbacks.Scan // the facts a's first pass read from the bodies
	valid    *validate.Valid // set by Validate
}

// Prepare decodes src and finds its callbacks, as Pin does first.
func Prepare(src []byte, profiles []callbacks.Profile) (*Prepared, error) {
	m, err := core.Decode(src)
	if err != nil {
		return nil, err
	}
	scan := &callbacks.Scan{}
	a, err := callbacks.Analyze(m, &callbacks.Options{Profiles: profiles, Record: scan})
	if err != nil {
		return nil, err
	}
	if len(a.Unresolved) > 0 {
		return nil, unresolvedError(a.Unresolved, "cannot pin a module")
	}
	return &Prepared{src: src, m: m, a: a, profiles: profiles, scan: scan}, nil
}

// PrepareValidated is Prepare and Validate in one pass over the code: the
// callback analysis takes its scan of the bodies from the validator's
// decoding (validate.Observed, callbacks.ScanBuilder) instead of decoding
// them again. It refuses an invalid module.
func PrepareValidated(src []byte, profiles []callbacks.Profile) (*Prepared, error) {
	m, err := core.Decode(src)
	if err != nil {
		return nil, err
	}
	b := callbacks.NewScanBuilder(m)
	valid, err := validate.Observed(m, func(first, n int) validate.Observer { return b.Part(first, n) })
	if err != nil {
		return nil, fmt.Errorf("not a valid module: %w", err)
	}
	scan, err := b.Scan()
	if err != nil {
		return nil, err
	}
	a, err := callbacks.Analyze(m, &callbacks.Options{Profiles: profiles, Reuse: scan})
	if err != nil {
		return nil, err
	}
	if len(a.Unresolved) > 0 {
		return nil, unresolvedError(a.Unresolved, "cannot pin a module")
	}
	return &Prepared{src: src, m: m, a: a, profiles: profiles, scan: scan, valid: valid}, nil
}

// Validate proves the input valid (analyze/validate). Check then
// validates the output's structure and the bodies the rewrite changed or
// added, and skips the bodies it copied verbatim, whose validity follows
// from the input's (validate.Valid.Derived); without Validate, Check
// type-checks every body of the output. Call it before Pin, typically
// while the lock is obtained.
func (pr *Prepared) Validate() error {
	v, err := validate.Check(pr.m)
	if err != nil {
		return fmt.Errorf("not a valid module: %w", err)
	}
	pr.valid = v
	return nil
}

// Pin pins the prepared module; opts.Profiles must be those it was
// prepared with. It may be called once.
func (pr *Prepared) Pin(opts Options) (*Result, error) {
	m, a, src := pr.m, pr.a, pr.src
	lock := &Lock{Schema: LockSchema, Tables: []LockTable{}}
	if opts.Lock != nil {
		lock = opts.Lock.Clone()
	}
	p := &pinner{m: m, src: src, a: a, lock: lock, opts: opts, res: &Result{Analysis: a, input: pr},
		plans: map[uint32]*tablePlan{}, trans: map[argKey]map[uint64]uint64{}}
	if err := p.match(); err != nil {
		return nil, err
	}
	if err := p.layout(); err != nil {
		return nil, err
	}
	if err := p.emit(); err != nil {
		return nil, err
	}
	p.notes()
	lock.sort()
	p.res.Lock = lock
	return p.res, nil
}

type pinner struct {
	m     *core.Module
	src   []byte
	a     *callbacks.Analysis
	lock  *Lock
	opts  Options
	res   *Result
	plans map[uint32]*tablePlan
	trans map[argKey]map[uint64]uint64 // per import argument: registered slot → pinned slot
	// untyped counts the lock entries matched that record no signature.
	untyped int
}

func (p *pinner) plan(t uint32) (*tablePlan, error) {
	if tp := p.plans[t]; tp != nil {
		return tp, nil
	}
	tab := p.a.Table(t)
	if tab == nil {
		return nil, errorAt(-1, "the lock pins slots of table %d, but the module has no table %d", t, t)
	}
	tp := &tablePlan{table: tab, want: map[uint32]uint32{}, why: map[uint32]string{}, place: map[uint32]placed{},
		remap: pmapSlots{}, oldSize: tab.Min, newSize: tab.Min}
	p.plans[t] = tp
	return tp, nil
}

// match pairs the build's callbacks with the lock's slots.
func (p *pinner) match() error {
	tables := map[uint32]bool{}
	for _, lt := range p.lock.Tables {
		tables[lt.Table] = true
	}
	for i := range p.a.Callbacks {
		tables[p.a.Callbacks[i].Table] = true
	}
	usedMap := map[uint32]bool{}
	for _, t := range slices.Sorted(maps.Keys(tables)) {
		tp, err := p.plan(t)
		if err != nil {
			return err
		}
		groups := map[roleKey]*mgroup{}
		group := func(k roleKey) *mgroup {
			g := groups[k]
			if g == nil {
				g = &mgroup{}
				groups[k] = g
			}
			return g
		}
		if lt := p.lock.table(t, false); lt != nil {
			for _, s := range lt.Slots {
				for _, c := range s.Callbacks {
					g := group(roleKey{c.Import, c.Role})
					g.l = append(g.l, lent{s.Slot, c})
				}
			}
		}
		for i := range p.a.Callbacks {
			if c := &p.a.Callbacks[i]; c.Table == t {
				g := group(roleKey{c.Import, c.Role})
				g.n = append(g.n, c)
			}
		}
		keys := slices.SortedFunc(maps.Keys(groups), func(a, b roleKey) int {
			return cmp.Or(cmp.Compare(a.imp, b.imp), cmp.Compare(a.role, b.role))
		})
		var fresh []*callbacks.Callback
		for _, k := range keys {
			newN, err := p.matchGroup(t, tp, k, groups[k], usedMap)
			if err != nil {
				return err
			}
			fresh = append(fresh, newN...)
		}
		// Callbacks the lock does not know keep their slot unless the lock
		// reserves it for something else.
		for _, n := range fresh {
			if f, ok := tp.want[n.Slot]; (!ok || f == n.Func) && (!p.lockHas(t, n.Slot) || ok) {
				if err := p.want(tp, n.Slot, n, true); err != nil {
					return err
				}
				p.lock.add(t, n.Slot, identity(n))
			} else {
				tp.pendingNew = append(tp.pendingNew, n)
			}
		}
		if lt := p.lock.table(t, false); lt != nil {
			lt.Export = tp.table.Export
		}
	}
	for s, label := range p.opts.Map {
		if !usedMap[s] {
			return errorAt(-1, "--map %d=%s: no callback named %s can take lock slot %d (is the slot in the lock, and %s a callback of the same import and role?)", s, label, label, s, label)
		}
	}
	return nil
}

// lent is a lock entry: a slot and the callback the lock keeps there.
type lent struct {
	slot uint32
	cb   LockCallback
}

// mgroup holds the lock entries and the build's callbacks of one import
// and role in one table.
type mgroup struct {
	l []lent
	n []*callbacks.Callback
}

// matchGroup pairs the lock entries of one import and role with the
// build's callbacks: by --map, by name, by a fingerprint only one lock
// entry has, or one on each side. It returns the callbacks the lock does
// not know.
func (p *pinner) matchGroup(t uint32, tp *tablePlan, k roleKey, g *mgroup, usedMap map[uint32]bool) ([]*callbacks.Callback, error) {
	pairL := make([]int, len(g.l)) // index into g.n, or -1
	usedN := make([]bool, len(g.n))
	for i := range pairL {
		pairL[i] = -1
	}
	pair := func(li, ni int) { pairL[li], usedN[ni] = ni, true }
	// 1. Explicit --map.
	for li, l := range g.l {
		label, ok := p.opts.Map[l.slot]
		if !ok {
			continue
		}
		for ni, n := range g.n {
			if !usedN[ni] && (n.Label() == label || fmt.Sprintf("func[%d]", n.Func) == label) {
				pair(li, ni)
				usedMap[l.slot] = true
				break
			}
		}
		if pairL[li] < 0 {
			var ns []string
			for _, n := range g.n {
				ns = append(ns, n.Label())
			}
			return nil, errorAt(-1, "--map %d=%s: no %s callback of %s is %s; candidates: %s", l.slot, label, k.role, k.imp, label, strings.Join(ns, ", "))
		}
	}
	// 2. Same name, when no lock entry of another function has it.
	for li, l := range g.l {
		if pairL[li] >= 0 || l.cb.Name == "" || slices.ContainsFunc(g.l, func(o lent) bool {
			return o.cb.Name == l.cb.Name && o.cb.Fingerprint != l.cb.Fingerprint
		}) {
			continue
		}
		if ni := unique(g.n, usedN, func(n *callbacks.Callback) bool { return n.Name == l.cb.Name }); ni >= 0 {
			pair(li, ni)
		}
	}
	// 3. Same fingerprint, when only one lock entry has it.
	for li, l := range g.l {
		if pairL[li] >= 0 {
			continue
		}
		sameL := 0
		for lj, o := range g.l {
			if pairL[lj] < 0 && o.cb.Fingerprint == l.cb.Fingerprint {
				sameL++
			}
		}
		if sameL != 1 {
			continue
		}
		if ni := unique(g.n, usedN, func(n *callbacks.Callback) bool { return n.Fingerprint == l.cb.Fingerprint }); ni >= 0 {
			pair(li, ni)
		}
	}
	// 4. One on each side.
	if len(g.l) == 1 && len(g.n) == 1 && pairL[0] < 0 && !usedN[0] {
		pair(0, 0)
	}
	var lostL []lent
	for li, l := range g.l {
		if ni := pairL[li]; ni >= 0 {
			if err := p.want(tp, l.slot, g.n[ni], false); err != nil {
				return nil, err
			}
			p.checkType(l, g.n[ni])
			p.lock.add(t, l.slot, identity(g.n[ni]))
		} else {
			lostL = append(lostL, l)
		}
	}
	var newN []*callbacks.Callback
	for ni, n := range g.n {
		if !usedN[ni] {
			newN = append(newN, n)
		}
	}
	switch {
	case len(lostL) > 0 && len(newN) > 0:
		var ls, ns []string
		for _, l := range lostL {
			ls = append(ls, fmt.Sprintf("slot %d (%s)", l.slot, lockLabel(l.cb)))
		}
		for _, n := range newN {
			ns = append(ns, fmt.Sprintf("%s at slot %d (fingerprint %s)", n.Label(), n.Slot, n.Fingerprint))
		}
		return nil, errorAt(int64(newN[0].Sites[0].Off), "cannot tell which %s callback of %s in table %d now stands for lock %s; candidates: %s; choose with --map %d=%s",
			k.role, k.imp, t, strings.Join(ls, ", "), strings.Join(ns, ", "), lostL[0].slot, newN[0].Label())
	case len(lostL) > 0:
		for _, l := range lostL {
			occupant := "nothing"
			if en, ok := tp.table.Entry(uint64(l.slot)); ok && en.Func >= 0 {
				occupant = callbacks.FuncLabel(uint32(en.Func), en.Name)
			} else if ok && en.Func == callbacks.EntryUnknown {
				occupant = "a function not known statically (" + tp.table.Reason(uint64(l.slot)) + ")"
			}
			p.res.Notes = append(p.res.Notes, fmt.Sprintf("the lock keeps slot %d of table %d for the %s callback of %s (%s), which this build does not register; responses to calls made before the upgrade will run %s",
				l.slot, t, k.role, k.imp, lockLabel(l.cb), occupant))
		}
	}
	return newN, nil
}

func identity(c *callbacks.Callback) LockCallback {
	return LockCallback{Import: c.Import, Role: c.Role, Name: c.Name, Fingerprint: c.Fingerprint, Type: c.Type}
}

func lockLabel(c LockCallback) string {
	if c.Name != "" {
		return fmt.Sprintf("%s, fingerprint %s", c.Name, c.Fingerprint)
	}
	return "fingerprint " + c.Fingerprint
}

func (p *pinner) lockHas(t, s uint32) bool {
	lt := p.lock.table(t, false)
	return lt != nil && slices.ContainsFunc(lt.Slots, func(x LockSlot) bool { return x.Slot == s })
}

// unique returns the only unused n satisfying ok, or -1.
func unique(ns []*callbacks.Callback, used []bool, ok func(*callbacks.Callback) bool) int {
	found := -1
	for i, n := range ns {
		if !used[i] && ok(n) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// want records that slot s must hold callback c.
func (p *pinner) want(tp *tablePlan, s uint32, c *callbacks.Callback, isNew bool) error {
	what := fmt.Sprintf("the %s callback of %s (%s)", c.Role, c.Import, c.Label())
	if f, ok := tp.want[s]; ok && f != c.Func {
		return errorAt(int64(c.Sites[0].Off), "slot %d of table %d must hold both %s and %s; a slot holds one function, so calls made before the upgrade cannot all be answered",
			s, c.Table, tp.why[s], what)
	}
	tp.want[s] = c.Func
	if _, ok := tp.why[s]; !ok {
		tp.why[s] = what
	}
	p.res.Pins = append(p.res.Pins, Pinned{Import: c.Import, Role: c.Role, Table: c.Table, From: c.Slot, To: s, Func: c.Func, Name: c.Name, New: isNew})
	if s != c.Slot {
		k := argKey{c.Import, c.Arg}
		if p.trans[k] == nil {
			p.trans[k] = map[uint64]uint64{}
		}
		p.trans[k][uint64(c.Slot)] = uint64(s)
	}
	return nil
}
