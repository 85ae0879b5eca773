package format

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/markdown"
)

// maxMarkdown is the byte budget of a markdown report. GitHub rejects
// comments over 65,536 characters; findings that do not fit are counted,
// not shown.
const maxMarkdown = 60000

// maxCellReasons is how many reasons a mode's table cell lists.
const maxCellReasons = 5

func renderMarkdown(b *bytes.Buffer, r *compat.Report, opts Options) error {
	views := modeViews(r, opts)
	out := Evaluate(r, opts)
	switch out {
	case OutcomeFail:
		b.WriteString("### ❌ wfcompat: upgrade blocked\n\n")
	case OutcomeUnproven:
		b.WriteString("### ⚠️ wfcompat: upgrade not proven safe\n\n")
	default:
		b.WriteString("### ✅ wfcompat: safe to upgrade\n\n")
	}
	fmt.Fprintf(b, "**%s**\n\n", mdText(deployLine(r, views)))
	counts := countFindings(r)
	if n := len(r.Suppressed); n > 0 {
		counts += fmt.Sprintf(", %d suppressed", n)
	}
	fmt.Fprintf(b, "%s; %s.\n\n", mdText(headline(views, out)), counts)
	fmt.Fprintf(b, "%s → %s\n\n", mdArtifact(r.Old), mdArtifact(r.New))
	for _, w := range r.Warnings {
		fmt.Fprintf(b, "> ⚠️ %s\n", mdText(w))
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n")
	}

	b.WriteString("| mode | verdict | reasons |\n| --- | --- | --- |\n")
	for _, v := range views {
		mode := mdText(string(v.mode))
		if !v.gating && v.res.Verdict != compat.NotApplicable {
			mode += " *(not gating)*"
		}
		verdict := mdVerdict(v.res.Verdict)
		if v.fails {
			verdict = "**" + verdict + "**"
		}
		var reasons []string
		for i, rs := range v.res.Reasons {
			if i == maxCellReasons {
				reasons = append(reasons, fmt.Sprintf("*… %d more*", len(v.res.Reasons)-i))
				break
			}
			reasons = append(reasons, mdReason(rs))
		}
		cell := strings.Join(reasons, "<br>")
		if cell == "" {
			cell = "—"
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", mode, verdict, cell)
	}

	footer := mdFooter(r)
	if len(r.Findings) > 0 {
		fmt.Fprintf(b, "\n<details>\n<summary>%s</summary>\n\n", countFindings(r))
		groups := slices.Clone(severities)
		for _, f := range r.Findings {
			if !slices.Contains(groups, f.Severity) {
				groups = append(groups, f.Severity)
			}
		}
		shown := 0
		budget := maxMarkdown - len(footer) - 200
	groups:
		for _, sev := range groups {
			var n int
			for _, f := range r.Findings {
				if f.Severity == sev {
					n++
				}
			}
			if n == 0 {
				continue
			}
			fmt.Fprintf(b, "#### %s (%d)\n\n", mdSeverityTitle(sev), n)
			for i := range r.Findings {
				f := &r.Findings[i]
				if f.Severity != sev {
					continue
				}
				entry := mdFinding(f, views)
				if b.Len()+len(entry) > budget {
					fmt.Fprintf(b, "*… %d more findings not shown; run `wfcompat diff --format text` for all of them.*\n\n",
						len(r.Findings)-shown)
					break groups
				}
				b.WriteString(entry)
				shown++
			}
		}
		b.WriteString("</details>\n")
	}
	if len(r.Suppressed) > 0 {
		// The audit trail: what the configuration suppresses, and why.
		fmt.Fprintf(b, "\n<details>\n<summary>%s</summary>\n\n", plural(len(r.Suppressed), "suppressed finding"))
		budget := maxMarkdown - len(footer) - 200
		for i := range r.Suppressed {
			sp := &r.Suppressed[i]
			line := "- " + mdCode(sp.Rule, false)
			if sp.Subject != "" {
				line += " " + mdCode(sp.Subject, false)
			}
			if reason := mdText(sp.Reason); reason != "" {
				line += " — " + reason
			}
			if sp.Until != "" {
				line += " (until " + mdText(sp.Until) + ")"
			}
			line += "\n"
			if b.Len()+len(line) > budget {
				fmt.Fprintf(b, "- *… %d more*\n", len(r.Suppressed)-i)
				break
			}
			b.WriteString(line)
		}
		b.WriteString("\n</details>\n")
	}
	b.WriteString(footer)
	return nil
}

func mdFooter(r *compat.Report) string {
	schema := r.Schema
	if schema == "" {
		schema = compat.ReportSchema
	}
	parts := []string{mdText(schema), "wfcompat " + mdText(toolVersion(r))}
	if r.Old.SHA256 != "" {
		parts = append(parts, "old sha256 "+mdCode(shortHash(r.Old.SHA256), false))
	}
	if r.New.SHA256 != "" {
		parts = append(parts, "new sha256 "+mdCode(shortHash(r.New.SHA256), false))
	}
	if r.Config != "" {
		parts = append(parts, "config "+mdCode(r.Config, false))
	}
	if r.Gate != nil && r.Gate.Profile != "" {
		parts = append(parts, "platform "+mdCode(r.Gate.Profile, false))
	}
	return "\n<sub>" + strings.Join(parts, " · ") + "</sub>\n"
}

func mdArtifact(a compat.Artifact) string {
	if a.Path == "" {
		return "*(no path)*"
	}
	s := mdCode(a.Path, false)
	if a.Kind != "" {
		s += " (" + mdText(a.Kind) + ")"
	}
	return s
}

func mdVerdict(v compat.Verdict) string {
	switch v {
	case compat.Safe:
		return "✅ safe"
	case compat.Unsafe:
		return "❌ unsafe"
	case compat.Unproven:
		return "⚠️ unproven"
	case compat.NotApplicable:
		return "➖ n/a"
	}
	return "❓ " + mdText(verdictWord(v))
}

func mdSeverityTitle(s compat.Severity) string {
	switch s {
	case compat.SeverityError:
		return "Errors"
	case compat.SeverityWarning:
		return "Warnings"
	case compat.SeverityInfo:
		return "Info"
	case "":
		return "Unrated"
	}
	return mdText(string(s))
}

// mdReason renders a reason for a table cell. A reason from a finding is
// named by rule and subject only: the finding itself, with its message,
// follows the table (each finding once).
func mdReason(rs compat.Reason) string {
	var parts []string
	if rs.Rule != "" {
		parts = append(parts, mdCode(rs.Rule, true))
	}
	if rs.Subject != "" {
		parts = append(parts, mdCode(rs.Subject, true))
	}
	s := strings.Join(parts, " ")
	if rs.Rule != "" && s != "" {
		return s
	}
	if m := mdText(rs.Message); m != "" {
		if s != "" {
			s += ": "
		}
		s += m
	}
	return s
}

// mdFinding renders a finding as a list item followed by a blank line.
func mdFinding(f *compat.Finding, views []modeView) string {
	var b strings.Builder
	b.WriteString("- **" + mdCode(f.Rule, false) + "**")
	if f.Subject != "" {
		b.WriteString(" " + mdCode(f.Subject, false))
	}
	if m := mdText(f.Message); m != "" {
		b.WriteString(" — " + m)
	}
	var more []string
	if why := mdText(f.Why); why != "" {
		more = append(more, "*Why:* "+why)
	}
	if es := effects(f, views); len(es) > 0 {
		var ms []string
		for _, e := range es {
			m := mdText(string(e.mode)) + " " + e.verdict
			if !e.gating && e.verdict != "n/a" {
				m += " (not gating)"
			}
			ms = append(ms, m)
		}
		more = append(more, "*Affects:* "+strings.Join(ms, ", "))
	}
	if f.Fix != "" {
		more = append(more, "*Fix:* "+mdCode(f.Fix, false))
	}
	for _, l := range more {
		b.WriteString("  \n  " + l)
	}
	b.WriteString("\n")
	if f.Old != "" || f.New != "" {
		var lines []string
		for _, side := range []struct{ name, wit string }{{"old", f.Old}, {"new", f.New}} {
			if side.wit != "" {
				lines = append(lines, "// "+side.name)
				lines = append(lines, witLines(side.wit)...)
			}
		}
		fence := strings.Repeat("`", max(3, markdown.LongestRun(strings.Join(lines, "\n"), '`')+1))
		b.WriteString("\n  " + fence + "wit\n")
		for _, l := range lines {
			if l == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString("  " + l + "\n")
		}
		b.WriteString("  " + fence + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

// mdText escapes s, on one line, as Markdown inline text: the characters
// that start inline markup or HTML everywhere, and a block-starting
// character at the start.
func mdText(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&':
			b.WriteByte('\\')
		case '#', '+', '-', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if i > 0 && strings.Trim(s[:i], "0123456789") == "" {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode renders s, on one line, as a code span. In a table cell a pipe
// must be escaped even inside the span.
func mdCode(s string, inTable bool) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return markdown.CodeSpan(s)
}
