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

// verdictWidth is the width of the verdict column of the verdict table.
const verdictWidth = 10

// renderText writes the verdict table (a row per mode, with the mode-level
// reasons that no finding explains), then every finding once, most severe
// first, each with the modes it affects, then one line with the outcome
// and the counts. Info findings are counted, and shown with Verbose.
func renderText(b *bytes.Buffer, r *compat.Report, opts Options) error {
	p := palette{on: opts.Color}
	views := modeViews(r, opts)

	// The line a person reads first: one line, never wrapped, so that
	// `wfcompat diff … | head -1` and CI log views show all of it.
	b.WriteString(p.bold(deployLine(r, views)) + "\n")
	b.WriteString("\n")
	fmt.Fprintf(b, "%s\n", "wfcompat diff")
	writeArtifact(b, "old", r.Old)
	writeArtifact(b, "new", r.New)
	var setup []string
	if r.Gate != nil && r.Gate.Profile != "" {
		setup = append(setup, "platform "+oneLine(r.Gate.Profile))
	}
	if r.Config != "" {
		setup = append(setup, "config "+oneLine(r.Config))
	}
	if len(setup) > 0 {
		b.WriteString("  " + strings.Join(setup, ", ") + "\n")
	}
	b.WriteString("\n")

	for _, v := range views {
		writeVerdictRow(b, v, p)
	}

	hiddenInfo := 0
	whyShown := map[string]bool{}
	for _, sev := range []struct {
		sev   compat.Severity
		title string
	}{
		{compat.SeverityError, "errors"},
		{compat.SeverityWarning, "warnings"},
		{compat.SeverityInfo, "info"},
		{"", "other findings"},
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
		if sev.sev == compat.SeverityInfo && !opts.Verbose {
			hiddenInfo = len(group)
			continue
		}
		fmt.Fprintf(b, "\n%s (%d):\n", sev.title, len(group))
		for _, f := range group {
			writeFinding(b, 2, f, views, p, whyShown)
		}
	}

	if opts.Verbose && len(r.Suppressed) > 0 {
		fmt.Fprintf(b, "\nsuppressed (%d):\n", len(r.Suppressed))
		for i := range r.Suppressed {
			s := &r.Suppressed[i]
			reason := s.Reason
			if s.Until != "" {
				reason += " (until " + s.Until + ")"
			}
			writeEntry(b, 2, "suppressed", p.dim("suppressed"), s.Rule, s.Subject, reason)
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
	counts := countFindings(r)
	if n := len(r.Suppressed); n > 0 {
		counts += fmt.Sprintf(", %d suppressed", n)
	}
	if hiddenInfo > 0 {
		counts += fmt.Sprintf("; info not shown (-v shows %s)", plural(hiddenInfo, "finding"))
	} else if len(r.Suppressed) > 0 && !opts.Verbose {
		counts += " (-v lists the suppressed)"
	}
	// One sentence; wrapped (continuation lines indented) only past
	// textWidth. The first line always starts with the outcome word.
	lines := wrap(fmt.Sprintf("%s: %s; %s", word, headline(views, out), counts), textWidth-2)
	b.WriteString("\n" + p.paint(code, word) + strings.TrimPrefix(lines[0], word) + "\n")
	for _, l := range lines[1:] {
		b.WriteString("  " + l + "\n")
	}
	return nil
}

// writeVerdictRow writes one row of the verdict table:
//
//	replay     UNSAFE    fails the gate; 3 findings
//	                     unproven: static analysis cannot prove ...
//
// The findings behind a verdict are listed once, below the table; the
// row counts them and shows the mode-level reasons (those without a rule).
func writeVerdictRow(b *bytes.Buffer, v modeView, p palette) {
	word := strings.ToUpper(verdictWord(v.res.Verdict))
	var notes []string
	switch {
	case v.fails:
		notes = append(notes, "fails the gate")
	case !v.gating && v.res.Verdict != compat.NotApplicable:
		notes = append(notes, "not gating")
	}
	seen := map[[2]string]bool{}
	var mode []compat.Reason
	for _, rs := range v.res.Reasons {
		if rs.Rule == "" {
			mode = append(mode, rs)
			continue
		}
		seen[[2]string{rs.Rule, rs.Subject}] = true
	}
	if n := len(seen); n > 0 {
		notes = append(notes, plural(n, "finding"))
	}
	col := modeWidth + verdictWidth
	head := pad(oneLine(string(v.mode)), modeWidth) + p.verdict(v.res.Verdict, word)
	head += strings.Repeat(" ", max(1, verdictWidth-utf8.RuneCountInString(word)))
	if len(notes) > 0 {
		// "fails the gate" is what the reader must see; the rest is detail.
		line := p.dim(strings.Join(notes, "; "))
		if v.fails {
			line = p.paint(ansiBold+ansiRed, notes[0])
			if len(notes) > 1 {
				line += p.dim("; " + strings.Join(notes[1:], "; "))
			}
		}
		b.WriteString(head + line + "\n")
	} else if len(mode) == 0 {
		b.WriteString(strings.TrimRight(head, " ") + "\n")
	}
	for i, rs := range mode {
		msg := oneLine(rs.Message)
		if rs.Verdict != v.res.Verdict {
			msg = verdictWord(rs.Verdict) + ": " + msg
		}
		lines := wrap(msg, textWidth-col)
		for j, l := range lines {
			if i == 0 && j == 0 && len(notes) == 0 {
				b.WriteString(head + l + "\n")
				continue
			}
			b.WriteString(strings.Repeat(" ", col) + l + "\n")
		}
	}
}

func writeArtifact(b *bytes.Buffer, side string, a compat.Artifact) {
	var meta []string
	if a.Kind != "" {
		meta = append(meta, oneLine(a.Kind))
	}
	if a.SHA256 != "" {
		meta = append(meta, "sha256 "+shortHash(oneLine(a.SHA256)))
	}
	if a.WITFeatures != nil {
		// Read with only these @unstable features: say so, since items
		// behind others were not compared.
		// "only" before names: a feature may be named none.
		f := "none"
		if len(*a.WITFeatures) > 0 {
			f = "only " + strings.Join(*a.WITFeatures, ",")
		}
		meta = append(meta, "WIT features "+oneLine(f))
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
func writeModeBody(b *bytes.Buffer, indent int, r *compat.Report, v modeView, views []modeView, p palette) {
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
		writeFinding(b, indent+2, f, views, p, nil)
	}
}

func writeReason(b *bytes.Buffer, indent int, rs compat.Reason, p palette) {
	label := verdictWord(rs.Verdict)
	writeEntry(b, indent, label, p.verdict(rs.Verdict, label), rs.Rule, rs.Subject, rs.Message)
}

// writeFinding writes a finding: severity, rule and subject, the modes it
// affects with what it does to each, the message, why, and the WIT on
// each side. Why is the rule's, the same for each of its findings: with
// whyShown, it is written for the first finding of each rule only.
func writeFinding(b *bytes.Buffer, indent int, f *compat.Finding, views []modeView, p palette, whyShown map[string]bool) {
	label := string(f.Severity)
	if label == "" {
		label = "unrated"
	}
	writeEntry(b, indent, oneLine(label), p.severity(f.Severity, oneLine(label)), f.Rule, f.Subject, f.Message)
	col := indent + labelWidth
	if es := effects(f, views); len(es) > 0 {
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = oneLine(string(e.mode)) + " " + e.verdict
			if !e.gating && e.verdict != "n/a" {
				parts[i] += " (not gating)"
			}
		}
		for _, l := range wrapIndented(strings.Join(parts, ", "), col, "affects: ") {
			b.WriteString(p.dim(l) + "\n")
		}
	}
	if whyShown == nil || !whyShown[f.Rule+"\x00"+f.Why] {
		for _, l := range wrapIndented(oneLine(f.Why), col, "why: ") {
			b.WriteString(p.dim(l) + "\n")
		}
		if whyShown != nil {
			whyShown[f.Rule+"\x00"+f.Why] = true
		}
	}
	if f.Fix != "" {
		// A command is one line, to copy and paste: never wrapped.
		b.WriteString(strings.Repeat(" ", col) + "fix: " + oneLine(f.Fix) + "\n")
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
// message starts on the label's line. Rule, subject and message are
// shown on one line each, control characters escaped.
func writeEntry(b *bytes.Buffer, indent int, label, painted, rule, subject, message string) {
	rule, subject = oneLine(rule), oneLine(subject)
	col := indent + labelWidth
	b.WriteString(strings.Repeat(" ", indent) + painted)
	gap := strings.Repeat(" ", max(1, labelWidth-utf8.RuneCountInString(label)))
	lines := wrapIndented(oneLine(message), col, "")
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
	return wrapLead(s, max(20, textWidth-col-pw), strings.Repeat(" ", col)+prefix, strings.Repeat(" ", col+pw))
}

func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s + " "
}
