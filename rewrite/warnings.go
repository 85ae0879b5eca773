package rewrite

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
)

// The rules of wfcompat diff (compat's in-flight rules) a Warning is
// reported under; rewrite does not import compat, and a test holds them
// equal.
const (
	RuleCallbackTypeChanged    = "CALLBACK_TYPE_CHANGED"
	RuleCallbackUnresolved     = "CALLBACK_UNRESOLVED"
	RuleCallbackEnvHeapPointer = "CALLBACK_ENV_HEAP_POINTER"
	RuleCallbackEnvUnknown     = "CALLBACK_ENV_UNKNOWN"
)

// Warning is a danger to calls in flight that pinning does not remove: pin
// keeps slots, not signatures or the memory an env points to. It is
// reported, and the output written: wfcompat diff OLD OUT.wasm judges it
// (CALLBACK_TYPE_CHANGED unsafe, the others unproven).
type Warning struct {
	// Rule is the rule diff reports the danger under.
	Rule string `json:"rule"`
	// Running is true for an env of the running build (Options.Running),
	// which the calls in flight across this upgrade carry; false for the
	// pinned build's own, which its next upgrade meets.
	Running bool           `json:"running,omitempty"`
	Table   uint32         `json:"table"`
	Slot    uint32         `json:"slot"` // the pinned slot
	Import  string         `json:"import"`
	Role    callbacks.Role `json:"role"`
	// Func, Name and Type are the build's callback and its signature.
	Func uint32 `json:"func"`
	Name string `json:"name,omitempty"`
	Type string `json:"type"`
	// OldName and OldType are the lock's callback for the slot (a changed
	// signature).
	OldName string `json:"old_name,omitempty"`
	OldType string `json:"old_type,omitempty"`
	// Env says how the env is computed, Site where it is registered (an
	// env warning).
	Env  string       `json:"env,omitempty"`
	Site *WarningSite `json:"site,omitempty"`
	// Message is the warning in words, also one of Result.Notes.
	Message string `json:"message"`
}

// WarningSite is the call that registers a callback.
type WarningSite struct {
	Func uint32 `json:"func"` // the function holding the call
	Name string `json:"name,omitempty"`
	Off  uint32 `json:"off"` // the call's offset in the module
}

// warn records w; notes orders the warnings and makes them notes.
func (p *pinner) warn(w Warning) { p.res.Warnings = append(p.res.Warnings, w) }

// checkType warns when the build's callback n, kept at the slot of lock
// entry l, has another signature than the lock's callback: the host calls
// the slot with the old one. A lock entry without a signature (an older
// lock) is counted for one note.
func (p *pinner) checkType(l lent, n *callbacks.Callback) {
	o := l.cb
	if o.Type == "" {
		p.untyped++
		return
	}
	if o.Type == n.Type {
		return
	}
	w := Warning{Table: n.Table, Slot: l.slot, Import: n.Import, Role: n.Role, Func: n.Func, Name: n.Name, Type: n.Type,
		OldName: o.Name, OldType: o.Type}
	was := ""
	if o.Name != "" && o.Name != n.Name {
		was = ", " + o.Name + " in the lock"
	}
	what := fmt.Sprintf("the %s callback of %s kept at slot %d of table %d (%s%s)", n.Role, n.Import, l.slot, n.Table, n.Label(), was)
	if callbacks.EnvWidthChanged(o.Type, n.Type) {
		w.Rule = RuleCallbackUnresolved
		w.Message = fmt.Sprintf("pinning keeps callback slots, not signatures: %s changed the width of its env parameter, %s to %s; the host passes the env at the new build's pointer width, so whether calls made before the upgrade are answered is not proven (%s)",
			what, o.Type, n.Type, w.Rule)
	} else {
		w.Rule = RuleCallbackTypeChanged
		w.Message = fmt.Sprintf("pinning keeps callback slots, not signatures: %s changed its signature from %s to %s; the host calls the slot with the old signature, which traps, so responses to calls made before the upgrade are lost (%s: wfcompat diff judges the upgrade unsafe)",
			what, o.Type, n.Type, w.Rule)
	}
	p.warn(w)
}

// pinnedSlot returns the slot c is kept at.
func (p *pinner) pinnedSlot(c *callbacks.Callback) uint32 {
	for _, pn := range p.res.Pins {
		if pn.Table == c.Table && pn.Import == c.Import && pn.Role == c.Role && pn.From == c.Slot && pn.Func == c.Func {
			return pn.To
		}
	}
	return c.Slot
}

// notes adds the warnings that do not stop the pin: callbacks registered
// with an env that is evidently a heap pointer, or that the analysis
// cannot classify (an allocator's result passed on unchanged: as likely a
// heap address). An Internet Computer upgrade discards main memory unless
// the canister uses enhanced orthogonal persistence, so a response that
// arrives after the upgrade may hand the callback a stale pointer. They
// are the pinned build's registrations, which its next upgrade meets, and,
// when known, the running build's, which the calls in flight across this
// upgrade carry; each is judged as diff judges the running build's
// (CALLBACK_ENV_HEAP_POINTER, CALLBACK_ENV_UNKNOWN): an unclassified env
// is excused when the build's canister_pre_upgrade refuses an upgrade
// while callbacks are outstanding.
func (p *pinner) notes() {
	if p.untyped > 0 {
		p.res.Notes = append(p.res.Notes, fmt.Sprintf("the lock records no signatures for %d of the callbacks it keeps (it was written before locks recorded them), so pin cannot tell whether their signatures changed; wfcompat diff OLD OUT.wasm does, and a lock written now records them", p.untyped))
	}
	if p.opts.Running != nil {
		p.envWarnings(p.opts.Running, true)
	}
	p.envWarnings(p.a, false)
	// By slot, as diff lists its findings; for one callback its signature,
	// then the running build's env, then the pinned build's (the order
	// they were found in).
	slices.SortStableFunc(p.res.Warnings, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.Table, b.Table), cmp.Compare(a.Slot, b.Slot), cmp.Compare(a.Role, b.Role))
	})
	for _, w := range p.res.Warnings {
		p.res.Notes = append(p.res.Notes, w.Message)
	}
}

// envWarnings warns on the heap-pointer and unclassified envs of a's
// callbacks; running says a is the running build's analysis, whose slots
// are the pinned ones.
func (p *pinner) envWarnings(a *callbacks.Analysis, running bool) {
	for i := range a.Callbacks {
		c := &a.Callbacks[i]
		site, rule := c.EnvSite(callbacks.EnvPointer), RuleCallbackEnvHeapPointer
		if site == nil && a.PreUpgradeGuard == "" {
			site, rule = c.EnvSite(callbacks.EnvUnknown), RuleCallbackEnvUnknown
		}
		if site == nil {
			continue
		}
		slot, build, after := c.Slot, "the running build's", "a response to a call it made before the upgrade"
		if !running {
			slot, build, after = p.pinnedSlot(c), "the pinned build's", "a response arriving after its next upgrade"
		}
		w := Warning{Rule: rule, Running: running, Table: c.Table, Slot: slot, Import: c.Import, Role: c.Role, Func: c.Func, Name: c.Name, Type: c.Type,
			Env: site.Env.Detail, Site: &WarningSite{Func: site.Func, Name: site.Name, Off: site.Off}}
		what := fmt.Sprintf("%s %s callback of %s at slot %d of table %d (%s %s) is registered in %s (offset 0x%x)",
			build, c.Role, c.Import, slot, c.Table, c.Label(), c.Type, callbacks.FuncLabel(site.Func, site.Name), site.Off)
		if rule == RuleCallbackEnvHeapPointer {
			w.Message = fmt.Sprintf("pinning keeps callback slots valid, not the env pointers passed with them: %s with env %s, evidently a heap address; an Internet Computer upgrade discards main memory unless the canister uses enhanced orthogonal persistence (Motoko), so %s hands the callback a stale pointer (%s)",
				what, site.Env.Detail, after, rule)
		} else {
			w.Message = fmt.Sprintf("pinning keeps callback slots valid, not the env values passed with them: %s with an env the analysis cannot classify (%s), which may be a heap address such as an allocator's result; an Internet Computer upgrade discards main memory unless the canister uses enhanced orthogonal persistence, and the build's canister_pre_upgrade does not refuse an upgrade while callbacks are outstanding, so %s may hand the callback a stale pointer (%s)",
				what, site.Env.Detail, after, rule)
		}
		p.warn(w)
	}
}
