package compat

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wfcompat/wfcompat/internal/editdist"
)

// Policy drops or re-rates findings: the rule part of a wfcompat.yaml
// (compat/config reads it), modelled on the breaking section of buf.yaml.
// The zero Policy changes nothing.
//
// Subjects match by path prefix at a separator: "golem:component/api"
// matches "golem:component/api#f1.param(speed-ms)", and a pattern without
// a version matches the subject at any version.
type Policy struct {
	// Except lists rules whose findings are dropped everywhere.
	Except []string
	// Ignore lists subjects whose findings are dropped, whatever the rule.
	Ignore []string
	// IgnoreOnly drops a rule's findings at the given subjects.
	IgnoreOnly map[string][]string
	// Severity overrides rules' default severities. An override changes
	// the rule's effect on verdicts (see Rule.EffectWithSeverity).
	Severity map[string]Severity
	// Suppress are the audited ignore entries (wfcompat.yaml's ignore:
	// entries): a rule, a subject or both, with a reason and an expiry.
	Suppress []Suppression
	// Now is the day expiries are judged at; zero is time.Now().
	Now time.Time
}

// Suppression is one audited ignore entry: findings of Rule (any rule if
// "") at Subject (any subject if "", else matched as SubjectMatches does)
// are suppressed, with Reason, until the end of the day Until (UTC; zero:
// no expiry). An expired entry suppresses nothing, and the report warns.
type Suppression struct {
	Rule    string
	Subject string
	Reason  string
	Until   time.Time
	// Where names the entry in warnings ("wfcompat.yaml:12"); "" names it
	// by rule and subject only.
	Where string
}

// String names the entry in messages: "ignore entry at wfcompat.yaml:12
// (rule X, subject Y)".
func (s Suppression) String() string {
	var parts []string
	if s.Rule != "" {
		parts = append(parts, "rule "+s.Rule)
	}
	if s.Subject != "" {
		parts = append(parts, "subject "+s.Subject)
	}
	name := "ignore entry"
	if s.Where != "" {
		name += " at " + s.Where
	}
	return name + " (" + strings.Join(parts, ", ") + ")"
}

// Expired reports whether the entry's Until day has passed at now.
func (s Suppression) Expired(now time.Time) bool {
	if s.Until.IsZero() {
		return false
	}
	y, m, d := s.Until.UTC().Date()
	return !now.UTC().Before(time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC))
}

func (s Suppression) matches(rule, subject string) bool {
	if s.Rule == "" && s.Subject == "" {
		return false
	}
	return (s.Rule == "" || s.Rule == rule) && (s.Subject == "" || SubjectMatches(s.Subject, subject))
}

func (p Policy) now() time.Time {
	if p.Now.IsZero() {
		return time.Now()
	}
	return p.Now
}

// Validate reports every rule ID unknown to rules (nil: BaseRegistry,
// with the known ID it is probably a typo of), unknown severity, empty
// subject and Suppress entry naming neither rule nor subject in p.
func (p Policy) Validate(rules *Registry) error {
	var errs []error
	if rules == nil {
		rules = baseRegistry()
	}
	var ids []string
	rule := func(where, id string) {
		if rules.rule(id) == nil {
			if ids == nil {
				for _, r := range rules.Rules() {
					ids = append(ids, r.ID)
				}
			}
			hint := "wfcompat rules lists them"
			if s := DidYouMean(id, ids); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			errs = append(errs, fmt.Errorf("%s: unknown rule %q (%s)", where, id, hint))
		}
	}
	subject := func(where, s string) {
		if strings.TrimSpace(s) == "" {
			errs = append(errs, fmt.Errorf("%s: empty subject", where))
		}
	}
	for _, id := range p.Except {
		rule("except", id)
	}
	for _, s := range p.Ignore {
		subject("ignore", s)
	}
	for _, id := range sortedKeys(p.IgnoreOnly) {
		rule("ignore_only", id)
		for _, s := range p.IgnoreOnly[id] {
			subject("ignore_only."+id, s)
		}
	}
	for i, e := range p.Suppress {
		where := fmt.Sprintf("ignore[%d]", i)
		if e.Where != "" {
			where = e.Where
		}
		if e.Rule == "" && strings.TrimSpace(e.Subject) == "" {
			errs = append(errs, fmt.Errorf("%s: an entry needs a rule, a subject or both", where))
		}
		if e.Rule != "" {
			rule(where, e.Rule)
		}
	}
	for _, id := range sortedKeys(p.Severity) {
		rule("severity", id)
		switch sev := p.Severity[id]; sev {
		case SeverityError, SeverityWarning, SeverityInfo:
		default:
			errs = append(errs, fmt.Errorf("severity.%s: unknown severity %q (want error, warning or info)", id, sev))
		}
	}
	return errors.Join(errs...)
}

// match is what suppressed a finding: the reason, the expiry, and which
// Ignore or Suppress entry (index, or -1) matched.
type match struct {
	reason, until string
	ignore, entry int
}

// ignores returns what suppresses the finding of rule at subject, if
// anything does. Expired Suppress entries are skipped.
func (p Policy) ignores(rule, subject string, now time.Time) (match, bool) {
	for _, id := range p.Except {
		if id == rule {
			return match{reason: "except: " + rule, ignore: -1, entry: -1}, true
		}
	}
	for i, e := range p.Suppress {
		if e.Expired(now) || !e.matches(rule, subject) {
			continue
		}
		m := match{reason: e.Reason, ignore: -1, entry: i}
		if m.reason == "" {
			m.reason = e.String()
		}
		if !e.Until.IsZero() {
			m.until = e.Until.UTC().Format(time.DateOnly)
		}
		return m, true
	}
	for i, pat := range p.Ignore {
		if SubjectMatches(pat, subject) {
			return match{reason: "ignore: " + pat, ignore: i, entry: -1}, true
		}
	}
	for _, pat := range p.IgnoreOnly[rule] {
		if SubjectMatches(pat, subject) {
			return match{reason: "ignore_only: " + rule + " at " + pat, ignore: -1, entry: -1}, true
		}
	}
	return match{}, false
}

func (p Policy) severity(r *Rule) Severity {
	if s, ok := p.Severity[r.ID]; ok {
		return s
	}
	return r.Severity
}

// SubjectMatches reports whether subject pattern matches subject: equal, or
// a prefix ending at a separator (one of # . / : @ or an opening
// parenthesis). A pattern without '@' ignores the version in subject.
func SubjectMatches(pattern, subject string) bool {
	if pattern == "" {
		return false
	}
	if !strings.Contains(pattern, "@") {
		subject = stripVersion(subject)
	}
	if !strings.HasPrefix(subject, pattern) {
		return false
	}
	if len(subject) == len(pattern) {
		return true
	}
	if strings.ContainsRune("#./:@(", rune(pattern[len(pattern)-1])) {
		return true
	}
	return strings.ContainsRune("#./:@(", rune(subject[len(pattern)]))
}

// stripVersion removes the "@version" of the interface part of a subject:
// "wasi:io/streams@0.2.0#read" becomes "wasi:io/streams#read".
func stripVersion(s string) string {
	iface, rest, hasRest := strings.Cut(s, "#")
	if at := strings.IndexByte(iface, '@'); at >= 0 {
		iface = iface[:at]
	}
	if hasRest {
		return iface + "#" + rest
	}
	return iface
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DefaultGate returns the gating modes of r when neither --mode, modes:
// nor a platform profile names them: every mode that applies, except the
// upgrade paths the old build does not offer at all. A snapshot update
// starts by asking the old build for a snapshot; an old build without a
// save-snapshot export (SNAPSHOT_SAVE_MISSING, reported or suppressed)
// cannot be upgraded that way, so nobody is using that path and its
// verdict does not gate (it is still reported). Every other mode that
// applies gates, so a change that breaks any path the running build could
// take is never passed.
func DefaultGate(r *Report) []Mode {
	noSave := false
	for _, f := range r.Findings {
		noSave = noSave || f.Rule == RuleSnapshotSaveMissing
	}
	for _, s := range r.Suppressed {
		noSave = noSave || s.Rule == RuleSnapshotSaveMissing
	}
	var out []Mode
	for _, m := range AllModes() {
		res := r.Modes[m]
		if res == nil || res.Verdict == NotApplicable || m == ModeSnapshot && noSave {
			continue
		}
		out = append(out, m)
	}
	return out
}

// DidYouMean returns the candidate name is probably a typo or an
// abbreviation of: the only candidate starting with name (of 3 or more
// characters), else the closest by edit distance (case-insensitive) if it
// is close enough, at most a third of name's length and at most 3 edits.
// "" when none is.
func DidYouMean(name string, candidates []string) string {
	n := strings.ToLower(name)
	if len(n) >= 3 {
		var prefixed []string
		for _, c := range candidates {
			if lc := strings.ToLower(c); strings.HasPrefix(lc, n) && lc != n {
				prefixed = append(prefixed, c)
			}
		}
		if len(prefixed) == 1 {
			return prefixed[0]
		}
	}
	best, bestD := "", 0
	for _, c := range candidates {
		d := editdist.Distance(n, strings.ToLower(c))
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD == 0 && name == best || bestD > 3 || bestD*3 > max(len(name), 3) {
		return ""
	}
	return best
}
