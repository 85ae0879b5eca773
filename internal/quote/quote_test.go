package quote

import (
	"strings"
	"testing"
)

func TestCut(t *testing.T) {
	long := strings.Repeat("a", 500_000)
	tests := []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("x", Max), strings.Repeat("x", Max)},
		{long, strings.Repeat("a", 42) + "…" + strings.Repeat("a", 21) + " (500000 bytes)"},
		// Cuts never split a multi-byte rune.
		{strings.Repeat("é", 100), strings.Repeat("é", 21) + "…" + strings.Repeat("é", 10) + " (200 bytes)"},
	}
	for _, tc := range tests {
		if got := Cut(tc.in, Max); got != tc.want {
			t.Errorf("Cut(%.20q…) = %q, want %q", tc.in, got, tc.want)
		}
	}
	args := Args([]any{long, 7, "ok"})
	if args[0] != Cut(long, Max) || args[1] != 7 || args[2] != "ok" {
		t.Errorf("Args = %v", args)
	}
}
