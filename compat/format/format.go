package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// Options control rendering.
type Options struct {
	// Color enables ANSI color in the text format. Set it only when the
	// output is a terminal.
	Color bool
	// Gate lists the modes that gate the deploy. Empty (nil or zero
	// length) means every applicable mode gates. Unknown modes are ignored.
	Gate []compat.Mode
	// RequireProof makes an unproven gating mode fail the gate too.
	RequireProof bool
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
		v := modeView{mode: m, res: res}
		gated := len(opts.Gate) == 0 || slices.Contains(opts.Gate, m)
		v.gating = gated && res.Verdict != compat.NotApplicable
		if v.gating {
			switch res.Verdict {
			case compat.Safe:
			case compat.Unproven:
				v.fails = opts.RequireProof
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
				s := string(v.mode) + " " + verdictWord(v.res.Verdict)
				if v.res.Verdict == compat.Unproven {
					s += " (proof required)"
				}
				parts = append(parts, s)
			}
		}
	case OutcomeUnproven:
		for _, v := range views {
			if v.gating && v.res.Verdict == compat.Unproven {
				parts = append(parts, string(v.mode)+" unproven")
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
			parts = append(parts, fmt.Sprintf("%s %s (not gating)", v.mode, verdictWord(v.res.Verdict)))
		}
	}
	return strings.Join(parts, ", ")
}

// verdictWord is a verdict as a word, "(none)" for the empty verdict.
func verdictWord(v compat.Verdict) string {
	if v == "" {
		return "(none)"
	}
	return string(v)
}
