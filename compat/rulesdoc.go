package compat

import (
	"fmt"
	"strings"
)

// ModeDoc describes a mode for rule listings: what it means and when the
// diff engine gives it a verdict without any rule.
type ModeDoc struct {
	Mode    Mode
	Meaning string
	// Always is what holds whatever the findings: a mode-level reason.
	Always string
}

// ModeDocs returns a description of every mode, in report order.
func ModeDocs() []ModeDoc {
	return []ModeDoc{
		{ModeAPI, "The new build can stand where the old one stood: every old export is still there with identical types; imports ask the host for nothing it did not provide.",
			"Exports and imports are matched by name without version; see Versions."},
		{ModeRestart, "Cancel and restart: a run re-executes from its recorded inputs, so every old exported function must exist and take every old argument value.",
			"Safe when nothing is found against it; conversions the host must apply to stored values are warnings."},
		{ModeReplay, "Automatic update: the event log is replayed against the new build, so restart's conditions hold, results of exports keep their value type (type names aside: recorded values carry none), and imports both builds use keep their parameter types and convertible results.",
			"Never safe statically: unproven until recorded event logs replay on the new build (`wfcompat diff --log LOG`, `wfcompat replay NEW LOG`) and it makes the same calls."},
		{ModeSnapshot, "Manual snapshot-based update: Golem calls save-snapshot on the old build and load-snapshot on the new one.",
			"n/a when neither build exports a save-snapshot or load-snapshot interface; unproven statically, since the new load may refuse the bytes: `wfcompat diff --log LOG` or `wfcompat upgrade --mode snapshot` runs the save and the load."},
		{ModeInFlight, "Outstanding calls survive the upgrade (callbacks kept in core-module table slots).",
			"n/a for components and when neither module imports a callback-registering function; for two core modules, decided by the callback analysis (the CALLBACK_ rules); unproven when it was not run for both."},
	}
}

// RuleSection is a part of the rule catalog that compat does not define
// itself — the Vercel Workflow rules of compat/vercel, which imports
// compat — for CatalogMarkdown to render after compat's rules.
type RuleSection struct {
	// Title heads the section ("Vercel Workflow rules"); Intro follows it.
	Title, Intro string
	Rules        []Rule
	// Lang is the code-block language of the rules' examples.
	Lang string
}

// CatalogMarkdown renders the rule catalog as the Markdown of docs/rules.md:
// the modes, then compat's rules (Rules), then each extra section. The
// overview table lists every rule once.
func CatalogMarkdown(extra ...RuleSection) string {
	var b strings.Builder
	b.WriteString("<!-- Generated from the rule catalogs (compat/rules.go, compat/coreexterns.go, compat/inflight.go, compat/vercel/diff.go) by `go test ./cmd/wfcompat/internal/cli -run TestRulesDoc -update`. Do not edit. -->\n\n")
	b.WriteString("# wfcompat rules\n\n")
	b.WriteString("Every finding of `wfcompat diff` names one of these rules. A rule says what it does to each\n")
	b.WriteString("upgrade mode: **unsafe** and **unproven** lower the mode's verdict (a mode's verdict is the worst\n")
	b.WriteString("of its reasons); **listed** means the mode lists the finding without lowering its verdict.\n")
	b.WriteString("The severity is the finding's weight for the people reading the report (a conversion the host\n")
	b.WriteString("must apply is a warning even though `api`, which needs identical types, is unsafe); verdicts come\n")
	b.WriteString("from the effects. `wfcompat rules` prints the same table. Configure rules in `wfcompat.yaml`\n")
	b.WriteString("(see [config.md](config.md)); findings point at subjects such as `golem:component/api#f1.param(speed-ms)`.\n\n")
	b.WriteString("## Modes\n\n| Mode | Meaning | Without any finding |\n|---|---|---|\n")
	for _, m := range ModeDocs() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", m.Mode, m.Meaning, m.Always)
	}
	b.WriteString("\n## Versions\n\n")
	b.WriteString(VersionMatching + "\n\n")
	b.WriteString("## Rules\n\n| Rule | Severity | Effects |\n|---|---|---|\n")
	rules := Rules()
	seen := map[string]bool{}
	overview := func(rs []Rule) {
		for _, r := range rs {
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, EffectsText(r.Effects))
		}
	}
	overview(rules)
	for _, sec := range extra {
		overview(sec.Rules)
	}
	detailed := map[string]bool{}
	detail := func(r Rule, lang string) {
		if detailed[r.ID] {
			return // each rule once
		}
		detailed[r.ID] = true
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n", r.ID, r.Purpose)
		fmt.Fprintf(&b, "- Why it matters: %s\n", r.Why)
		fmt.Fprintf(&b, "- Default severity: %s\n", r.Severity)
		fmt.Fprintf(&b, "- Effects: %s\n", EffectsText(r.Effects))
		if fix := RuleFix(r.ID); fix != "" {
			fmt.Fprintf(&b, "- How to fix: %s\n", fix)
		}
		if r.Fix != "" {
			fmt.Fprintf(&b, "- Fix command: `%s` (OLD and NEW are the two builds)\n", r.Fix)
		}
		b.WriteString("\n")
		fmt.Fprintf(&b, "Before:\n\n```%s\n%s\n```\n\nAfter:\n\n```%s\n%s\n```\n", lang, r.Example.Before, lang, r.Example.After)
	}
	for _, r := range rules {
		lang := "wit"
		if strings.HasPrefix(r.Example.Before, "(") {
			lang = "wat" // in-flight rules show core-module fragments
		}
		detail(r, lang)
	}
	for _, sec := range extra {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", sec.Title, strings.TrimRight(sec.Intro, "\n"))
		for _, r := range sec.Rules {
			detail(r, sec.Lang)
		}
	}
	return b.String()
}

// EffectsText renders effects as "api unsafe, restart listed".
func EffectsText(effects []Effect) string {
	parts := make([]string, len(effects))
	for i, e := range effects {
		v := string(e.Verdict)
		if e.Verdict == Safe {
			v = "listed"
		}
		parts[i] = string(e.Mode) + " " + v
	}
	return strings.Join(parts, ", ")
}

// VersionMatching documents how versions take part in matching imports and
// exports (see matchItems).
const VersionMatching = `Interfaces are matched by qualified name without version (` + "`golem:api/save-snapshot`" + `),
one old item to at most one new item: first the same name with the same version, then a version
that satisfies the old one under Component Model host matching (1.1.0 satisfies 1.0.0, 0.2.1
satisfies 0.2.0, 0.3.0 does not satisfy 0.2.0, 2.0.0 does not satisfy 1.0.0; pre-releases only
themselves), then any version. The contents of a matched pair are always compared, so every
difference is reported. An export at a satisfying version is EXPORT_VERSION_CHANGED (info); at any
other version EXPORT_VERSION_INCOMPATIBLE (api unsafe). An import at another version is
IMPORT_VERSION_CHANGED (warning: the host must provide that version). Subjects use the old
side's versioned name; configuration patterns without a version match any version.`
