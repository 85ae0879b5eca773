package compat

import (
	"strings"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/wit"
)

// Options control Diff.
type Options struct {
	// Old and New identify the two sides in the Report. Kind "core" on
	// either side makes the in-flight mode apply (core modules keep
	// callbacks in table slots); other kinds leave it n/a.
	Old, New Artifact
	// Policy drops or re-rates findings (a wfcompat.yaml). The zero Policy
	// keeps every finding at its rule's severity.
	Policy Policy
	// OldCallbacks and NewCallbacks are the callback analyses of core
	// modules (analyze/callbacks), which decide the in-flight mode (see
	// InFlight). Without both, a core module's in-flight mode is unproven.
	OldCallbacks, NewCallbacks *callbacks.Analysis
}

// Diff compares the world of the running build (old) with the world of the
// build that is to take over (new) and returns every difference found, as
// findings tied to rules, with one verdict per upgrade mode.
//
// Diff never fails: what it cannot check makes a mode unproven, with the
// reason, never safe. Findings come in the order the worlds list their
// items (exports, then imports, then snapshot checks); a finding is reported
// once per rule and subject even when several functions reach it.
//
// It is safe for concurrent use; the worlds are only read.
func Diff(old, new *wit.World, opts Options) *Report {
	if old == nil {
		old = &wit.World{}
	}
	if new == nil {
		new = &wit.World{}
	}
	d := &differ{
		old:    old,
		new:    new,
		policy: opts.Policy,
		seen:   map[findingKey]bool{},
		notes:  map[Mode][]Reason{},
	}
	d.exports()
	d.imports()
	d.note(ModeReplay, Unproven,
		"static analysis cannot prove the new build makes the same calls with the same results as the recorded ones; "+
			"replaying recorded event logs against it (the runner, not yet implemented) can")
	d.snapshot()
	d.inFlight(opts)
	return d.report(opts.Old, opts.New)
}

// differ accumulates the findings of one Diff call.
type differ struct {
	old, new *wit.World
	policy   Policy
	findings []Finding
	// effects[i] are the per-mode verdicts of findings[i] after the policy.
	effects [][]Effect
	seen    map[findingKey]bool
	// notes are mode-level reasons (Rule ""), and notApplicable the modes
	// that do not apply, with why.
	notes         map[Mode][]Reason
	notApplicable map[Mode]string
}

type findingKey struct{ rule, subject string }

// add records a finding of rule id at subject, once per (rule, subject),
// unless the policy ignores it.
func (d *differ) add(id, subject, message, old, new string) {
	k := findingKey{id, subject}
	if d.seen[k] {
		return
	}
	d.seen[k] = true
	r := mustRule(id)
	if d.policy.ignores(id, subject) {
		return
	}
	sev := d.policy.severity(r)
	effects := make([]Effect, 0, len(r.Effects))
	for _, e := range r.Effects {
		v, _ := r.EffectWithSeverity(e.Mode, sev)
		effects = append(effects, Effect{e.Mode, v})
	}
	d.findings = append(d.findings, Finding{
		Rule:     id,
		Severity: sev,
		Modes:    r.Modes(),
		Subject:  subject,
		Message:  message,
		Old:      old,
		New:      new,
		Why:      r.Why,
	})
	d.effects = append(d.effects, effects)
}

// covered reports whether a finding (of any rule but DOCS_CHANGED, ignored
// or not) already points at subject or inside it.
func (d *differ) covered(subject string) bool {
	for k := range d.seen {
		if k.rule == RuleDocsChanged {
			continue
		}
		if k.subject == subject || strings.HasPrefix(k.subject, subject+".") {
			return true
		}
	}
	return false
}

// note adds a mode-level reason.
func (d *differ) note(m Mode, v Verdict, message string) {
	d.notes[m] = append(d.notes[m], Reason{Verdict: v, Message: message})
}

// skip marks mode m not applicable.
func (d *differ) skip(m Mode, why string) {
	if d.notApplicable == nil {
		d.notApplicable = map[Mode]string{}
	}
	d.notApplicable[m] = why
}

// report derives the mode verdicts from the findings and notes.
func (d *differ) report(oldArt, newArt Artifact) *Report {
	r := &Report{
		Schema:   ReportSchema,
		Old:      oldArt,
		New:      newArt,
		Modes:    make(map[Mode]*ModeResult, len(AllModes())),
		Findings: d.findings,
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	for _, m := range AllModes() {
		if why, ok := d.notApplicable[m]; ok {
			r.Modes[m] = &ModeResult{
				Verdict: NotApplicable,
				Reasons: []Reason{{Verdict: NotApplicable, Message: why}},
			}
			continue
		}
		res := &ModeResult{Verdict: Safe, Reasons: []Reason{}}
		for i, f := range d.findings {
			if f.Severity == SeverityInfo {
				continue
			}
			for _, e := range d.effects[i] {
				if e.Mode == m {
					res.Add(Reason{Verdict: e.Verdict, Rule: f.Rule, Subject: f.Subject, Message: f.Message})
				}
			}
		}
		for _, n := range d.notes[m] {
			res.Add(n)
		}
		r.Modes[m] = res
	}
	return r
}

// inFlight decides the in-flight mode. It belongs to core modules, whose
// outstanding calls name their callbacks by table slot; InFlight compares
// the two callback analyses, and its findings go through the policy like
// every other. Components keep no callbacks in table slots.
func (d *differ) inFlight(opts Options) {
	if opts.Old.Kind != "core" && opts.New.Kind != "core" {
		d.skip(ModeInFlight, "in-flight calls are tracked through core-module callback table slots; components have none")
		return
	}
	if opts.OldCallbacks == nil || opts.NewCallbacks == nil {
		d.note(ModeInFlight, Unproven, "callback analysis not run for both modules: whether outstanding calls' callback table slots survive the upgrade is not checked")
		return
	}
	res, findings := InFlight(opts.OldCallbacks, opts.NewCallbacks)
	if res.Verdict == NotApplicable {
		why := "in-flight mode does not apply"
		if len(res.Reasons) > 0 {
			why = res.Reasons[0].Message
		}
		d.skip(ModeInFlight, why)
		return
	}
	for _, f := range findings {
		d.add(f.Rule, f.Subject, f.Message, f.Old, f.New)
	}
	for _, r := range res.Reasons {
		if r.Rule == "" {
			d.note(ModeInFlight, r.Verdict, r.Message)
		}
	}
}
