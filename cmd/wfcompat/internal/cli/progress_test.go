package cli

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// frame matches one drawing of the bar: a carriage return, the bar
// (28 cells between its brackets), the counts, and the spaces that cover
// a longer line drawn before.
var frame = regexp.MustCompile(`\rlogs \[([=>-]{28})\] \((\d+)/(\d+)\) *`)

// erased is what blanks a bar of width n and returns to the line's start.
func erased(n int) string { return "\r" + strings.Repeat(" ", n) + "\r" }

// TestProgress: the bar is drawn on stderr only when it is a terminal and
// there is more than one log; with a throttle of 0 every update is drawn,
// with a long one only the first; its cells fill in proportion; a line
// printed meanwhile comes out on a line of its own with the bar redrawn
// after it; and it is erased at the end, also when the logs end early.
func TestProgress(t *testing.T) {
	for _, c := range []struct {
		name  string
		tty   bool
		total int
		every time.Duration
		run   func(p *progress)
		// drawn and notDrawn are counts that must and must not be drawn;
		// line is a line that must be there once, alone on its line.
		drawn, notDrawn []int
		line            string
	}{
		{name: "not a terminal", tty: false, total: 3, run: func(p *progress) {
			p.update(1)
			p.printf("wfcompat: x\n")
			p.update(2)
			p.update(3)
		}, line: "wfcompat: x\n"},
		{name: "one log", tty: true, total: 1, run: func(p *progress) { p.update(1) }},
		{name: "every update", tty: true, total: 4, run: func(p *progress) {
			for k := 1; k <= 4; k++ {
				p.update(k)
			}
		}, drawn: []int{1, 2, 3, 4}},
		{name: "throttled", tty: true, total: 5, every: time.Hour, run: func(p *progress) {
			for k := 1; k <= 4; k++ {
				p.update(k)
			}
		}, drawn: []int{1}, notDrawn: []int{2, 3, 4}},
		{name: "line above", tty: true, total: 3, run: func(p *progress) {
			p.update(1)
			p.printf("wfcompat: log.jsonl: unreadable\n")
			p.update(2)
		}, drawn: []int{1, 2}, line: "wfcompat: log.jsonl: unreadable\n"},
		{name: "ended early", tty: true, total: 10, run: func(p *progress) { p.update(1) }, drawn: []int{1}},
		{name: "many logs", tty: true, total: 1000, run: func(p *progress) {
			for k := 1; k <= 1000; k += 333 {
				p.update(k)
			}
		}, drawn: []int{1, 334, 667, 1000}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var errb bytes.Buffer
			p := newProgress(&IO{Err: &errb, ErrTTY: c.tty}, c.total, c.every)
			c.run(p)
			p.clear()
			p.clear() // a second time does nothing
			e := errb.String()
			if !c.tty || c.total <= 1 {
				if e != c.line {
					t.Errorf("stderr %q, want %q", e, c.line)
				}
				return
			}
			frames := frame.FindAllStringSubmatchIndex(e, -1)
			drawn := map[int]bool{}
			for _, m := range frames {
				cells, done, total := e[m[2]:m[3]], atoi(t, e[m[4]:m[5]]), atoi(t, e[m[6]:m[7]])
				if total != c.total {
					t.Errorf("frame %q: total %d", e[m[0]:m[1]], total)
				}
				// The cells fill in proportion: = for each whole 28th,
				// the last one > until all are.
				want := 28 * done / total
				if got := strings.Count(cells, "=") + strings.Count(cells, ">"); got != want {
					t.Errorf("frame %q: %d cells filled, want %d", e[m[0]:m[1]], got, want)
				}
				if strings.Contains(cells, ">") && (done == total || !strings.HasSuffix(strings.TrimRight(cells, "-"), ">")) {
					t.Errorf("frame %q: the > is not the tip of a bar under way", e[m[0]:m[1]])
				}
				drawn[done] = true
			}
			for _, k := range c.drawn {
				if !drawn[k] {
					t.Errorf("(%d/%d) not drawn: %q", k, c.total, e)
				}
			}
			for _, k := range c.notDrawn {
				if drawn[k] {
					t.Errorf("(%d/%d) drawn despite the throttle: %q", k, c.total, e)
				}
			}
			if c.line != "" {
				// Erased first, so the line starts a line of its own.
				if i := strings.Index(e, c.line); strings.Count(e, c.line) != 1 || !strings.HasSuffix(e[:i], "\r") {
					t.Errorf("line %q not there once, after the bar's erasure: %q", c.line, e)
				}
			}
			// Erased: after the last frame, its line is blanked and
			// nothing else is written.
			last := frames[len(frames)-1]
			if rest := e[last[1]:]; rest != erased(last[1]-last[0]-1) {
				t.Errorf("after the last frame %q, want %q", rest, erased(last[1]-last[0]-1))
			}
		})
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
