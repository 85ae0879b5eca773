package assertformat

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/internal/markdown"
)

// maxMarkdownRows bounds the table of a Markdown report (GitHub comments
// hold at most 65536 characters); the rest are counted.
const maxMarkdownRows = 100

// renderMarkdown writes a GitHub-flavoured Markdown report for a pull
// request comment or the step summary: a headline with the outcome, the
// summary, a table of what does not carry over, the notes.
func renderMarkdown(b *bytes.Buffer, r *report) {
	mark := "✅"
	if r.outcome() == "fail" {
		mark = "❌"
	}
	fmt.Fprintf(b, "### %s wfcompat assert %s: %s\n\n", mark, r.command, r.outcome())
	fmt.Fprintf(b, "New build: %s", mdCode(r.against.Path, false))
	if r.against.SHA256 != "" {
		fmt.Fprintf(b, " (sha256 %s)", mdCode(shortHash(r.against.SHA256), false))
	}
	if r.old != nil {
		fmt.Fprintf(b, " · old build: %s", mdCode(r.old.Path, false))
	}
	fmt.Fprintf(b, "\n\n%s\n", mdText(r.summaryLine()))
	es := r.entries()
	if len(es) > 0 {
		b.WriteString("\n| | Where | Reason | Message |\n|---|---|---|---|\n")
		for i, e := range es {
			if i == maxMarkdownRows {
				fmt.Fprintf(b, "\n… and %d more: `wfcompat assert %s --format text` lists them all.\n", len(es)-i, r.command)
				break
			}
			icon := "❌"
			if e.level == LevelNote {
				icon = "ℹ️"
			}
			where := e.caseName
			if e.file != "" {
				where = e.file
				if e.line > 0 {
					where = fmt.Sprintf("%s:%d", e.file, e.line)
				}
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", icon, mdCode(where, true), mdCode(e.reason, true), mdText(e.message))
		}
	}
	if len(r.notes) > 0 || hasLogNotes(r) {
		b.WriteString("\n")
		seen := map[string]bool{}
		for _, n := range r.notes {
			fmt.Fprintf(b, "- note: %s\n", mdText(n))
		}
		for _, l := range r.logs {
			for _, n := range l.Notes {
				if !seen[n] {
					seen[n] = true
					fmt.Fprintf(b, "- note: %s\n", mdText(n))
				}
			}
		}
	}
	b.WriteString("\n<sub>Reasons and fixes: [docs/eventlog.md](" + reasonsDocURL + ")</sub>\n")
}

func hasLogNotes(r *report) bool {
	for _, l := range r.logs {
		if len(l.Notes) > 0 {
			return true
		}
	}
	return false
}

// mdText escapes text for a Markdown table cell or paragraph: characters
// Markdown or HTML would read are backslash-escaped, newlines are gone.
func mdText(s string) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '!', '~', '&':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode renders s as inline code, with a fence longer than any run of
// backticks in it; in a table cell, pipes are escaped (GitHub reads \| in
// a cell's code span as a pipe).
func mdCode(s string, inTable bool) string {
	s = clean(s)
	if inTable {
		s = strings.ReplaceAll(s, "|", "\\|")
	}
	return markdown.CodeSpan(s)
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
