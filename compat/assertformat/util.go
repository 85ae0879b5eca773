package assertformat

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// clean makes a string from a log or a binary safe to print on one line:
// invalid UTF-8 becomes U+FFFD; control characters (newlines and tabs
// included), DEL, the C1 controls and the bidirectional overrides are
// shown escaped (\n, \x1b, \u202e), so a recorded name cannot start a
// line of its own, forge a verdict or a workflow command, or color the
// terminal.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if escaped(r) || r == utf8.RuneError {
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
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case escaped(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case escaped(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func escaped(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfffe, r == 0xffff:
		return true
	}
	return false
}
