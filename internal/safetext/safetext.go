// Package safetext makes text taken from inputs (names in a binary, events
// in a log) safe to print in a report: it cannot color the terminal, reorder
// what follows it, or start a line of its own and forge a verdict or a CI
// workflow command. compat/format and compat/assertformat share it, so
// every report format escapes the same runes the same way.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Block escapes s for text that may span lines: invalid UTF-8 becomes
// U+FFFD; C0/C1 control characters other than tab and newline, DEL, the
// bidirectional overrides (U+202A–U+202E, U+2066–U+2069) and the XML
// non-characters U+FFFE, U+FFFF are shown escaped (\x1b, \u202e).
func Block(s string) string { return Escape(s, Control) }

// Line escapes s for one line: as Block, and newlines, carriage returns
// and tabs are shown escaped too (\n, \r, \t).
func Line(s string) string {
	return Escape(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' || Control(r) })
}

// Control reports whether Block escapes r.
func Control(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfffe, r == 0xffff:
		return true
	}
	return false
}

// Escape replaces invalid UTF-8 with U+FFFD and shows the runes for which
// esc is true escaped (\n, \r, \t, \xHH below U+0100, \uHHHH above).
func Escape(s string, esc func(rune) bool) string {
	ok := true
	for _, r := range s {
		if esc(r) || r == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case esc(r) && r == '\n':
			b.WriteString(`\n`)
		case esc(r) && r == '\r':
			b.WriteString(`\r`)
		case esc(r) && r == '\t':
			b.WriteString(`\t`)
		case esc(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case esc(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
