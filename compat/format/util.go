package format

import (
	"strings"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/safetext"
)

// clean makes a report string safe to show on a terminal or in Markdown:
// invalid UTF-8 becomes U+FFFD; C0/C1 control characters other than tab
// and newline, DEL, and the bidirectional overrides (U+202A–U+202E,
// U+2066–U+2069) and the XML non-characters U+FFFE, U+FFFF are shown
// escaped (\x1b, \u202e). "\r\n" becomes "\n".
func clean(s string) string {
	return safetext.Block(strings.ReplaceAll(s, "\r\n", "\n"))
}

// oneLine makes a name or message safe to show on one line in any
// format: like clean, and newlines, carriage returns and tabs are shown
// escaped too (\n, \r, \t), so that a name taken from a binary (a core
// export name may hold any bytes) cannot start a line of its own and
// forge a verdict or a workflow command. Leading and trailing spaces are
// dropped.
func oneLine(s string) string {
	return strings.TrimSpace(safetext.Line(s))
}

// wrap splits clean text into lines of at most width runes, breaking at
// spaces; words longer than width stay whole. Newlines in s are kept.
func wrap(s string, width int) []string {
	return wrapLead(s, width, "", "")
}

// wrapLead is wrap with first in front of the first line and rest in
// front of the others. The lines are cut from one string built for them
// all (a report wraps every message it shows).
func wrapLead(s string, width int, first, rest string) []string {
	s = clean(s)
	lines := make([]int, 0, 4) // where each line ends in b
	b := make([]byte, 0, len(first)+len(s)+len(s)/max(width, 1)*(len(rest)+1)+1)
	lead := first
	newLine := func() {
		lines = append(lines, len(b))
		lead = rest
	}
	for para := range strings.SplitSeq(s, "\n") {
		b = append(b, lead...)
		n := -1 // runes on the line, -1 before its first word
		for w := range strings.FieldsSeq(para) {
			wn := utf8.RuneCountInString(w)
			switch {
			case n < 0:
				n = wn
			case n+1+wn > width:
				newLine()
				b = append(b, lead...)
				n = wn
			default:
				b = append(b, ' ')
				n += 1 + wn
			}
			b = append(b, w...)
		}
		newLine()
	}
	// Drop trailing empty lines (from a trailing newline in s).
	all := string(b)
	out := make([]string, len(lines))
	start := 0
	for i, end := range lines {
		out[i] = all[start:end]
		start = end
	}
	for len(out) > 1 && out[len(out)-1] == rest {
		out = out[:len(out)-1]
	}
	return out
}

// witLines splits WIT text into lines, without trailing blank lines.
func witLines(s string) []string {
	lines := strings.Split(strings.TrimRight(clean(s), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

// shortHash abbreviates a SHA-256 hex digest for people.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// palette colors text with ANSI escapes, or not at all.
type palette struct{ on bool }

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

func (p palette) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p palette) verdict(v compat.Verdict, s string) string {
	switch v {
	case compat.Safe:
		return p.paint(ansiGreen, s)
	case compat.Unsafe:
		return p.paint(ansiBold+ansiRed, s)
	case compat.Unproven:
		return p.paint(ansiYellow, s)
	case compat.NotApplicable:
		return p.paint(ansiDim, s)
	}
	return p.paint(ansiRed, s)
}

func (p palette) severity(sev compat.Severity, s string) string {
	switch sev {
	case compat.SeverityError:
		return p.paint(ansiRed, s)
	case compat.SeverityWarning:
		return p.paint(ansiYellow, s)
	}
	return s
}

func (p palette) dim(s string) string  { return p.paint(ansiDim, s) }
func (p palette) bold(s string) string { return p.paint(ansiBold, s) }
