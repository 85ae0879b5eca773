package compat

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
)

// Rule IDs of the in-flight check.
const (
	RuleCallbackSlotMoved          = "CALLBACK_SLOT_MOVED"
	RuleCallbackSlotReused         = "CALLBACK_SLOT_REUSED"
	RuleCallbackSlotOutOfRange     = "CALLBACK_SLOT_OUT_OF_RANGE"
	RuleCallbackTableExportChanged = "CALLBACK_TABLE_EXPORT_CHANGED"
	RuleCallbackUnresolved         = "CALLBACK_UNRESOLVED"
	RuleCallbackTableWritten       = "CALLBACK_TABLE_WRITTEN"
	RuleCallbackEnvHeapPointer     = "CALLBACK_ENV_HEAP_POINTER"
	RuleCallbackEnvUnknown         = "CALLBACK_ENV_UNKNOWN"
	RuleCallbackTypeChanged        = "CALLBACK_TYPE_CHANGED"
)

var (
	inFlightUnsafe   = []Effect{{ModeInFlight, Unsafe}}
	inFlightUnproven = []Effect{{ModeInFlight, Unproven}}
)

// inFlightRules are the rules of the in-flight check; their examples are
// WAT fragments of the old and the new module.
var inFlightRules = []Rule{
	{
		ID:       RuleCallbackSlotMoved,
		Purpose:  "A callback the old build registers by table slot sits at a different slot in the new build, and the old slot holds something else.",
		Why:      "A response to a call made before the upgrade is delivered to whatever the new table holds at the old slot.",
		Severity: SeverityError,
		Effects:  inFlightUnsafe,
		Fix:      "wfcompat pin NEW --against OLD -o PINNED.wasm",
		Example: Example{
			Before: "(elem (i32.const 56) $reply)\n(call $ic0.call_new ... (i32.const 56) ... (i32.const 56) ...)",
			After:  "(elem (i32.const 56) $fmt_write) (elem (i32.const 68) $reply)\n(call $ic0.call_new ... (i32.const 68) ... (i32.const 68) ...)",
		},
	},
	{
		ID: RuleCallbackSlotReused,
		Purpose: "A callback slot of the old build holds, in the new build, a function that is not the new build's callback for the same role. " +
			"Not reported when the slot holds the very function the old callback was, whether or not the new build still registers that role " +
			"(it may have stopped making that kind of call): a function with the old callback's fingerprint (which covers the signature) " +
			"that is the only function with it in the old module and in the new one; functions with equal fingerprints (twins) leave it reported, " +
			"as does a side read from a manifest, which keeps no function bodies.",
		Why:      "A response to a call made before the upgrade runs an unrelated function with the call's env argument.",
		Severity: SeverityError,
		Effects:  inFlightUnsafe,
		Example: Example{
			Before: "(elem (i32.const 12) $callback_nat)",
			After:  "(elem (i32.const 12) $callback_text)",
		},
	},
	{
		ID:       RuleCallbackSlotOutOfRange,
		Purpose:  "A callback slot of the old build is beyond the end of the new build's table, or the table is gone.",
		Why:      "A response to a call made before the upgrade finds no function at its slot and traps.",
		Severity: SeverityError,
		Effects:  inFlightUnsafe,
		Example: Example{
			Before: "(table 72 72 funcref) (elem (i32.const 70) $reply)",
			After:  "(table 40 40 funcref)",
		},
	},
	{
		ID:       RuleCallbackTableExportChanged,
		Purpose:  "The table holding callbacks is no longer exported under the name the old build used.",
		Why:      "A host that finds callbacks through the exported table no longer finds the table, or finds another one.",
		Severity: SeverityError,
		Effects:  inFlightUnsafe,
		Example: Example{
			Before: "(table (export \"table\") 30 funcref)",
			After:  "(table 30 funcref)",
		},
	},
	{
		ID:       RuleCallbackUnresolved,
		Purpose:  "A callback argument, a callback slot or a table's contents could not be resolved statically.",
		Why:      "Without knowing every slot that outstanding calls name, the upgrade cannot be proven to keep them answerable.",
		Severity: SeverityWarning,
		Effects:  inFlightUnproven,
		Example: Example{
			Before: "(call $ic0.call_new ... (i32.const 56) ...)",
			After:  "(call $ic0.call_new ... (i32.load (local.get $cb)) ...)",
		},
	},
	{
		ID:       RuleCallbackTableWritten,
		Purpose:  "The old or the new build writes its callback table at run time where it could change a callback slot.",
		Why:      "The analysis compares what the element segments put in each slot; a slot written at run time may have held another function when the old build made the call, or may hold another when the response reaches the new build.",
		Severity: SeverityWarning,
		Effects:  inFlightUnproven,
		Example: Example{
			Before: "(elem (i32.const 56) $reply)",
			After:  "(elem (i32.const 56) $reply)\n(table.set (local.get $i) (ref.func $other))",
		},
	},
	{
		ID:       RuleCallbackTypeChanged,
		Purpose:  "The function the new build keeps at a callback slot of the old build has another signature than the old build's callback.",
		Why:      "The host calls a callback with a fixed signature, which the old build's callback had (on the Internet Computer (env : I) -> (), I the pointer width); a function of another signature at the slot traps, so the response to a call made before the upgrade is lost. A change of the env's width alone (a wasm64 rebuild) is CALLBACK_UNRESOLVED instead.",
		Severity: SeverityError,
		Effects:  inFlightUnsafe,
		Example: Example{
			Before: "(elem (i32.const 1) $reply)\n(func $reply (param $env i32) ...)",
			After:  "(elem (i32.const 1) $reply)\n(func $reply (param $env i32) (param $n i32) ...)",
		},
	},
	{
		ID: RuleCallbackEnvHeapPointer,
		Purpose: "The env argument the old build registers with a callback is evidently an address in linear memory " +
			"(a run-time value plus or minus a constant; an env passed on unchanged from a call, such as an allocator's result, is CALLBACK_ENV_UNKNOWN instead).",
		Why:      "An Internet Computer upgrade discards main memory unless the canister uses enhanced orthogonal persistence, which the binary does not show, so a response arriving after the upgrade may hand the callback a dangling pointer even when its slot is kept: the outstanding call is not proven to survive.",
		Severity: SeverityWarning,
		Effects:  inFlightUnproven,
		Example: Example{
			Before: "(call $ic0.call_new ... (i32.const 56) (i32.add (local.get 6) (i32.const 8)) ...)",
			After:  "(same slot; the pointer refers to memory the upgrade discarded)",
		},
	},
	{
		ID: RuleCallbackEnvUnknown,
		Purpose: "The env argument the old build registers with a callback is neither a constant nor evidently an address " +
			"(an env passed on unchanged from a call, such as an allocator's result, or read from memory), and the old build does not refuse an upgrade while callbacks are outstanding.",
		Why: "Such an env is commonly a heap pointer (Rust's Box::into_raw of the call's state); an Internet Computer upgrade discards main memory unless the canister uses enhanced orthogonal persistence, " +
			"so a response arriving after the upgrade may hand the callback a dangling pointer even when its slot is kept. " +
			"Not reported when the old build's canister_pre_upgrade traps with the Motoko runtime's message while callbacks are outstanding: the upgrade runs the old build's pre_upgrade, so it is refused and no call can be in flight across it.",
		Severity: SeverityWarning,
		Effects:  inFlightUnproven,
		Example: Example{
			Before: "(local.set $env (call $alloc (i32.const 16)))\n(call $ic0.call_new ... (i32.const 1) (local.get $env) ...)",
			After:  "(same slot; the env may point into memory the upgrade discarded)",
		},
	},
}

// InFlightRules returns the rules of the in-flight check, for the catalog.
func InFlightRules() []Rule {
	out := slices.Clone(inFlightRules)
	for i := range out {
		out[i].Effects = slices.Clone(out[i].Effects)
	}
	return out
}

// InFlight decides the in-flight mode from the callback analyses of the old
// and the new core module: every callback slot of the old module must
// hold, in the new module, the new module's callback for the same role, or
// the very function the old callback was (see heldUnchanged). It
// is n/a when neither module imports a callback-registering function, and
// unproven when a callback could not be resolved, or when the env an old
// callback is registered with is a heap pointer or cannot be classified
// (unless the old build refuses an upgrade while callbacks are
// outstanding; see envs).
func InFlight(old, new *callbacks.Analysis) (ModeResult, []Finding) {
	c := &inflight{old: old, new: new, res: ModeResult{Verdict: NotApplicable, Reasons: []Reason{}}, findings: []Finding{}}
	if old == nil || new == nil {
		c.res.Reasons = append(c.res.Reasons, Reason{Verdict: NotApplicable, Message: "in-flight calls are tracked through core-module callback table slots; one side is not a core module"})
		return c.res, c.findings
	}
	if len(old.Imports) == 0 && len(new.Imports) == 0 {
		c.res.Reasons = append(c.res.Reasons, Reason{Verdict: NotApplicable, Message: "neither module imports a callback-registering function (such as ic0.call_new): no call can be in flight across the upgrade"})
		return c.res, c.findings
	}
	c.res.Verdict = Safe
	c.unresolved("old", old)
	c.unresolved("new", new)
	c.slots()
	c.writes()
	if c.res.Verdict == Safe {
		n := len(old.Callbacks)
		msg := fmt.Sprintf("all %d callback registrations of the old module keep their table slots in the new one", n)
		if n == 0 {
			msg = "the old module registers no callbacks, so none can be in flight"
		}
		c.res.Reasons = append(c.res.Reasons, Reason{Verdict: Safe, Message: msg})
	}
	c.envs()
	return c.res, c.findings
}

type inflight struct {
	old, new *callbacks.Analysis
	res      ModeResult
	findings []Finding
}

func (c *inflight) add(rule, subject, msg, oldS, newS string) {
	f := baseRegistry().Finding(rule, subject, msg, oldS, newS)
	c.findings = append(c.findings, f)
	v, _ := baseRegistry().rule(rule).Effect(ModeInFlight)
	c.res.Add(Reason{Verdict: v, Rule: rule, Subject: subject, Message: msg})
}

func slotSubject(t, s uint32) string { return fmt.Sprintf("core:table[%d][%d]", t, s) }

func (c *inflight) unresolved(side string, a *callbacks.Analysis) {
	for _, u := range a.Unresolved {
		c.add(RuleCallbackUnresolved, fmt.Sprintf("core:func[%d]", u.Func),
			fmt.Sprintf("%s module: the %s callback of %s at offset 0x%x in %s is not resolved: %s",
				side, u.Role, u.Import, u.Off, callbacks.FuncLabel(u.Func, u.Name), u.Why), "", "")
	}
}

type roleKey struct {
	table uint32
	imp   string
	role  callbacks.Role
}

// pair matches old callbacks with new ones of the same table, import and
// role: by name, then by fingerprint, each only where no other old
// callback has it and one new callback does, then directly when each side
// has exactly one.
func pair(old, new []*callbacks.Callback) map[*callbacks.Callback]*callbacks.Callback {
	out := map[*callbacks.Callback]*callbacks.Callback{}
	used := map[*callbacks.Callback]bool{}
	uniq := func(ok func(*callbacks.Callback) bool) *callbacks.Callback {
		var found *callbacks.Callback
		for _, n := range new {
			if !used[n] && ok(n) {
				if found != nil {
					return nil
				}
				found = n
			}
		}
		return found
	}
	for _, o := range old {
		// A name that another old callback of the role (a different
		// function) shares identifies neither.
		if o.Name == "" || slices.ContainsFunc(old, func(p *callbacks.Callback) bool { return p.Name == o.Name && p.Func != o.Func }) {
			continue
		}
		if n := uniq(func(n *callbacks.Callback) bool { return n.Name == o.Name }); n != nil {
			out[o], used[n] = n, true
		}
	}
	for _, o := range old {
		if out[o] != nil {
			continue
		}
		same := 0
		for _, p := range old {
			if out[p] == nil && p.Fingerprint == o.Fingerprint {
				same++
			}
		}
		if same != 1 {
			continue
		}
		if n := uniq(func(n *callbacks.Callback) bool { return n.Fingerprint == o.Fingerprint }); n != nil {
			out[o], used[n] = n, true
		}
	}
	if len(old) == 1 && len(new) == 1 && out[old[0]] == nil && !used[new[0]] {
		out[old[0]] = new[0]
	}
	return out
}

func group(a *callbacks.Analysis) map[roleKey][]*callbacks.Callback {
	g := map[roleKey][]*callbacks.Callback{}
	for i := range a.Callbacks {
		cb := &a.Callbacks[i]
		k := roleKey{cb.Table, cb.Import, cb.Role}
		g[k] = append(g[k], cb)
	}
	return g
}

func describeCallback(cb *callbacks.Callback) string {
	return fmt.Sprintf("%s at slot %d: %s %s (fingerprint %s)", cb.Role, cb.Slot, cb.Label(), cb.Type, cb.Fingerprint)
}

// holder describes what the new table holds at slot s.
func (c *inflight) holder(t *callbacks.Table, s uint32) string {
	en, ok := t.Entry(uint64(s))
	switch {
	case !ok:
		return "nothing (beyond the table)"
	case en.Func == callbacks.EntryNull:
		return "nothing (an empty slot)"
	case en.Func == callbacks.EntryUnknown:
		return "an unknown function"
	}
	label := callbacks.FuncLabel(uint32(en.Func), en.Name)
	var roles []string
	for _, cb := range c.new.CallbacksAt(t.Index, s) {
		roles = append(roles, fmt.Sprintf("%s of %s", cb.Role, cb.Import))
	}
	if len(roles) > 0 {
		label += " (the new " + strings.Join(roles, " and ") + " callback)"
	}
	return label
}

// slots checks every old callback slot against the new table.
func (c *inflight) slots() {
	og, ng := group(c.old), group(c.new)
	exportReported := map[uint32]bool{}
	c.imported(og)
	keys := make([]roleKey, 0, len(og))
	for k := range og {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b roleKey) int {
		return cmp.Or(cmp.Compare(a.table, b.table), cmp.Compare(a.imp, b.imp), cmp.Compare(a.role, b.role))
	})
	for _, k := range keys {
		olds := og[k]
		slices.SortFunc(olds, func(a, b *callbacks.Callback) int { return cmp.Compare(a.Slot, b.Slot) })
		match := pair(olds, ng[k])
		for _, o := range olds {
			subject := slotSubject(o.Table, o.Slot)
			ot, nt := c.old.Table(o.Table), c.new.Table(o.Table)
			if nt == nil {
				c.add(RuleCallbackSlotOutOfRange, subject,
					fmt.Sprintf("the new module has no table %d, where the old one keeps the %s callback of %s at slot %d", o.Table, o.Role, o.Import, o.Slot),
					describeCallback(o), "")
				continue
			}
			if ot != nil && ot.Export != "" && nt.Export != ot.Export && !exportReported[o.Table] {
				exportReported[o.Table] = true
				now := "is no longer exported"
				if nt.Export != "" {
					now = fmt.Sprintf("is exported as %q", nt.Export)
				}
				c.add(RuleCallbackTableExportChanged, fmt.Sprintf("core:table[%d]", o.Table),
					fmt.Sprintf("table %d, which holds callbacks, was exported as %q and %s", o.Table, ot.Export, now),
					fmt.Sprintf("export %q", ot.Export), nt.Export)
			}
			if uint64(o.Slot) >= nt.Min {
				c.add(RuleCallbackSlotOutOfRange, subject,
					fmt.Sprintf("slot %d, where the old module keeps the %s callback of %s (%s), is beyond the new table's %d slots", o.Slot, o.Role, o.Import, o.Label(), nt.Min),
					describeCallback(o), fmt.Sprintf("table %d has %d slots", o.Table, nt.Min))
				continue
			}
			if en, _ := nt.Entry(uint64(o.Slot)); en.Func == callbacks.EntryUnknown {
				c.add(RuleCallbackUnresolved, subject,
					fmt.Sprintf("what the new table holds at slot %d, the old %s callback of %s, is not known: %s", o.Slot, o.Role, o.Import, nt.Unknown),
					describeCallback(o), "")
				continue
			}
			n := match[o]
			// The counterpart keeps the slot when it is registered there, or
			// when the new table holds it there too (a function may sit at
			// several slots).
			kept := n != nil && (n.Slot == o.Slot || slotHolds(nt, o.Slot, n.Func))
			switch {
			case kept && n.Type != o.Type && callbacks.EnvWidthChanged(o.Type, n.Type):
				c.add(RuleCallbackUnresolved, subject,
					fmt.Sprintf("the %s callback of %s keeps slot %d, but its env parameter changed width (%s to %s): the host passes the env at the new build's pointer width (on the Internet Computer, its memory's), so whether calls made before the upgrade are answered is not proven", o.Role, o.Import, o.Slot, o.Type, n.Type),
					describeCallback(o), describeCallback(n))
			case kept && n.Type != o.Type:
				c.add(RuleCallbackTypeChanged, subject,
					fmt.Sprintf("the %s callback of %s keeps slot %d, but its signature changed from %s to %s: the host's call of the slot traps", o.Role, o.Import, o.Slot, o.Type, n.Type),
					describeCallback(o), describeCallback(n))
			case kept:
			case n != nil:
				c.add(RuleCallbackSlotMoved, subject,
					fmt.Sprintf("the %s callback of %s moved from slot %d to slot %d; slot %d now holds %s", o.Role, o.Import, o.Slot, n.Slot, o.Slot, c.holder(nt, o.Slot)),
					describeCallback(o), describeCallback(n)+fmt.Sprintf("; slot %d: %s", o.Slot, c.holder(nt, o.Slot)))
			default:
				// No counterpart: still fine if the very same function is a
				// new callback of this role at the slot.
				same := false
				for _, cb := range c.new.CallbacksAt(o.Table, o.Slot) {
					if cb.Import == o.Import && cb.Role == o.Role && cb.Fingerprint == o.Fingerprint {
						same = true
					}
				}
				if same {
					c.twins(o, olds)
					continue
				}
				if c.newUnresolved(o.Import, o.Role) {
					c.add(RuleCallbackUnresolved, subject,
						fmt.Sprintf("the %s callback of %s at slot %d (%s) has no resolved counterpart in the new module, whose %s registrations are not all resolved; slot %d now holds %s", o.Role, o.Import, o.Slot, o.Label(), o.Role, o.Slot, c.holder(nt, o.Slot)),
						describeCallback(o), fmt.Sprintf("slot %d: %s", o.Slot, c.holder(nt, o.Slot)))
					continue
				}
				// Nor is it a reuse when the slot holds the very function
				// o was, though the new build no longer registers it for
				// the role (it stopped making that kind of call).
				if c.heldUnchanged(o, nt) {
					c.res.Add(Reason{Verdict: Safe, Subject: subject,
						Message: fmt.Sprintf("the %s callback of %s at slot %d (%s) has no counterpart in the new module, but slot %d still holds the very function (%s, fingerprint %s, the only function with it in either module): calls made before the upgrade are answered as before",
							o.Role, o.Import, o.Slot, o.Label(), o.Slot, c.holder(nt, o.Slot), o.Fingerprint)})
					continue
				}
				c.add(RuleCallbackSlotReused, subject,
					fmt.Sprintf("the %s callback of %s at slot %d (%s) has no counterpart in the new module; slot %d now holds %s", o.Role, o.Import, o.Slot, o.Label(), o.Slot, c.holder(nt, o.Slot)),
					describeCallback(o), fmt.Sprintf("slot %d: %s", o.Slot, c.holder(nt, o.Slot)))
			}
		}
	}
}

// heldUnchanged reports whether the new table holds, at the slot of old
// callback o, the very function o was, whether or not the new build
// registers it as a callback: a function with o's fingerprint, where o's
// function is the only one of the old module with that fingerprint and
// the new module has only one function with it. The fingerprint covers the
// signature, so the host's call of the slot matches. It is false when that
// cannot be established: twins (another function of either module with
// the fingerprint, as in cb_twins_old, may be what the slot now stands
// for), or an analysis without its module's functions (rebuilt from a
// manifest).
func (c *inflight) heldUnchanged(o *callbacks.Callback, nt *callbacks.Table) bool {
	en, ok := nt.Entry(uint64(o.Slot))
	if !ok || en.Func < 0 {
		return false
	}
	fp, ok := c.new.Funcs.Fingerprint(uint32(en.Func))
	if !ok || fp != o.Fingerprint {
		return false
	}
	if ofp, ok := c.old.Funcs.Fingerprint(o.Func); !ok || ofp != o.Fingerprint {
		return false
	}
	olds, ok := c.old.Funcs.SameFingerprint(o.Func)
	if !ok || len(olds) != 1 {
		return false
	}
	news, ok := c.new.Funcs.SameFingerprint(uint32(en.Func))
	return ok && len(news) == 1
}

// twins reports old callback o, kept by fingerprint alone, when another
// old callback of its role is a different function with the same
// fingerprint (bodies that differ only deeper in what they call): the new
// slot holds a function with that fingerprint, but which of the twins it
// stands for cannot be told, and the twins may have swapped slots.
func (c *inflight) twins(o *callbacks.Callback, olds []*callbacks.Callback) {
	var slots []string
	for _, p := range olds {
		if p.Fingerprint == o.Fingerprint && p.Func != o.Func {
			slots = append(slots, fmt.Sprint(p.Slot))
		}
	}
	if len(slots) == 0 {
		return
	}
	nt := c.new.Table(o.Table)
	c.add(RuleCallbackUnresolved, slotSubject(o.Table, o.Slot),
		fmt.Sprintf("the %s callback of %s at slot %d (%s) has the fingerprint of the old %s callback at slot %s, a different function; slot %d of the new module holds %s, which has that fingerprint too, so whether it is the callback calls made before the upgrade name cannot be told (a name section, or wfcompat pin with --map, tells them apart)",
			o.Role, o.Import, o.Slot, o.Label(), o.Role, strings.Join(slots, ", "), o.Slot, c.holder(nt, o.Slot)),
		describeCallback(o), fmt.Sprintf("slot %d: %s", o.Slot, c.holder(nt, o.Slot)))
}

// imported reports the tables holding old callbacks that either module
// imports: code outside the module may change their slots at any time, so
// what the element segments put there proves nothing.
func (c *inflight) imported(og map[roleKey][]*callbacks.Callback) {
	seen := map[uint32]bool{}
	for k := range og {
		seen[k.table] = true
	}
	for _, t := range slices.Sorted(maps.Keys(seen)) {
		for _, side := range []struct {
			name string
			a    *callbacks.Analysis
		}{{"old", c.old}, {"new", c.new}} {
			if tab := side.a.Table(t); tab != nil && tab.Imported {
				c.add(RuleCallbackUnresolved, fmt.Sprintf("core:table[%d]", t),
					fmt.Sprintf("the %s module imports table %d, which holds callbacks of the old module: code outside the module may change its slots at any time", side.name, t), "", "")
			}
		}
	}
}

// slotHolds reports whether the initial content of slot s of t is function fn.
func slotHolds(t *callbacks.Table, s, fn uint32) bool {
	en, ok := t.Entry(uint64(s))
	return ok && en.Func == int64(fn)
}

// newUnresolved reports whether the new module has unresolved
// registrations for the role.
func (c *inflight) newUnresolved(imp string, role callbacks.Role) bool {
	for _, u := range c.new.Unresolved {
		if u.Import == imp && u.Role == role {
			return true
		}
	}
	return false
}

// writes reports run-time writes of either module's callback tables that
// could change a slot of an old callback: in the old module the call may
// have named a slot whose content was no longer what the element segments
// put there (which is what the analyses compare), and in the new module the
// response may find another function there.
func (c *inflight) writes() {
	slotsOf := map[uint32][]uint32{}
	for i := range c.old.Callbacks {
		cb := &c.old.Callbacks[i]
		slotsOf[cb.Table] = append(slotsOf[cb.Table], cb.Slot)
	}
	for _, t := range slices.Sorted(maps.Keys(slotsOf)) {
		for _, side := range []struct {
			name string
			a    *callbacks.Analysis
		}{{"old", c.old}, {"new", c.new}} {
			tab := side.a.Table(t)
			if tab == nil {
				continue
			}
			for _, op := range tab.WritesTo(slotsOf[t]) {
				what := "may write any slot"
				if op.Known {
					what = fmt.Sprintf("writes slots %d..%d", op.Start, op.End-1)
				}
				c.add(RuleCallbackTableWritten, fmt.Sprintf("core:table[%d]", t),
					fmt.Sprintf("%s at offset 0x%x in %s of the %s module %s, which include callback slots of the old module", op.Op, op.Off, callbacks.FuncLabel(op.Func, ""), side.name, what), "", "")
			}
		}
	}
}

// envs warns about env arguments of the old module's callbacks that
// outstanding calls carry across the upgrade: heap pointers
// (CALLBACK_ENV_HEAP_POINTER), and envs the analysis cannot classify
// (CALLBACK_ENV_UNKNOWN), such as an allocator's result passed on
// unchanged, which are as likely heap addresses.
//
// An unclassified env is excused when the old module refuses the upgrade
// while callbacks are outstanding (callbacks.Analysis.PreUpgradeGuard, the
// Motoko runtime's guard). It is the old module's guard that counts: an
// Internet Computer upgrade runs the canister_pre_upgrade of the build
// being replaced, and when that traps the upgrade is refused and the old
// build keeps running, so no call it made can be answered by the new
// build. The new module's pre_upgrade only runs at the next upgrade.
// Heap pointers stay reported as before (the guard is named in the
// reason), as does every slot finding.
func (c *inflight) envs() {
	type slotKey struct{ t, s uint32 }
	type found struct {
		order []slotKey
		roles map[slotKey][]string
		site  map[slotKey]callbacks.Site
	}
	collect := func(kind callbacks.EnvKind, skip map[slotKey][]string) found {
		f := found{roles: map[slotKey][]string{}, site: map[slotKey]callbacks.Site{}}
		for i := range c.old.Callbacks {
			cb := &c.old.Callbacks[i]
			k := slotKey{cb.Table, cb.Slot}
			if _, ok := skip[k]; ok {
				continue
			}
			s := cb.EnvSite(kind)
			if s == nil {
				continue
			}
			if _, ok := f.roles[k]; !ok {
				f.order = append(f.order, k)
				f.site[k] = *s
			}
			f.roles[k] = append(f.roles[k], fmt.Sprintf("%s callback of %s", cb.Role, cb.Import))
		}
		return f
	}
	ptr := collect(callbacks.EnvPointer, nil)
	for _, k := range ptr.order {
		s := ptr.site[k]
		c.add(RuleCallbackEnvHeapPointer, slotSubject(k.t, k.s),
			fmt.Sprintf("the old module passes %s as the env of its %s at slot %d (offset 0x%x in %s): evidently a heap address; keeping the slot lets outstanding calls be answered, but an Internet Computer upgrade discards main memory unless the canister uses enhanced orthogonal persistence, so the callback would read a stale pointer",
				s.Env.Detail, strings.Join(ptr.roles[k], " and "), k.s, s.Off, callbacks.FuncLabel(s.Func, s.Name)), "", "")
	}
	unk := collect(callbacks.EnvUnknown, ptr.roles)
	if len(unk.order) == 0 {
		return
	}
	if c.old.PreUpgradeGuard != "" {
		c.res.Add(Reason{Verdict: Safe, Message: fmt.Sprintf("the old module passes envs the analysis cannot classify to %d callback slots, but the old build's pre_upgrade refuses the upgrade while callbacks are outstanding (Motoko runtime): in-flight calls cannot meet a new build (unless the upgrade skips pre_upgrade); %s",
			len(unk.order), c.old.PreUpgradeGuard)})
		return
	}
	for _, k := range unk.order {
		s := unk.site[k]
		c.add(RuleCallbackEnvUnknown, slotSubject(k.t, k.s),
			fmt.Sprintf("the old module passes an env the analysis cannot classify (%s) to its %s at slot %d (offset 0x%x in %s): it may be a heap address, such as an allocator's result, and an Internet Computer upgrade discards main memory unless the canister uses enhanced orthogonal persistence, so keeping the slot does not prove the callback reads valid memory; the old build has no pre_upgrade guard refusing the upgrade while callbacks are outstanding",
				s.Env.Detail, strings.Join(unk.roles[k], " and "), k.s, s.Off, callbacks.FuncLabel(s.Func, s.Name)), "", "")
	}
}
