package value

import (
	"strings"
	"testing"
)

func TestCheckArgsSyntax(t *testing.T) {
	for _, tc := range []struct{ src, err string }{
		{`(1000)`, ""},
		{`()`, ""},
		{` (1, "a)", [x, y], {a: 1}, some((1, 2)), 'c') `, ""},
		{`(1000`, "input ends before the bracket opened at byte 0 is closed at byte 5"},
		{`1000`, `want "(" to start the argument list`},
		{`(1, [2)`, "does not close the bracket opened at byte 4"},
		{`(1) x`, "after the argument list"},
		{`("abc)`, "wave: "},
		{strings.Repeat("[", 300), `want "(" to start`},
		{"(" + strings.Repeat("[", 300), "nested more than 256 deep"},
	} {
		err := CheckArgsSyntax(tc.src)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("CheckArgsSyntax(%.40q) = %v, want %q", tc.src, err, tc.err)
		}
	}
}
