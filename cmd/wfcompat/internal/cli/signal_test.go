//go:build unix

package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/wfcompat/wfcompat/internal/interrupt"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/internal/testproc"
)

// signalChild is the environment variable that makes this test binary
// run wfcompat (its arguments, separated by \x1f) as the wfcompat command
// does (interrupt.Enable, then Main), stopping when the outputs are
// written to their temporary files, before they are renamed into place.
const signalChild = "WFCOMPAT_SIGNAL_CHILD"

// TestMain lets a test run this binary as the wfcompat command.
func TestMain(m *testing.M) {
	if args := os.Getenv(signalChild); args != "" {
		interrupt.Enable()
		io, _, errb := Test()
		io.beforeCommit = func() {
			fmt.Println("written") // to the parent, through the pipe
			select {}              // until the signal
		}
		code := Main(strings.Split(args, "\x1f"), io)
		os.Stderr.Write(errb.Bytes())
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestOutputsSignal interrupts each command that writes files at the
// moment its outputs are written to their temporary files and not yet
// renamed into place (a hook, not a timing). The process must end by the
// signal (a shell's $? 128+N), and leave every output as it was before
// the run (the test gives each an old content) and no temporary file.
func TestOutputsSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	haveCorpus := true
	if _, err := os.Stat(v2); err != nil {
		haveCorpus = false
	}
	// An event log of v2, the input of upgrade and assert.
	var log string
	if haveCorpus && !handedOver("run") {
		log = filepath.Join(t.TempDir(), "v2.jsonl")
		if code, _, stderr := run(t, "run", v2, "--invoke", "golem:component/api#f2()", "--log", log); code != 0 {
			t.Fatalf("run: %s", stderr)
		}
	}
	sigs := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}
	for i, tc := range []struct {
		name    string
		corpus  bool
		outputs []string // in the test's directory, given as %[1]s, %[2]s ...
		args    []string
	}{
		{"diff --output", false, []string{"r.json", "r.sarif"},
			[]string{"diff", "--mode", "in-flight", wat + "pin_mem64_old.wasm", wat + "pin_mem64.wasm", "--output", "json=%[1]s", "--output", "sarif=%[2]s"}},
		{"manifest -o", false, []string{"m.json"},
			[]string{"manifest", wat + "pin_mem64.wasm", "-o", "%[1]s"}},
		{"manifest --embed -o", false, []string{"m.wasm"},
			[]string{"manifest", "--embed", wat + "pin_mem64.wasm", "-o", "%[1]s"}},
		{"pin -o --write-lock", false, []string{"out.wasm", "wfcompat.lock"},
			[]string{"pin", wat + "pin_mem64.wasm", "--against", wat + "pin_mem64_old.wasm", "-o", "%[1]s", "--write-lock"}},
		{"run --log", true, []string{"run.jsonl"},
			[]string{"run", v2, "--invoke", "golem:component/api#f2()", "--log", "%[1]s"}},
		{"run --resume --log", true, []string{"resumed.jsonl"},
			[]string{"run", v2, "--resume", log, "--invoke", "golem:component/api#f2()", "--log", "%[1]s"}},
		{"upgrade --log-out", true, []string{"v3.jsonl"},
			[]string{"upgrade", "--from", v2, "--to", v3, "--log", log, "--mode", "snapshot", "--log-out", "%[1]s"}},
		{"assert --output", true, []string{"a.json", "a.xml"},
			[]string{"assert", "event-log", "--against", v2, "--output", "json=%[1]s", "--output", "junit=%[2]s", log}},
	} {
		sig := sigs[i%len(sigs)]
		t.Run(tc.name+" "+sig.String(), func(t *testing.T) {
			if tc.corpus && !haveCorpus {
				shared.Need(t, shared.CorpusDir())
			}
			skipHandedOver(t, tc.args...)
			if tc.corpus && log == "" {
				t.Skip("needs the event log wfcompat run records, which a lean build hands to wfcompat-full")
			}
			dir := t.TempDir()
			var paths []any
			for _, o := range tc.outputs {
				p := filepath.Join(dir, o)
				if err := os.WriteFile(p, []byte("old "+o), 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			args := make([]string, len(tc.args))
			for j, a := range tc.args {
				if strings.Contains(a, "%[") {
					a = fmt.Sprintf(a, paths...)
				}
				args[j] = a
			}
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), signalChild+"="+strings.Join(args, "\x1f"))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			// "written": the outputs are in their temporary files.
			testproc.StartReady(t, cmd, "written")
			// The window is real: the temporary files are there.
			if tmps := temporaries(t, dir); len(tmps) != len(tc.outputs) {
				t.Errorf("before the signal: temporary files %v, want one per output", tmps)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("wait: %v", err)
			}
			if ws := ee.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("ended with %v, want to be ended by %v (stderr %q)", ee, sig, stderr.String())
			}
			if tmps := temporaries(t, dir); len(tmps) > 0 {
				t.Errorf("left %v", tmps)
			}
			for _, o := range tc.outputs {
				if b, err := os.ReadFile(filepath.Join(dir, o)); err != nil || string(b) != "old "+o {
					t.Errorf("%s: %q, %v; want it untouched", o, b, err)
				}
			}
			if es, _ := os.ReadDir(dir); len(es) != len(tc.outputs) {
				t.Errorf("the directory holds %v, want only %v", es, tc.outputs)
			}
		})
	}
}

// temporaries lists the temporary files in dir.
func temporaries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var tmps []string
	for _, e := range es {
		if strings.Contains(e.Name(), ".tmp-") {
			tmps = append(tmps, e.Name())
		}
	}
	slices.Sort(tmps)
	return tmps
}
