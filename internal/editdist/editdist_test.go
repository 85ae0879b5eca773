package editdist

import "testing"

func TestDistance(t *testing.T) {
	var d Distancer
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"modes", "modes", 0},
		{"modse", "modes", 1}, {"mode", "modes", 1}, {"kitten", "sitting", 3},
		{"ab", "ba", 1}, {"abc", "ca", 3}, {"require_prof", "require_proof", 1},
		{"platfrom", "platform", 1}, {"vresion", "version", 1},
	} {
		if got := d.Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}
