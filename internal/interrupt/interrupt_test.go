//go:build unix

package interrupt

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/testproc"
)

// child is the environment variable that makes this test binary a child
// process running one of the scenarios below, in the directory it names.
const child = "WFCOMPAT_INTERRUPT_CHILD"

func TestMain(m *testing.M) {
	if v := os.Getenv(child); v != "" {
		scenario, dir, _ := strings.Cut(v, ":")
		runChild(scenario, dir)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runChild runs a scenario and says "ready" on standard output when the
// parent is to send its signal; it then waits to be ended.
func runChild(scenario, dir string) {
	ready := func() { fmt.Println("ready") }
	Enable()
	tmp := filepath.Join(dir, "tmp")
	switch scenario {
	case "registered":
		// A registered file is removed.
		Do(func() {
			os.WriteFile(tmp, nil, 0o644)
			OnSignal(func() { os.Remove(tmp) })
		})
	case "cancelled":
		// A file whose removal was cancelled (it became an output) stays.
		var c *Cleanup
		Do(func() {
			os.WriteFile(tmp, nil, 0o644)
			c = OnSignal(func() { os.Remove(tmp) })
		})
		c.Cancel()
	case "held":
		// A signal during Do waits for it: the file Do renames into
		// place after the signal is in place, and the temporary file is
		// gone.
		out := filepath.Join(dir, "out")
		Do(func() {
			os.WriteFile(tmp, nil, 0o644)
			c := OnSignal(func() { os.Remove(tmp) })
			ready()
			time.Sleep(300 * time.Millisecond) // the signal arrives meanwhile
			os.Rename(tmp, out)
			c.Cancel()
		})
		select {}
	case "stuck":
		// A Do that never returns (a rename on a hung file system).
		Do(func() {
			os.WriteFile(tmp, nil, 0o644)
			OnSignal(func() { os.Remove(tmp) })
			ready()
			select {}
		})
	case "run":
		// A process started by Run is sent SIGTERM.
		cmd := exec.Command("sh", "-c", `trap 'echo term > `+filepath.Join(dir, "child")+`; exit 0' TERM; echo ready; while :; do sleep 0.01; done`)
		cmd.Stdout = os.Stdout
		Run(cmd)
		os.Exit(0) // not reached: the signal ended this process
	}
	ready()
	select {}
}

// start runs scenario in a child process and returns it once it is ready,
// with sh's trap for SIGHUP set to ignore when ignoreHUP (as nohup does).
func start(t *testing.T, scenario, dir string, ignoreHUP bool) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	if ignoreHUP {
		cmd = exec.Command("sh", "-c", `trap '' HUP; exec "$0"`, os.Args[0])
	}
	cmd.Env = append(os.Environ(), child+"="+scenario+":"+dir)
	testproc.StartReady(t, cmd, "ready")
	return cmd
}

// endedBy reports whether cmd was ended by sig after Wait's err.
func endedBy(err error, sig syscall.Signal) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws := ee.Sys().(syscall.WaitStatus)
	return ws.Signaled() && ws.Signal() == sig
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestSignal(t *testing.T) {
	for _, tc := range []struct {
		scenario      string
		sig           syscall.Signal
		tmp, out, run bool // what must exist afterwards
	}{
		{"registered", syscall.SIGINT, false, false, false},
		{"registered", syscall.SIGTERM, false, false, false},
		{"registered", syscall.SIGHUP, false, false, false},
		{"cancelled", syscall.SIGINT, true, false, false},
		{"held", syscall.SIGTERM, false, true, false},
		{"run", syscall.SIGINT, false, false, true},
	} {
		t.Run(tc.scenario+" "+tc.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := start(t, tc.scenario, dir, false)
			// Only this process gets the signal (in "run", its child
			// is told by Run).
			cmd.Process.Signal(tc.sig)
			if err := cmd.Wait(); !endedBy(err, tc.sig) {
				t.Errorf("ended with %v, want to be ended by %v", err, tc.sig)
			}
			if got := exists(filepath.Join(dir, "tmp")); got != tc.tmp {
				t.Errorf("tmp exists: %v, want %v", got, tc.tmp)
			}
			if got := exists(filepath.Join(dir, "out")); got != tc.out {
				t.Errorf("out exists: %v, want %v", got, tc.out)
			}
			if tc.run {
				for i := 0; i < 100 && !exists(filepath.Join(dir, "child")); i++ {
					time.Sleep(10 * time.Millisecond)
				}
				if !exists(filepath.Join(dir, "child")) {
					t.Error("the process Run started was not sent SIGTERM")
				}
			}
		})
	}
}

// TestSecondSignal: a signal that waits for a Do that never returns does
// not end the process; a second one does, at once (the undos are not
// run: they wait for the Do too).
func TestSecondSignal(t *testing.T) {
	dir := t.TempDir()
	cmd := start(t, "stuck", dir, false)
	cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(100 * time.Millisecond) // taken before the second
	cmd.Process.Signal(syscall.SIGINT)
	// Ended by SIGTERM would mean the first signal did not wait for the Do.
	if err := cmd.Wait(); !endedBy(err, syscall.SIGINT) {
		t.Errorf("ended with %v, want to be ended by the second signal, SIGINT", err)
	}
}

// TestIgnoredSignal: a signal ignored when the process started (nohup's
// SIGHUP) stays ignored; the others are still caught.
func TestIgnoredSignal(t *testing.T) {
	dir := t.TempDir()
	cmd := start(t, "registered", dir, true)
	cmd.Process.Signal(syscall.SIGHUP)
	time.Sleep(100 * time.Millisecond)
	if !exists(filepath.Join(dir, "tmp")) {
		t.Error("an ignored SIGHUP ran the cleanups")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); !endedBy(err, syscall.SIGTERM) {
		t.Errorf("ended with %v, want to be ended by SIGTERM", err)
	}
	if exists(filepath.Join(dir, "tmp")) {
		t.Error("SIGTERM left the registered file")
	}
}

// TestDisabled: without Enable, Do calls its function and OnSignal
// registers nothing.
func TestDisabled(t *testing.T) {
	if enabled.Load() {
		t.Skip("enabled in this process")
	}
	ran := false
	Do(func() { ran = true })
	c := OnSignal(func() {})
	c.Cancel()
	if !ran || c != nil || len(cleanups) != 0 {
		t.Errorf("ran %v, cleanup %v, %d registered", ran, c, len(cleanups))
	}
}
