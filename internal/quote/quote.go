// Package quote shortens the input that error messages quote: a 500 KB name
// or number must not come back as a 500 KB line. The decoders and the value
// parsers share it so that every message cuts input the same way.
package quote

import (
	"fmt"
	"unicode/utf8"
)

// Max bounds the bytes of input (names, numbers) an error message quotes.
const Max = 64

// Cut returns s, or, when it is longer than n bytes, its beginning and end
// around "…" followed by its length; cuts fall on UTF-8 boundaries.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	h, t := Ends(s, n*2/3, n/3)
	return fmt.Sprintf("%s…%s (%d bytes)", s[:h], s[t:], len(s))
}

// Ends returns where to cut s to keep at most head bytes of its start,
// s[:h], and at most tail bytes of its end, s[t:], both on UTF-8
// boundaries. When head+tail covers s, h and t may overlap: callers cut
// only strings longer than that.
func Ends(s string, head, tail int) (h, t int) {
	h = min(max(head, 0), len(s))
	for h > 0 && h < len(s) && !utf8.RuneStart(s[h]) {
		h--
	}
	t = len(s) - min(max(tail, 0), len(s))
	for t < len(s) && !utf8.RuneStart(s[t]) {
		t++
	}
	return h, t
}

// Args shortens the string arguments of an error message to Max bytes
// with Cut. It modifies and returns args.
func Args(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) > Max {
			args[i] = Cut(s, Max)
		}
	}
	return args
}
