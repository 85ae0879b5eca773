package compat

import (
	"fmt"
	"strings"
	"time"
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
	// suppressed are the findings the policy ignored; usedIgnore and
	// usedEntry mark the Policy.Ignore and Policy.Suppress entries that
	// matched a finding.
	suppressed []Suppressed
	usedIgnore []bool
	usedEntry  []bool
	now        time.Time
}

type findingKey struct{ rule, subject string }

// NewBuilder returns a Builder reporting under rules (nil: BaseRegistry)
// with policy applied to every finding.
func NewBuilder(rules *Registry, policy Policy) *Builder {
	if rules == nil {
		rules = baseRegistry()
	}
	return &Builder{rules: rules, policy: policy, seen: map[findingKey]bool{}, notes: map[Mode][]Reason{},
		usedIgnore: make([]bool, len(policy.Ignore)), usedEntry: make([]bool, len(policy.Suppress)), now: policy.now()}
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

// Add records finding f once per rule and subject. f.Rule, Subject,
// Message, Old and New are kept; Severity, Modes and Why are the rule's,
// with the policy's severity override, whose effect on verdicts
// Rule.EffectWithSeverity defines. A finding the policy ignores is kept
// apart (Report.Suppressed, with the reason) and lowers no verdict.
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
	sev := b.policy.severity(r)
	if m, ok := b.policy.ignores(f.Rule, f.Subject, b.now); ok {
		if m.ignore >= 0 {
			b.usedIgnore[m.ignore] = true
		}
		if m.entry >= 0 {
			b.usedEntry[m.entry] = true
		}
		f.Severity, f.Modes, f.Why = sev, r.Modes(), r.Why
		b.suppressed = append(b.suppressed, Suppressed{Finding: f, Reason: m.reason, Until: m.until})
		return
	}
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

// Covered reports whether a finding (ignored or not) already points at
// subject or inside it. Findings of info rules (DOCS_CHANGED, TYPE_ALIASED,
// ...) cover nothing: they lower no verdict, so a change they would hide
// would pass unreported (a world function's TYPE_ALIASED at
// "world#f.param(a)" is inside the subject "world#f" of an inline
// interface's type f).
func (b *Builder) Covered(subject string) bool {
	for k := range b.seen {
		if k.rule == RuleDocsChanged {
			continue
		}
		if r := b.rules.rule(k.rule); r != nil && r.Severity == SeverityInfo {
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
	fix := fixer(oldArt, newArt)
	for i := range r.Findings {
		if rule := b.rules.rule(r.Findings[i].Rule); rule != nil && rule.Fix != "" {
			r.Findings[i].Fix = fix(rule.Fix)
		}
	}
	if len(b.suppressed) > 0 {
		r.Suppressed = b.suppressed
	}
	r.Warnings = b.warnings()
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

// warnings are the policy's ignore entries that expired or suppressed
// nothing in this comparison.
func (b *Builder) warnings() []string {
	var out []string
	for i, e := range b.policy.Suppress {
		switch {
		case e.Expired(b.now):
			out = append(out, fmt.Sprintf("%s expired on %s and no longer applies; renew its until: or remove it",
				e, e.Until.UTC().Format(time.DateOnly)))
		case !b.usedEntry[i]:
			out = append(out, fmt.Sprintf("%s matched no finding; remove it", e))
		}
	}
	for i, pat := range b.policy.Ignore {
		if !b.usedIgnore[i] {
			out = append(out, fmt.Sprintf("ignore entry %q matched no finding; remove it", pat))
		}
	}
	return out
}

// fixer returns a function that puts the artifacts' paths into a rule's
// fix command (the words OLD and NEW), shell-quoted where needed. A side
// without a usable path (none, or standard input) keeps its word.
func fixer(oldArt, newArt Artifact) func(string) string {
	var pairs []string
	for _, s := range []struct{ word, path string }{{"OLD", oldArt.Path}, {"NEW", newArt.Path}} {
		if s.path != "" && s.path != "-" {
			pairs = append(pairs, s.word, shellQuote(s.path))
		}
	}
	if len(pairs) == 0 {
		return func(s string) string { return s }
	}
	re := strings.NewReplacer(pairs...)
	return func(tmpl string) string {
		// Replace whole words only.
		words := strings.Split(tmpl, " ")
		for i, w := range words {
			if w == "OLD" || w == "NEW" {
				words[i] = re.Replace(w)
			}
		}
		return strings.Join(words, " ")
	}
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and ./_-+:@%=,
func shellQuote(s string) string {
	safe := true
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("./_-+:@%=,", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Identical returns the report of two sides that are the same artifact
// (SameArtifact: the same binary, or a binary and a manifest recording its
// digest; for a WIT file, the caller also checks that the same world was
// picked): every mode is safe without analysis, since the new build is
// the old one.
func Identical(oldArt, newArt Artifact) *Report {
	r := &Report{
		Schema:    ReportSchema,
		Old:       oldArt,
		New:       newArt,
		Modes:     make(map[Mode]*ModeResult, len(AllModes())),
		Findings:  []Finding{},
		Identical: true,
	}
	for _, m := range AllModes() {
		r.Modes[m] = &ModeResult{Verdict: Safe, Reasons: []Reason{{Verdict: Safe,
			Message: "identical artifacts: the new build is the old one"}}}
	}
	return r
}

// SameArtifact reports whether a and b are the same artifact: both have a
// SHA256 and it is equal.
func SameArtifact(a, b Artifact) bool {
	return a.SHA256 != "" && strings.EqualFold(a.SHA256, b.SHA256)
}
