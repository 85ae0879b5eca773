package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/testbuild"
)

// The release layout, end to end: the lean front (wfcompat, -tags lean)
// and the complete build (wfcompat-full) built as the releases build them,
// side by side in one directory, and the front's runs compared with the
// complete build's own.

const cmdPkg = "github.com/wfcompat/wfcompat/cmd/wfcompat"

// releaseBuild holds the release layout, built once per test binary.
var releaseBuild testbuild.Once

// release builds the release layout once per test binary and returns its
// directory, holding wfcompat (the lean front) and wfcompat-full.
func release(t *testing.T) string {
	t.Helper()
	if !testbuild.Available() {
		t.Skip("no go command on PATH to build the release executables with")
	}
	if testing.Short() {
		t.Skip("builds the release executables (-short)")
	}
	dir, err := releaseBuild.Do(func(dir string) error {
		for _, b := range []struct{ name, tags string }{{"wfcompat", "lean"}, {"wfcompat-full", ""}} {
			if err := testbuild.Release.WithTags(b.tags).Command(filepath.Join(dir, testbuild.Exe(b.name)), cmdPkg); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	releaseBuild.Remove()
	os.Exit(code)
}

// result is what one process did.
type result struct {
	code           int
	stdout, stderr string
	files          map[string]string // what it wrote in its working directory
}

// runIn runs bin with args in a new working directory (holding nothing)
// with the process's environment plus env and stdin, and returns what it
// did.
func runIn(t *testing.T, bin string, env []string, stdin string, args ...string) result {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	r := result{files: map[string]string{}}
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("%s: %v", bin, err)
		}
		r.code = ee.ExitCode()
	}
	r.stdout, r.stderr = out.String(), errb.String()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		r.files[e.Name()] = string(b)
	}
	return r
}

// fixture is a path to a file of the module, absolute (the processes run
// in directories of their own).
func fixture(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLeanSameAsComplete: every command the front hands over (run,
// replay, upgrade, diff with --log or logs:, their help) and the front's
// own help and diff give the same standard output, standard error, exit
// status and written files as the complete build run directly.
func TestLeanSameAsComplete(t *testing.T) {
	dir := release(t)
	front, full := filepath.Join(dir, testbuild.Exe("wfcompat")), filepath.Join(dir, testbuild.Exe("wfcompat-full"))
	reactor := fixture(t, "runner/testdata/reactor.wasm")
	command := fixture(t, "runner/testdata/command.wasm")
	old, nw := fixture(t, "runner/testdata/restart-old.wasm"), fixture(t, "runner/testdata/restart-new.wasm")
	div5, div0 := fixture(t, "runner/replay/testdata/restart/div5.jsonl"), fixture(t, "runner/replay/testdata/restart/div0.jsonl")
	cfgDir := t.TempDir()
	cfg := filepath.Join(cfgDir, "wfcompat.yaml")
	if err := os.WriteFile(cfg, []byte("logs: ['"+filepath.ToSlash(div5)+"']\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Each case also says what the complete build does (exit status, a
	// part of its standard output or error), so that the comparison is of
	// runs that did their work.
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		shows string
	}{
		{"root help", "", []string{"--help"}, 0, "Available Commands:"},
		{"help of a command", "", []string{"help", "upgrade"}, 0, "--log-out OUT"},
		{"run --help", "", []string{"run", "--help"}, 0, "--invocations FILE"},
		{"replay -h", "", []string{"replay", "-h"}, 0, "--merge"},
		{"run with a log", "", []string{"run", reactor, "--invoke", "add(1, 2)", "--invoke", "now()", "--log", "run.jsonl"}, 0, "add(1, 2) -> 3"},
		{"run, invocations on stdin", "add(2, 3)\n", []string{"run", reactor, "--invocations", "-", "--json"}, 0, `"result": "5"`},
		{"run, the guest exits 3", "", []string{"run", command}, 1, "status 3"},
		{"run, usage error", "", []string{"run"}, 2, "accepts 1 arg(s)"},
		{"run, root flag first", "", []string{"--max-input-size", "10", "run", reactor}, 2, "10"},
		{"replay", "", []string{"replay", nw, div5, div0}, 0, "summary: 2 logs: 2 replayed"},
		{"replay --json", "", []string{"replay", "--json", nw, div5}, 0, `"schema"`},
		{"upgrade", "", []string{"upgrade", "--from", old, "--to", nw, "--log", div5, "--mode", "restart", "--log-out", "up.jsonl"}, 0, "upgraded (restart, 1 invocation)"},
		{"diff --log", "", []string{"diff", "--log", div5, old, nw}, 0, "proved by 1 event log"},
		{"diff --log, json", "", []string{"diff", "--format", "json", "--log", div0, "--output", "sarif=r.sarif", old, nw}, 0, "proved by 1 event log"},
		{"diff, the config's logs:", "", []string{"diff", "--config", cfg, old, nw}, 0, "proved by 1 event log"},
		{"diff without logs", "", []string{"diff", old, nw}, 0, "replay     UNPROVEN"},
		{"diff --log of a missing file", "", []string{"diff", "--log", filepath.Join(cfgDir, "absent.jsonl"), old, nw}, 2, "absent.jsonl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runIn(t, front, nil, tc.stdin, tc.args...)
			want := runIn(t, full, nil, tc.stdin, tc.args...)
			if want.code != tc.code || !strings.Contains(want.stdout+want.stderr, tc.shows) {
				t.Fatalf("the complete build: exit %d, stdout %q, stderr %q; want exit %d and %q", want.code, clip(want.stdout), want.stderr, tc.code, tc.shows)
			}
			// The JSON and SARIF reports say when they were made and how long
			// it took.
			for _, r := range []*result{&got, &want} {
				r.stdout = dropTimes(r.stdout)
				for k, v := range r.files {
					r.files[k] = dropTimes(v)
				}
			}
			if got.code != want.code || got.stdout != want.stdout || got.stderr != want.stderr {
				t.Errorf("wfcompat %s:\n lean: exit %d\n stdout %q\n stderr %q\n complete: exit %d\n stdout %q\n stderr %q",
					strings.Join(tc.args, " "), got.code, clip(got.stdout), got.stderr, want.code, clip(want.stdout), want.stderr)
			}
			if len(got.files) != len(want.files) {
				t.Errorf("lean wrote %d files, complete %d", len(got.files), len(want.files))
			}
			for name, w := range want.files {
				if g, ok := got.files[name]; !ok || g != w {
					t.Errorf("%s: lean wrote %q, complete %q", name, clip(g), clip(w))
				}
			}
			if tc.name == "root help" {
				for _, c := range []string{"assert", "diff", "inspect", "manifest", "pin", "replay", "rules", "run", "upgrade", "version"} {
					if !strings.Contains(got.stdout, "\n  "+c+" ") {
						t.Errorf("lean --help does not list %s", c)
					}
				}
			}
		})
	}
}

// dropTimes blanks the lines of a report that carry the time it was made
// or took (JSON "time", "elapsed"; SARIF invocation times).
func dropTimes(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		for _, key := range []string{`"time"`, `"elapsed`, `"startTimeUtc"`, `"endTimeUtc"`, `"elapsedMs"`, `"durationMs"`} {
			if strings.HasPrefix(t, key) {
				lines[i] = "(time)"
			}
		}
	}
	return strings.Join(lines, "\n")
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// TestLeanFindsFull: the front alone finds wfcompat-full through
// WFCOMPAT_FULL, and without it fails with one line naming the command,
// where it looked and what to install, exit status 2 and nothing else;
// a default build (the complete one) hands nothing over.
func TestLeanFindsFull(t *testing.T) {
	dir := release(t)
	alone := t.TempDir()
	front := filepath.Join(alone, testbuild.Exe("wfcompat"))
	b, err := os.ReadFile(filepath.Join(dir, testbuild.Exe("wfcompat")))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(front, b, 0o755); err != nil {
		t.Fatal(err)
	}
	reactor := fixture(t, "runner/testdata/reactor.wasm")
	emptyPath := "PATH=" + t.TempDir()
	for _, tc := range []struct {
		name   string
		bin    string
		env    []string
		args   []string
		code   int
		stdout string
		stderr []string // substrings of the one line
	}{
		{"WFCOMPAT_FULL", front, []string{emptyPath, "WFCOMPAT_FULL=" + filepath.Join(dir, testbuild.Exe("wfcompat-full"))},
			[]string{"run", reactor, "--invoke", "add(1, 2)"}, 0, "add(1, 2) -> 3\n", nil},
		{"on PATH", front, []string{"PATH=" + dir}, []string{"run", reactor, "--invoke", "add(1, 2)"}, 0, "add(1, 2) -> 3\n", nil},
		{"missing", front, []string{emptyPath}, []string{"replay", reactor, "x.jsonl"}, 2, "", []string{
			"wfcompat: replay runs WebAssembly, which this lean build of wfcompat hands to wfcompat-full, not found (not in " + alone + " or on PATH): ",
			"install wfcompat-full from the release archive beside wfcompat, or go install github.com/wfcompat/wfcompat/cmd/wfcompat@",
			"(its default build is complete)", "WFCOMPAT_FULL may name it"}},
		{"missing, diff --log", front, []string{emptyPath}, []string{"diff", "--log", reactor, reactor, reactor}, 2, "", []string{
			"wfcompat: diff with event logs runs WebAssembly, which this lean build of wfcompat hands to wfcompat-full, not found"}},
		{"WFCOMPAT_FULL names the front", front, []string{emptyPath, "WFCOMPAT_FULL=" + front}, []string{"upgrade"}, 2, "", []string{
			"wfcompat: upgrade: " + front + ", run as wfcompat-full by " + front + ", is a lean build too, which runs no WebAssembly"}},
		{"the complete build hands nothing over", filepath.Join(dir, testbuild.Exe("wfcompat-full")), []string{emptyPath, "WFCOMPAT_FULL=/nonexistent"},
			[]string{"run", reactor, "--invoke", "add(1, 2)"}, 0, "add(1, 2) -> 3\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runIn(t, tc.bin, tc.env, "", tc.args...)
			if r.code != tc.code || r.stdout != tc.stdout || len(r.files) != 0 {
				t.Errorf("exit %d, stdout %q, files %v; want %d, %q, none (stderr %q)", r.code, r.stdout, r.files, tc.code, tc.stdout, r.stderr)
			}
			if tc.stderr == nil {
				return
			}
			if strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr %q: want one line", r.stderr)
			}
			for _, w := range tc.stderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
		})
	}
}

// TestLeanExecKeepsProcess: on Linux, the front replaces itself with
// wfcompat-full (exec): the PID the caller started runs wfcompat-full,
// and a signal sent to it ends the run as it would the complete build's.
func TestLeanExecKeepsProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/PID/exe")
	}
	dir := release(t)
	front, full := filepath.Join(dir, "wfcompat"), filepath.Join(dir, "wfcompat-full")
	cmd := exec.Command(front, "run", fixture(t, "runner/testdata/bench.wasm"), "--invoke", "spin()", "--timeout", "1m", "--cache-dir", "off")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	link := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "exe")
	deadline := time.Now().Add(20 * time.Second)
	for {
		target, err := os.Readlink(link)
		if err == nil && target == full {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid %d runs %q (%v), not %s", cmd.Process.Pid, target, err, full)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("wait: %v (stderr %q)", err, errb.String())
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("ended by %v (stderr %q), want SIGTERM", ee, errb.String())
	}
}

// TestVersionNamesTheBuild: `wfcompat version` says which build runs: the
// lean front names its tag, the complete build none.
func TestVersionNamesTheBuild(t *testing.T) {
	dir := release(t)
	for _, c := range []struct {
		bin  string
		lean bool
	}{{"wfcompat", true}, {"wfcompat-full", false}} {
		r := runIn(t, filepath.Join(dir, testbuild.Exe(c.bin)), nil, "", "version")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "wfcompat ") {
			t.Fatalf("%s version: exit %d, %q %q", c.bin, r.code, r.stdout, r.stderr)
		}
		if got := strings.Contains(r.stdout, "tags lean"); got != c.lean {
			t.Errorf("%s version = %q: says tags lean %v, want %v", c.bin, r.stdout, got, c.lean)
		}
	}
}
