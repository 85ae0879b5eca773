package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wfcompat/wfcompat/compat"
)

// Options control rendering.
type Options struct {
	// Color enables ANSI color in the text format. Set it only when the
	// output is a terminal.
	Color bool
	// Gate lists the modes that gate the deploy. Empty (nil or zero
	// length) defers to the report's Gate, and without one every
	// applicable mode gates. Unknown modes are ignored.
	Gate []compat.Mode
	// RequireProof makes an unproven gating mode fail the gate too (as
	// does the report's Gate.RequireProof).
	RequireProof bool
	// Any gates on the best applicable modes: the deploy passes when at
	// least one mode does (the "any" profile; as does the report's
	// Gate.Any). Gate is then ignored.
	Any bool
	// Verbose shows info findings in the text format and as notices in
	// the github format; otherwise they are only counted.
	Verbose bool
	// Time is when the report was made (JUnit timestamp, SARIF run end);
	// zero means now.
	Time time.Time
	// Elapsed is how long the diff took (JUnit time).
	Elapsed time.Duration
	// Hostname is JUnit's hostname; "" means os.Hostname, else localhost.
	Hostname string
	// Rules describe the findings' rules in SARIF (descriptions, help);
	// nil is compat.BaseRegistry (wfcompat.Rules adds the Vercel rules).
	Rules *compat.Registry
}

// gate returns the effective gating modes and proof requirement: the
// options' modes, else the report's; proof is required if either asks.
// With Any (the options', or the report's when the options name no
// modes), the modes are the applicable ones with the best verdict.
func (o Options) gate(r *compat.Report) ([]compat.Mode, bool) {
	modes, proof, _ := o.gateAny(r)
	return modes, proof
}

// gateAny is gate, also saying whether the any gate picked the modes.
func (o Options) gateAny(r *compat.Report) ([]compat.Mode, bool, bool) {
	modes, proof, anyMode := o.Gate, o.RequireProof, o.Any
	if r.Gate != nil {
		if len(modes) == 0 {
			// The report's gate, unless the options name modes.
			modes = r.Gate.Modes
			anyMode = anyMode || r.Gate.Any
		}
		proof = proof || r.Gate.RequireProof
	}
	if anyMode {
		modes = bestModes(r)
	}
	return modes, proof, anyMode
}

// bestModes returns the applicable modes of r with the best verdict
// (safe before unproven before unsafe).
func bestModes(r *compat.Report) []compat.Mode {
	best := 0
	var out []compat.Mode
	for _, m := range compat.AllModes() {
		res := r.Modes[m]
		if res == nil || res.Verdict == compat.NotApplicable {
			continue
		}
		rank := verdictRank(res.Verdict)
		switch {
		case best == 0 || rank < best:
			best, out = rank, []compat.Mode{m}
		case rank == best:
			out = append(out, m)
		}
	}
	return out
}

// verdictRank orders verdicts for the any gate: safe 1, unproven 2, anything
// else (unsafe, unknown) 3.
func verdictRank(v compat.Verdict) int {
	switch v {
	case compat.Safe:
		return 1
	case compat.Unproven:
		return 2
	}
	return 3
}

func (o Options) now() time.Time {
	if o.Time.IsZero() {
		return time.Now()
	}
	return o.Time
}

// Outcome is the overall gate result of a report under Options.
type Outcome string

// Outcomes, from best to worst.
const (
	// OutcomePass: every gating mode is safe (or no mode gates).
	OutcomePass Outcome = "pass"
	// OutcomeUnproven: the gate passes, but some gating mode is only
	// unproven (RequireProof is off).
	OutcomeUnproven Outcome = "unproven"
	// OutcomeFail: some gating mode fails the gate.
	OutcomeFail Outcome = "fail"
)

// Names of the formats, in the order Formats returns them.
const (
	Text     = "text"
	JSON     = "json"
	SARIF    = "sarif"
	GitHub   = "github"
	JUnit    = "junit"
	Markdown = "markdown"
)

// Formats returns the names Write accepts.
func Formats() []string {
	return []string{Text, JSON, SARIF, GitHub, JUnit, Markdown}
}

// Write renders r to w in the named format. The output is built in memory
// and written with a single Write call.
func Write(w io.Writer, format string, r *compat.Report, opts Options) error {
	var render func(*bytes.Buffer, *compat.Report, Options) error
	switch format {
	case Text:
		render = renderText
	case JSON:
		render = renderJSON
	case SARIF:
		render = renderSARIF
	case GitHub:
		render = renderGitHub
	case JUnit:
		render = renderJUnit
	case Markdown:
		render = renderMarkdown
	default:
		return fmt.Errorf("unknown format %q (valid: %s)", format, strings.Join(Formats(), ", "))
	}
	return write(w, r, opts, render)
}

// WriteText renders r as text; see the package documentation.
func WriteText(w io.Writer, r *compat.Report, opts Options) error {
	return write(w, r, opts, renderText)
}

// WriteJSON renders r as indented JSON (schema wfcompat.report/v1).
func WriteJSON(w io.Writer, r *compat.Report, opts Options) error {
	return write(w, r, opts, renderJSON)
}

// WriteSARIF renders r as a SARIF 2.1.0 log.
func WriteSARIF(w io.Writer, r *compat.Report, opts Options) error {
	return write(w, r, opts, renderSARIF)
}

// WriteGitHub renders r as GitHub Actions workflow commands.
func WriteGitHub(w io.Writer, r *compat.Report, opts Options) error {
	return write(w, r, opts, renderGitHub)
}

// WriteJUnit renders r as JUnit XML.
func WriteJUnit(w io.Writer, r *compat.Report, opts Options) error {
	return write(w, r, opts, renderJUnit)
}

// WriteMarkdown renders r as a GitHub-flavoured Markdown PR comment.
func WriteMarkdown(w io.Writer, r *compat.Report, opts Options) error {
	return write(w, r, opts, renderMarkdown)
}

func write(w io.Writer, r *compat.Report, opts Options, render func(*bytes.Buffer, *compat.Report, Options) error) error {
	if r == nil {
		return errors.New("format: nil report")
	}
	var b bytes.Buffer
	if err := render(&b, r, opts); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Evaluate returns the gate outcome of r under opts (see the package
// documentation for the rules). The CLI should derive its exit status
// from it so that every format agrees with the exit status.
func Evaluate(r *compat.Report, opts Options) Outcome {
	out := OutcomePass
	for _, v := range modeViews(r, opts) {
		switch {
		case v.fails:
			return OutcomeFail
		case v.gating && v.res.Verdict == compat.Unproven:
			out = OutcomeUnproven
		}
	}
	return out
}

// modeView is one mode's result as the renderers see it.
type modeView struct {
	mode compat.Mode
	res  *compat.ModeResult // never nil
	// gating: the mode is gated and applicable.
	gating bool
	// fails: the mode fails the gate.
	fails bool
	// byFinding is the verdict of the first reason naming each (rule,
	// subject): what a finding does to the mode.
	byFinding map[[2]string]compat.Verdict
}

// notEvaluated stands in for a mode absent from the report.
const notEvaluated = "mode not evaluated in this report"

// modeViews returns the report's modes: compat.AllModes first (a missing
// one as n/a), then any other modes the report holds, sorted.
func modeViews(r *compat.Report, opts Options) []modeView {
	order := compat.AllModes()
	var extra []compat.Mode
	for m := range r.Modes {
		if !slices.Contains(order, m) {
			extra = append(extra, m)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
	order = append(order, extra...)

	views := make([]modeView, 0, len(order))
	for _, m := range order {
		res := r.Modes[m]
		if res == nil {
			res = &compat.ModeResult{
				Verdict: compat.NotApplicable,
				Reasons: []compat.Reason{{Verdict: compat.NotApplicable, Message: notEvaluated}},
			}
		}
		v := modeView{mode: m, res: res, byFinding: make(map[[2]string]compat.Verdict, len(res.Reasons))}
		for _, rs := range res.Reasons {
			if k := [2]string{rs.Rule, rs.Subject}; rs.Rule != "" {
				if _, dup := v.byFinding[k]; !dup {
					v.byFinding[k] = rs.Verdict
				}
			}
		}
		gate, proof := opts.gate(r)
		gated := len(gate) == 0 || slices.Contains(gate, m)
		v.gating = gated && res.Verdict != compat.NotApplicable
		if v.gating {
			switch res.Verdict {
			case compat.Safe:
			case compat.Unproven:
				v.fails = proof
			default: // unsafe, or an unknown verdict: fail closed
				v.fails = true
			}
		}
		views = append(views, v)
	}
	return views
}

// affects reports whether finding f affects mode m.
func affects(f *compat.Finding, m compat.Mode) bool {
	return slices.Contains(f.Modes, m)
}

// effect is what a finding does to one mode, as the report shows it.
type effect struct {
	mode compat.Mode
	// verdict is the verdict of the mode's reason naming the finding's
	// rule and subject; "listed" when the mode lists the finding without
	// a reason (an info finding, a conversion to apply), "n/a" when the
	// mode does not apply.
	verdict string
	// gating: the mode gates.
	gating bool
}

// effects returns f's effect on each mode it affects, in f.Modes order.
func effects(f *compat.Finding, views []modeView) []effect {
	var out []effect
	for _, m := range f.Modes {
		e := effect{mode: m, verdict: "listed"}
		for _, v := range views {
			if v.mode != m {
				continue
			}
			e.gating = v.gating
			if v.res.Verdict == compat.NotApplicable {
				e.verdict = "n/a"
			}
			if vd, ok := v.byFinding[[2]string{f.Rule, f.Subject}]; ok {
				e.verdict = verdictWord(vd)
			}
		}
		out = append(out, e)
	}
	return out
}

// gates reports whether f bears on the gate: it affects a gating mode.
// Findings that affect only non-gating modes are shown as notes (SARIF
// note, GitHub notice) whatever their severity.
func gates(f *compat.Finding, views []modeView) bool {
	for _, e := range effects(f, views) {
		if e.gating {
			return true
		}
	}
	return false
}

// Level is the one severity vocabulary of every format: a finding's
// severity, lowered to note when the finding affects no gating mode.
// SARIF writes it as the result level (error, warning, note), GitHub as
// the annotation kind (error, warning, notice), text, markdown and JSON
// as the severity (error, warning, info).
type Level string

// Levels.
const (
	LevelError   Level = "error"
	LevelWarning Level = "warning"
	LevelNote    Level = "note"
)

// level maps a finding to its Level under the gate; see Level.
func level(f *compat.Finding, views []modeView) Level {
	switch {
	case f.Severity == compat.SeverityInfo, !gates(f, views):
		return LevelNote
	case f.Severity == compat.SeverityError:
		return LevelError
	}
	return LevelWarning // warning, and unknown severities
}

// severities lists the known severities, most severe first.
var severities = []compat.Severity{compat.SeverityError, compat.SeverityWarning, compat.SeverityInfo}

// countFindings says how many findings there are per severity:
// "3 findings (1 error, 2 warnings)", "no findings".
func countFindings(r *compat.Report) string {
	if len(r.Findings) == 0 {
		return "no findings"
	}
	counts := map[compat.Severity]int{}
	var other []compat.Severity
	for _, f := range r.Findings {
		if counts[f.Severity] == 0 && !slices.Contains(severities, f.Severity) {
			other = append(other, f.Severity)
		}
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range append(slices.Clone(severities), other...) {
		n := counts[s]
		if n == 0 {
			continue
		}
		name := string(s)
		if name == "" {
			name = "unrated"
		}
		if n != 1 && s != compat.SeverityInfo {
			name += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, name))
	}
	return fmt.Sprintf("%s (%s)", plural(len(r.Findings), "finding"), strings.Join(parts, ", "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// headline summarises the gate outcome in a few words, without the
// outcome itself: "snapshot unsafe, replay unproven (proof required)".
func headline(views []modeView, out Outcome) string {
	var parts []string
	switch out {
	case OutcomeFail:
		for _, v := range views {
			if v.fails {
				s := oneLine(string(v.mode)) + " " + oneLine(verdictWord(v.res.Verdict))
				if v.res.Verdict == compat.Unproven {
					s += " (proof required)"
				}
				parts = append(parts, s)
			}
		}
	case OutcomeUnproven:
		for _, v := range views {
			if v.gating && v.res.Verdict == compat.Unproven {
				parts = append(parts, oneLine(string(v.mode))+" unproven")
			}
		}
	default:
		if !slices.ContainsFunc(views, func(v modeView) bool { return v.gating }) {
			parts = append(parts, "no gating mode applies")
		} else {
			parts = append(parts, "every gating mode is safe")
		}
	}
	for _, v := range views {
		if !v.gating && v.res.Verdict != compat.NotApplicable && v.res.Verdict != compat.Safe {
			parts = append(parts, fmt.Sprintf("%s %s (not gating)", oneLine(string(v.mode)), oneLine(verdictWord(v.res.Verdict))))
		}
	}
	return strings.Join(parts, ", ")
}

// verdictWord is a verdict as a word on one line, "(none)" for the empty
// verdict. (A report read from JSON may hold any verdict string.)
func verdictWord(v compat.Verdict) string {
	if v == "" {
		return "(none)"
	}
	return oneLine(string(v))
}

// deployLine is the line a person reads first: the modes NEW may take over
// by and those it may not, with the main reason:
//
//	deployable via: restart, replay (unproven) · blocked: snapshot (save-snapshot missing)
//
// Modes that do not apply are left out; the gate decides the exit status,
// the line only says which paths are open.
func deployLine(r *compat.Report, views []modeView) string {
	var open, blocked []string
	for _, v := range views {
		switch v.res.Verdict {
		case compat.NotApplicable:
		case compat.Safe:
			open = append(open, oneLine(string(v.mode)))
		case compat.Unproven:
			open = append(open, oneLine(string(v.mode))+" (unproven)")
		default:
			blocked = append(blocked, oneLine(string(v.mode))+" ("+blockedBy(v.res)+")")
		}
	}
	line := "deployable via: none"
	if len(open) > 0 {
		line = "deployable via: " + strings.Join(open, ", ")
	}
	if len(blocked) > 0 {
		line += " · blocked: " + strings.Join(blocked, ", ")
	}
	if r.Identical {
		line += " (identical artifacts)"
	}
	return line
}

// blockedBy names, in a few words, what blocks a mode: its first reason of
// the mode's verdict ("save-snapshot missing"), and how many more there are.
func blockedBy(res *compat.ModeResult) string {
	var first string
	n := 0
	for _, rs := range res.Reasons {
		if rs.Verdict != res.Verdict {
			continue
		}
		if n == 0 {
			first = shortReason(rs)
		}
		n++
	}
	if n == 0 {
		return verdictWord(res.Verdict)
	}
	if n > 1 {
		first += fmt.Sprintf(", +%d more", n-1)
	}
	return first
}

// shortReason renders a reason in a few words: the last part of its
// subject and the state its rule names ("f1 removed", "save-snapshot
// missing"), or the start of its message for a mode-level reason.
func shortReason(rs compat.Reason) string {
	if rs.Rule == "" || rs.Subject == "" {
		msg := oneLine(rs.Message)
		if i := strings.IndexAny(msg, ";:("); i > 0 {
			msg = strings.TrimSpace(msg[:i])
		}
		if len(msg) > 60 {
			msg = strings.TrimSpace(msg[:57]) + "..."
		}
		return msg
	}
	words := strings.Split(strings.ToLower(oneLine(rs.Rule)), "_")
	n := 1 // words of the state: "removed", "not provided", "out of range"
	if len(words) >= 2 && words[len(words)-2] == "not" {
		n = 2
	}
	if len(words) >= 3 && words[len(words)-2] == "of" {
		n = 3
	}
	n = min(n, len(words))
	state := strings.Join(words[len(words)-n:], " ")
	subject := oneLine(rs.Subject)
	if strings.HasPrefix(subject, "core:") && n < len(words) {
		// Core-module subjects (table slots) read worse than the rule.
		return strings.Join(words[:len(words)-n], " ") + " " + state
	}
	if i := strings.LastIndexAny(subject, "/#"); i >= 0 && i < len(subject)-1 {
		subject = subject[i+1:]
	}
	return subject + " " + state
}
