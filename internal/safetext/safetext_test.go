package safetext

import "testing"

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, block, line string }{
		{"plain", "plain", "plain"},
		{"a\nb\tc", "a\nb\tc", `a\nb\tc`},
		{"a\r\nb", `a\r` + "\nb", `a\r\nb`},
		{"\x1b[31mred", `\x1b[31mred`, `\x1b[31mred`},
		{"\u202eevil", `\u202eevil`, `\u202eevil`},
		{"\u0085next", `\x85next`, `\x85next`},
		{"bad\xffutf8", "bad\ufffdutf8", "bad\ufffdutf8"},
		{"\ufffe", `\ufffe`, `\ufffe`},
	} {
		if got := Block(tc.in); got != tc.block {
			t.Errorf("Block(%q) = %q, want %q", tc.in, got, tc.block)
		}
		if got := Line(tc.in); got != tc.line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
		}
	}
}
