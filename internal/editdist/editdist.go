// Package editdist measures how far apart two names are, for the "did you
// mean" hints of the config reader, the rule catalog and the event-log
// checks: one distance for all of them.
package editdist

// Distancer computes optimal-string-alignment distances by bytes:
// Levenshtein's insertions, deletions and substitutions, plus the swap of
// two adjacent bytes, the commonest typo ("modse" is one edit from
// "modes"). It reuses its rows across calls; the zero value is ready.
type Distancer struct {
	pp, prev, cur []int
}

// Distance returns the distance between a and b.
func (d *Distancer) Distance(a, b string) int {
	if a == b {
		return 0
	}
	if cap(d.prev) < len(b)+1 {
		d.pp, d.prev, d.cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	pp, prev, cur := d.pp[:len(b)+1], d.prev[:len(b)+1], d.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)]
}

// Distance is Distancer.Distance for a single comparison.
func Distance(a, b string) int {
	var d Distancer
	return d.Distance(a, b)
}
