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

// TestEnds: the cut points fall on UTF-8 boundaries and keep no more than
// asked for.
func TestEnds(t *testing.T) {
	for _, tc := range []struct {
		s          string
		head, tail int
		h, t       int
	}{
		{"abcdef", 2, 2, 2, 4},
		{"aéb", 2, 0, 1, 4},   // é is bytes 1–2: the head stops before it
		{"aéb", 0, 2, 0, 3},   // the tail starts after it
		{"abc", 5, 5, 3, 0},   // more asked than there is
		{"abc", -1, -1, 0, 3}, // nothing
		{"日本語", 4, 4, 3, 6},   // three-byte runes
	} {
		h, tt := Ends(tc.s, tc.head, tc.tail)
		if h != tc.h || tt != tc.t {
			t.Errorf("Ends(%q, %d, %d) = %d, %d, want %d, %d", tc.s, tc.head, tc.tail, h, tt, tc.h, tc.t)
		}
	}
}
