package cli

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is stderr written by the bar's goroutine and read by the
// test while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// clearBar is what erases the bar's one line: cursor up, erase to the end
// of the screen.
const clearBar = "\x1b[1A\x1b[J"

// TestProgress: the bar is drawn on stderr only when it is a terminal and
// there is more than one log; with a throttle of 0 every update is drawn,
// with a long one only the first (and the last state, as the bar goes);
// a line printed meanwhile comes out above it; and it is erased at the
// end, also when the logs end early.
func TestProgress(t *testing.T) {
	frame := regexp.MustCompile(`logs \[[=>-]{28}\] \((\d+)/(\d+)\)\n`)
	// waitFor waits until stderr holds s: the bar draws in its own
	// goroutine (the minute is a hang guard, not a timing check).
	waitFor := func(t *testing.T, errb *lockedBuffer, s string) {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); !strings.Contains(errb.String(), s); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("stderr %q never held %q", errb.String(), s)
			}
		}
	}
	for _, c := range []struct {
		name  string
		tty   bool
		total int
		every time.Duration
		// run updates the bar; it may wait for frames.
		run func(t *testing.T, p *progress, errb *lockedBuffer)
		// drawn and notDrawn are counts of frames that must and must
		// not be there; line is a line that must be there once.
		drawn, notDrawn []int
		line            string
	}{
		{name: "not a terminal", tty: false, total: 3, every: 0, run: func(t *testing.T, p *progress, _ *lockedBuffer) {
			p.update(1)
			p.printf("wfcompat: x\n")
			p.update(2)
			p.update(3)
		}, line: "wfcompat: x\n"},
		{name: "one log", tty: true, total: 1, every: 0, run: func(t *testing.T, p *progress, _ *lockedBuffer) {
			p.update(1)
		}},
		{name: "every update", tty: true, total: 4, every: 0, run: func(t *testing.T, p *progress, errb *lockedBuffer) {
			for k := 1; k <= 3; k++ {
				p.update(k)
				waitFor(t, errb, fmt.Sprintf("(%d/4)\n", k))
			}
			p.update(4)
		}, drawn: []int{1, 2, 3}},
		{name: "throttled", tty: true, total: 5, every: time.Hour, run: func(t *testing.T, p *progress, errb *lockedBuffer) {
			p.update(1)
			waitFor(t, errb, "(1/5)\n")
			p.update(2)
			p.update(3)
			p.update(4)
		}, drawn: []int{1}, notDrawn: []int{2, 3}},
		{name: "line above", tty: true, total: 3, every: 0, run: func(t *testing.T, p *progress, errb *lockedBuffer) {
			p.update(1)
			waitFor(t, errb, "(1/3)\n")
			p.printf("wfcompat: log.jsonl: unreadable\n")
			waitFor(t, errb, "unreadable\n")
			p.update(2)
			waitFor(t, errb, "(2/3)\n")
		}, drawn: []int{1, 2}, line: "wfcompat: log.jsonl: unreadable\n"},
		{name: "ended early", tty: true, total: 10, every: 0, run: func(t *testing.T, p *progress, errb *lockedBuffer) {
			p.update(1)
			waitFor(t, errb, "(1/10)\n")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			errb := &lockedBuffer{}
			io := &IO{Err: errb, ErrTTY: c.tty}
			p := newProgress(io, c.total, c.every)
			c.run(t, p, errb)
			p.clear()
			p.clear() // a second time does nothing
			e := errb.String()
			if !c.tty || c.total <= 1 {
				if e != c.line {
					t.Errorf("stderr %q, want %q", e, c.line)
				}
				return
			}
			drawn := map[string]bool{}
			for _, m := range frame.FindAllStringSubmatch(e, -1) {
				if m[2] != fmt.Sprint(c.total) {
					t.Errorf("frame %q: total %s", m[0], m[2])
				}
				drawn[m[1]] = true
			}
			if len(drawn) == 0 {
				t.Errorf("no frame drawn: %q", e)
			}
			for _, k := range c.drawn {
				if !drawn[fmt.Sprint(k)] {
					t.Errorf("(%d/%d) not drawn: %q", k, c.total, e)
				}
			}
			for _, k := range c.notDrawn {
				if drawn[fmt.Sprint(k)] {
					t.Errorf("(%d/%d) drawn despite the throttle: %q", k, c.total, e)
				}
			}
			if c.line != "" && strings.Count(e, c.line) != 1 {
				t.Errorf("line %q not there once: %q", c.line, e)
			}
			// Erased: after the last frame, its line is cleared and
			// nothing else is written.
			last := frame.FindAllStringIndex(e, -1)
			if rest := e[last[len(last)-1][1]:]; rest != clearBar {
				t.Errorf("after the last frame %q, want %q", rest, clearBar)
			}
		})
	}
}
