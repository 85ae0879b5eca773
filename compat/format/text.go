package format

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/compat"
)

// textWidth is the column budget of the text format. Only unbreakable
// words (long subjects) and WIT lines may exceed it.
const textWidth = 100

// labelWidth is the width of the verdict/severity column of an entry.
const labelWidth = 10

// modeWidth is the width of the mode column of a verdict line.
const modeWidth = 11

func renderText(b *bytes.Buffer, r *compat.Report, opts Options) error {
	p := palette{on: opts.Color}
	views := modeViews(r, opts)

	fmt.Fprintf(b, "%s\n", p.bold("wfcompat diff"))
	writeArtifact(b, "old", r.Old)
	writeArtifact(b, "new", r.New)
	b.WriteString("\n")

	// Verdicts first, each with its reasons; then every finding once.
	// Errors and warnings come with why and the old and new WIT; info
	// findings (additions, removals that cannot break anything) one line each.
	for _, v := range views {
		word := strings.ToUpper(verdictWord(v.res.Verdict))
		line := pad(string(v.mode), modeWidth) + p.verdict(v.res.Verdict, word)
		if !v.gating && v.res.Verdict != compat.NotApplicable {
			line += "  " + p.dim("(not gating)")
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
		for _, rs := range v.res.Reasons {
			writeReason(b, 2, rs, p)
		}
	}
	for _, sev := range []struct {
		sev    compat.Severity
		title  string
		detail bool
	}{
		{compat.SeverityError, "errors", true},
		{compat.SeverityWarning, "warnings", true},
		{compat.SeverityInfo, "info", false},
		{"", "other findings", true},
	} {
		var group []*compat.Finding
		for i := range r.Findings {
			f := &r.Findings[i]
			if f.Severity == sev.sev || sev.sev == "" && !slices.Contains(severities, f.Severity) {
				group = append(group, f)
			}
		}
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n%s (%d):\n", sev.title, len(group))
		for _, f := range group {
			if sev.detail {
				writeFinding(b, 2, f, p)
			} else {
				writeEntry(b, 2, string(f.Severity), p.severity(f.Severity, string(f.Severity)), f.Rule, f.Subject, f.Message)
			}
		}
	}

	out := Evaluate(r, opts)
	word, code := "PASS", ansiGreen
	switch out {
	case OutcomeFail:
		word, code = "FAIL", ansiBold+ansiRed
	case OutcomeUnproven:
		word, code = "PASS (unproven)", ansiYellow
	}
	// One sentence; wrapped (continuation lines indented) only past
	// textWidth. The first line always starts with the outcome word.
	lines := wrap(fmt.Sprintf("%s: %s; %s", word, headline(views, out), countFindings(r)), textWidth-2)
	b.WriteString("\n" + p.paint(code, word) + strings.TrimPrefix(lines[0], word) + "\n")
	for _, l := range lines[1:] {
		b.WriteString("  " + l + "\n")
	}
	return nil
}

func writeArtifact(b *bytes.Buffer, side string, a compat.Artifact) {
	var meta []string
	if a.Kind != "" {
		meta = append(meta, oneLine(a.Kind))
	}
	if a.SHA256 != "" {
		meta = append(meta, "sha256 "+shortHash(oneLine(a.SHA256)))
	}
	line := "  " + side + "  " + oneLine(a.Path)
	if a.Path == "" {
		line += "(no path)"
	}
	if len(meta) > 0 {
		line += "  (" + strings.Join(meta, ", ") + ")"
	}
	b.WriteString(line + "\n")
}

// writeModeBody writes a mode's reasons and the findings affecting it, the
// section headers at column indent (the JUnit details of a mode).
func writeModeBody(b *bytes.Buffer, indent int, r *compat.Report, v modeView, p palette) {
	ind := strings.Repeat(" ", indent)
	if len(v.res.Reasons) > 0 {
		b.WriteString(ind + "reasons:\n")
		for _, rs := range v.res.Reasons {
			writeReason(b, indent+2, rs, p)
		}
	}
	first := true
	for i := range r.Findings {
		f := &r.Findings[i]
		if !affects(f, v.mode) {
			continue
		}
		if first {
			b.WriteString(ind + "findings:\n")
			first = false
		}
		writeFinding(b, indent+2, f, p)
	}
}

func writeReason(b *bytes.Buffer, indent int, rs compat.Reason, p palette) {
	label := verdictWord(rs.Verdict)
	writeEntry(b, indent, label, p.verdict(rs.Verdict, label), rs.Rule, rs.Subject, rs.Message)
}

func writeFinding(b *bytes.Buffer, indent int, f *compat.Finding, p palette) {
	label := string(f.Severity)
	if label == "" {
		label = "unrated"
	}
	writeEntry(b, indent, label, p.severity(f.Severity, label), f.Rule, f.Subject, f.Message)
	col := indent + labelWidth
	for _, l := range wrapIndented(f.Why, col, "why: ") {
		b.WriteString(p.dim(l) + "\n")
	}
	pad := strings.Repeat(" ", col)
	for _, side := range []struct{ name, wit string }{{"old", f.Old}, {"new", f.New}} {
		if side.wit == "" {
			continue
		}
		b.WriteString(pad + side.name + ":\n")
		for _, l := range witLines(side.wit) {
			if l == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(pad + "    " + l + "\n")
		}
	}
}

// writeEntry writes an entry: the label padded to labelWidth, then
// "RULE  subject" (the subject on its own line when the two do not fit),
// then the message wrapped under them. With neither rule nor subject the
// message starts on the label's line.
func writeEntry(b *bytes.Buffer, indent int, label, painted, rule, subject, message string) {
	rule, subject = oneLine(rule), oneLine(subject)
	col := indent + labelWidth
	b.WriteString(strings.Repeat(" ", indent) + painted)
	gap := strings.Repeat(" ", max(1, labelWidth-utf8.RuneCountInString(label)))
	lines := wrapIndented(message, col, "")
	switch head := strings.TrimSpace(rule + "  " + subject); {
	case head == "" && len(lines) == 0:
		b.WriteString("\n")
	case head == "":
		b.WriteString(gap)
		lines[0] = strings.TrimLeft(lines[0], " ")
	case rule != "" && subject != "" && col+utf8.RuneCountInString(head) > textWidth:
		b.WriteString(gap + rule + "\n" + strings.Repeat(" ", col) + subject + "\n")
	default:
		b.WriteString(gap + head + "\n")
	}
	for _, l := range lines {
		b.WriteString(strings.TrimRight(l, " ") + "\n")
	}
}

// wrapIndented wraps prefix+s to textWidth at column col, continuation
// lines aligned under the text after prefix.
func wrapIndented(s string, col int, prefix string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	pw := utf8.RuneCountInString(prefix)
	lines := wrap(s, max(20, textWidth-col-pw))
	out := make([]string, len(lines))
	for i, l := range lines {
		lead := strings.Repeat(" ", col+pw)
		if i == 0 {
			lead = strings.Repeat(" ", col) + prefix
		}
		out[i] = lead + l
	}
	return out
}

func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s + " "
}
