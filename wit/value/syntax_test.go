package value

import (
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
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

// FuzzCheckArgsSyntax: CheckArgsSyntax never panics, and whatever ParseArgs
// accepts for some signature it accepts too.
//
//	go test ./wit/value -run=^$ -fuzz=FuzzCheckArgsSyntax -fuzztime=1m
func FuzzCheckArgsSyntax(f *testing.F) {
	for _, s := range []string{`(1000)`, `(1000`, `("a", [1, 2], {x: 1}, some(ok(3)))`, `()`, `((((`} {
		f.Add(s)
	}
	u32 := wit.Prim(wit.U32)
	params := []wit.Param{{Name: "a", Type: u32}}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckArgsSyntax(s)
		if _, perr := ParseArgs(s, params); perr == nil && err != nil {
			t.Fatalf("ParseArgs accepted %q, CheckArgsSyntax refused it: %v", s, err)
		}
	})
}
