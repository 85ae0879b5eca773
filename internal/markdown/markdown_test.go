package markdown

import "testing"

func TestCodeSpan(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"f", "`f`"},
		{"a`b", "``a`b``"},
		{"`x``", "``` `x`` ```"},
		{"a \\| b", "`a \\| b`"},
	} {
		if got := CodeSpan(c.in); got != c.want {
			t.Errorf("CodeSpan(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLongestRun(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{{"", 0}, {"abc", 0}, {"`a``b`", 2}, {"```", 3}} {
		if got := LongestRun(c.in, '`'); got != c.want {
			t.Errorf("LongestRun(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}
