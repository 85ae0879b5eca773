//go:build unix

package source

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHelperStallKillsGroup: when the stall guard kills a silent helper,
// a process the helper started (here a sleep standing for a Docker
// credential helper waiting for a person) is killed with it, not left
// running on its own.
func TestHelperStallKillsGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	path := fakeHelper(t, fmt.Sprintf("sleep 600 </dev/null >/dev/null 2>&1 &\necho $! > %s\nexec sleep 600\n", pidFile))
	out := filepath.Join(t.TempDir(), "layer")
	done := make(chan error, 1)
	go func() {
		_, err := (&helper{path: path, stall: 300 * time.Millisecond}).FetchOCI(context.Background(),
			OCIRequest{Reference: "example.com/acme/app:v1", MaxSize: 1 << 20, Output: out})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "without writing to") {
			t.Fatalf("err = %v, want the stall guard's", err)
		}
	case <-time.After(time.Minute): // a hang guard
		t.Fatal("FetchOCI did not return")
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// SIGKILL was sent to the group before FetchOCI returned; the
	// process is gone once the kernel has delivered it and init has
	// reaped it.
	for deadline := time.Now().Add(30 * time.Second); alive(pid); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) { // a hang guard: without the group kill it runs 600 s
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("the process the helper started was left running")
		}
	}
}

// alive reports whether process pid exists and is not a zombie (which
// init may be slow to reap in a container).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: kill's answer stands
	}
	// pid (comm) STATE …; comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
