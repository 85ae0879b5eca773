package format

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/safetext"
)

// maxAnnotations is how many annotations of each kind (error, warning,
// notice) GitHub keeps per step; later ones are dropped silently.
const maxAnnotations = 10

// maxGroupLines is how many findings one aggregated annotation lists.
const maxGroupLines = 20

// annotation is one workflow command to be written.
type annotation struct {
	kind  string // error, warning, notice
	title string
	lines []string
	more  int // findings of the group not listed
}

// renderGitHub writes GitHub Actions annotations for the findings, then
// one plain log line per mode verdict and a summary line.
//
// The kind follows the gate (see Level): error and warning for findings
// that affect a gating mode, notice for the others; info findings appear
// (as notices) only with Verbose. Findings of one rule and kind are one
// annotation listing their subjects, and when a kind still has more than
// GitHub keeps per step (10), the first 9 are written and a tenth counts
// the rest by rule, so nothing is dropped without a trace. Data is
// escaped as the runner requires (% \r \n), property values also : and ,;
// names are shown on one line with control characters escaped first, so
// that no name can start a workflow command of its own.
func renderGitHub(b *bytes.Buffer, r *compat.Report, opts Options) error {
	views := modeViews(r, opts)
	var file string
	if p := firstNonEmpty(r.New.Path, r.Old.Path); p != "" {
		file = "file=" + ghProperty(p)
	}

	groups := map[string]*annotation{}
	perKind := map[string][]*annotation{}
	omitted := 0
	for i := range r.Findings {
		f := &r.Findings[i]
		l := level(f, views)
		if f.Severity == compat.SeverityInfo && !opts.Verbose {
			omitted++
			continue
		}
		kind := map[Level]string{LevelError: "error", LevelWarning: "warning", LevelNote: "notice"}[l]
		key := kind + "\x00" + f.Rule
		a := groups[key]
		if a == nil {
			a = &annotation{kind: kind, title: oneLine(f.Rule)}
			if kind == "notice" && f.Severity != compat.SeverityInfo {
				a.title += " (not gating)"
			}
			groups[key] = a
			perKind[kind] = append(perKind[kind], a)
		}
		if len(a.lines) == maxGroupLines {
			a.more++
			continue
		}
		line := oneLine(f.Message)
		if f.Subject != "" {
			line = oneLine(f.Subject) + ": " + line
		}
		if f.Fix != "" {
			line += " (fix: " + oneLine(f.Fix) + ")"
		}
		a.lines = append(a.lines, line)
	}
	for _, kind := range []string{"error", "warning", "notice"} {
		as := perKind[kind]
		if len(as) > maxAnnotations {
			rest := as[maxAnnotations-1:]
			as = as[:maxAnnotations-1]
			n := 0
			var rules []string
			for _, a := range rest {
				k := len(a.lines) + a.more
				n += k
				rules = append(rules, fmt.Sprintf("%s ×%d", a.title, k))
			}
			as = append(as, &annotation{
				kind:  kind,
				title: fmt.Sprintf("wfcompat: %s more", plural(n, kind)),
				lines: []string{fmt.Sprintf("%s not annotated (GitHub keeps %d %s annotations per step): %s. The full report: wfcompat diff --format text, or the step summary.",
					plural(n, "finding"), maxAnnotations, kind, strings.Join(rules, ", "))},
			})
		}
		for _, a := range as {
			props := []string{}
			if file != "" {
				props = append(props, file)
			}
			title := a.title
			if n := len(a.lines) + a.more; n > 1 && !strings.HasPrefix(title, "wfcompat:") {
				title = fmt.Sprintf("%s (%d findings)", title, n)
			}
			props = append(props, "title="+ghProperty(title))
			data := strings.Join(a.lines, "\n")
			if a.more > 0 {
				data += fmt.Sprintf("\n… and %d more", a.more)
			}
			b.WriteString("::" + a.kind + " " + strings.Join(props, ",") + "::" + ghData(data) + "\n")
		}
	}

	b.WriteString("wfcompat: " + deployLine(r, views) + "\n")
	for _, w := range r.Warnings {
		b.WriteString("::warning title=" + ghProperty("wfcompat configuration") + "::" + ghData(w) + "\n")
	}
	for _, v := range views {
		line := fmt.Sprintf("wfcompat: %s%s", pad(oneLine(string(v.mode))+":", modeWidth), verdictWord(v.res.Verdict))
		switch {
		case v.fails:
			line += " (fails the gate)"
		case !v.gating && v.res.Verdict != compat.NotApplicable:
			line += " (not gating)"
		}
		if n := len(v.res.Reasons); n > 0 && v.res.Verdict != compat.Safe {
			line += " - " + oneLine(v.res.Reasons[0].Message)
			if n > 1 {
				line += fmt.Sprintf(" (+%d more)", n-1)
			}
		}
		b.WriteString(line + "\n")
	}
	out := Evaluate(r, opts)
	counts := countFindings(r)
	if n := len(r.Suppressed); n > 0 {
		counts += fmt.Sprintf(", %d suppressed", n)
	}
	if omitted > 0 {
		counts += fmt.Sprintf("; %d info not annotated (-v annotates them)", omitted)
	}
	fmt.Fprintf(b, "wfcompat: %s: %s; %s\n", strings.ToUpper(string(out)), headline(views, out), counts)
	return nil
}

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghData escapes the data (message) of a workflow command. Control
// characters other than CR, LF and tab are shown escaped first (as in
// the text format), so a message cannot color or rewrite the log.
func ghData(s string) string { return ghDataEscaper.Replace(ghClean(s)) }

// ghProperty escapes a property value of a workflow command.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(ghClean(s)) }

func ghClean(s string) string {
	return safetext.Escape(s, func(r rune) bool { return r != '\r' && safetext.Control(r) })
}
