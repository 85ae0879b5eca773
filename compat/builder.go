package compat

import (
	"fmt"
	"strings"
)

// Builder collects the findings and mode-level reasons of one comparison
// and derives its Report. It is the one place where a finding gets its
// rule's severity, modes and explanation, where the policy drops or
// re-rates it, and where mode verdicts are decided: Diff, the in-flight
// check and compat/vercel's manifest diff all report through it.
//
// A Builder is used by one goroutine.
type Builder struct {
	rules    *Registry
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

// NewBuilder returns a Builder reporting under rules (nil: BaseRegistry)
// with policy applied to every finding.
func NewBuilder(rules *Registry, policy Policy) *Builder {
	if rules == nil {
		rules = baseRegistry
	}
	return &Builder{rules: rules, policy: policy, seen: map[findingKey]bool{}, notes: map[Mode][]Reason{}}
}

// Finding returns the finding of rule id at subject with the rule's
// severity, modes and explanation. An unknown rule ID is a bug in the
// caller (the tests emit every rule), so it panics.
func (r *Registry) Finding(id, subject, message, old, new string) Finding {
	rule := r.rule(id)
	if rule == nil {
		panic(fmt.Sprintf("compat: unknown rule %q", id))
	}
	return Finding{Rule: id, Severity: rule.Severity, Modes: rule.Modes(), Subject: subject,
		Message: message, Old: old, New: new, Why: rule.Why}
}

// Add records finding f once per rule and subject, unless the policy
// ignores it. f.Rule, Subject, Message, Old and New are kept; Severity,
// Modes and Why are the rule's, with the policy's severity override, whose
// effect on verdicts Rule.EffectWithSeverity defines.
func (b *Builder) Add(f Finding) {
	k := findingKey{f.Rule, f.Subject}
	if b.seen[k] {
		return
	}
	b.seen[k] = true
	r := b.rules.rule(f.Rule)
	if r == nil {
		panic(fmt.Sprintf("compat: unknown rule %q", f.Rule))
	}
	if b.policy.ignores(f.Rule, f.Subject) {
		return
	}
	sev := b.policy.severity(r)
	effects := make([]Effect, 0, len(r.Effects))
	for _, e := range r.Effects {
		v, _ := r.EffectWithSeverity(e.Mode, sev)
		effects = append(effects, Effect{e.Mode, v})
	}
	f.Severity, f.Modes, f.Why = sev, r.Modes(), r.Why
	b.findings = append(b.findings, f)
	b.effects = append(b.effects, effects)
}

// add is Add of a finding given by its parts.
func (b *Builder) add(id, subject, message, old, new string) {
	b.Add(Finding{Rule: id, Subject: subject, Message: message, Old: old, New: new})
}

// Covered reports whether a finding (of any rule but DOCS_CHANGED, ignored
// or not) already points at subject or inside it.
func (b *Builder) Covered(subject string) bool {
	for k := range b.seen {
		if k.rule == RuleDocsChanged {
			continue
		}
		if k.subject == subject || strings.HasPrefix(k.subject, subject+".") {
			return true
		}
	}
	return false
}

// Note adds a mode-level reason (no rule) to mode m.
func (b *Builder) Note(m Mode, v Verdict, message string) {
	b.notes[m] = append(b.notes[m], Reason{Verdict: v, Message: message})
}

// NotApplicable marks mode m not applicable, with why; its findings and
// notes are then left out of its verdict.
func (b *Builder) NotApplicable(m Mode, why string) {
	if b.notApplicable == nil {
		b.notApplicable = map[Mode]string{}
	}
	b.notApplicable[m] = why
}

// Report derives the mode verdicts from the findings and notes: each
// finding above info contributes its effect on each mode it affects, then
// the mode-level notes follow; a mode's verdict is the worst of them.
func (b *Builder) Report(oldArt, newArt Artifact) *Report {
	r := &Report{
		Schema:   ReportSchema,
		Old:      oldArt,
		New:      newArt,
		Modes:    make(map[Mode]*ModeResult, len(AllModes())),
		Findings: b.findings,
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	for _, m := range AllModes() {
		if why, ok := b.notApplicable[m]; ok {
			r.Modes[m] = &ModeResult{
				Verdict: NotApplicable,
				Reasons: []Reason{{Verdict: NotApplicable, Message: why}},
			}
			continue
		}
		res := &ModeResult{Verdict: Safe, Reasons: []Reason{}}
		for i, f := range b.findings {
			if f.Severity == SeverityInfo {
				continue
			}
			for _, e := range b.effects[i] {
				if e.Mode == m {
					res.Add(Reason{Verdict: e.Verdict, Rule: f.Rule, Subject: f.Subject, Message: f.Message})
				}
			}
		}
		for _, n := range b.notes[m] {
			res.Add(n)
		}
		r.Modes[m] = res
	}
	return r
}
