package markdown

import "strings"

// CodeSpan renders s as an inline code span, with a fence longer than any
// run of backticks in s, and a space inside each fence where s starts or
// ends with a backtick; "" for "". s is taken as it is: the caller makes
// it one line, and escapes pipes in a table cell (GitHub reads \| in a
// cell's code span as a pipe).
func CodeSpan(s string) string {
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", LongestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// LongestRun is the length of the longest run of c in s.
func LongestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
