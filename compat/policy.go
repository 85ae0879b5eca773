package compat

import (
	"errors"
	"fmt"
	"sort"
	"strings"
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
}

// Validate reports every rule ID unknown to rules (nil: BaseRegistry),
// unknown severity and empty subject in p.
func (p Policy) Validate(rules *Registry) error {
	var errs []error
	rule := func(where, id string) {
		if rules.rule(id) == nil {
			errs = append(errs, fmt.Errorf("%s: unknown rule %q (wfcompat rules lists them)", where, id))
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

func (p Policy) ignores(rule, subject string) bool {
	for _, id := range p.Except {
		if id == rule {
			return true
		}
	}
	for _, pat := range p.Ignore {
		if SubjectMatches(pat, subject) {
			return true
		}
	}
	for _, pat := range p.IgnoreOnly[rule] {
		if SubjectMatches(pat, subject) {
			return true
		}
	}
	return false
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
