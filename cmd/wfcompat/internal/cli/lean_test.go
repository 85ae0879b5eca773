//go:build lean

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// handOverCall is one hand-over a test's execFull saw.
type handOverCall struct {
	path       string
	argv, env  []string
	unreadIn   bool
	stdout     string
	stderr     string
	calledWith *IO
}

// runLean runs Main in process with an IO whose hand-over is recorded, not
// made; env are the variables io.Getenv sees. It returns the exit status,
// what was written, and the hand-overs (at most one).
func runLean(t *testing.T, env map[string]string, args ...string) (int, string, string, []handOverCall) {
	t.Helper()
	in := bytes.NewBufferString("stdin data")
	var out, errb bytes.Buffer
	var calls []handOverCall
	io := &IO{In: in, Out: &out, Err: &errb, Getwd: os.Getwd, Getenv: func(k string) string { return env[k] }}
	io.execFull = func(got *IO, path string, argv, env []string) error {
		calls = append(calls, handOverCall{path: path, argv: argv, env: env,
			unreadIn: in.String() == "stdin data", stdout: out.String(), stderr: errb.String(), calledWith: got})
		return nil
	}
	code := Main(args, io)
	return code, out.String(), errb.String(), calls
}

// fakeFull writes an executable file named wfcompat-full in a new
// directory (never run: the hand-over is recorded).
func fakeFull(t *testing.T) string {
	t.Helper()
	name := fullName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLeanHandOver: the commands that run Wasm, their help and their
// completion, and diff with event logs (--log, or the configuration's
// logs:), are handed to wfcompat-full with the command line's arguments
// unchanged, argv[0] this process's, the environment plus the marker,
// before anything is written or standard input read; every other run is
// this build's own.
func TestLeanHandOver(t *testing.T) {
	full := fakeFull(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "logs.yaml")
	if err := os.WriteFile(cfg, []byte("logs: ['*.jsonl']\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "w.jsonl")
	if err := os.WriteFile(log, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := wat+"pin_old.wasm", wat+"pin_conflict.wasm"
	for _, tc := range []struct {
		args     []string
		handOver bool
	}{
		{[]string{"run", "x.wasm", "--invoke", "f()"}, true},
		{[]string{"run", "--help"}, true},
		{[]string{"replay", "-h"}, true},
		{[]string{"replay", "--merge", "a.json"}, true},
		{[]string{"upgrade", "--from", a, "--to", b, "--log", log, "--mode", "automatic"}, true},
		{[]string{"--max-input-size", "5", "replay", "new.wasm", "l.jsonl"}, true},
		{[]string{"--wit-features=x", "run", "x.wasm"}, true},
		{[]string{"help", "run"}, true},
		{[]string{"__complete", "run", "--inv"}, true},
		{[]string{"__completeNoDesc", "upgrade", ""}, true},
		{[]string{"diff", "--log", log, a, b}, true},
		{[]string{"diff", "--log=" + log, "--seed", "3", a, b}, true},
		{[]string{"diff", "--config", cfg, a, b}, true},
		// Not handed over: this build's commands and help.
		{[]string{"diff", a, b}, false},
		{[]string{"diff", "--format", "json", a, a}, false},
		{[]string{"inspect", a}, false},
		{[]string{"help", "diff"}, false},
		{[]string{"--help"}, false},
		{[]string{"version"}, false},
		{[]string{"rules", "CALLBACK_SLOT_MOVED"}, false},
		{[]string{"__complete", "di"}, false},
		// diff's own errors, before any log could run, are its own.
		{[]string{"diff", "--log", log, a}, false},
		{[]string{"diff", "--log", filepath.Join(dir, "none-*.jsonl"), a, b}, false},
		{[]string{"diff", "--seed", "3", a, b}, false},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr, calls := runLean(t, map[string]string{fullEnv: full}, tc.args...)
			if !tc.handOver {
				if len(calls) != 0 {
					t.Fatalf("handed over %v; want this build to run it", calls[0].argv)
				}
				if stdout == "" && stderr == "" {
					t.Errorf("exit %d and no output", code)
				}
				return
			}
			if len(calls) != 1 {
				t.Fatalf("exit %d, %d hand-overs, stdout %q, stderr %q; want one", code, len(calls), stdout, stderr)
			}
			c := calls[0]
			if c.path != full {
				t.Errorf("path %q, want %s (from %s)", c.path, full, fullEnv)
			}
			if len(c.argv) == 0 || c.argv[0] != os.Args[0] || !slices.Equal(c.argv[1:], tc.args) {
				t.Errorf("argv %q, want %q then the arguments %q", c.argv, os.Args[0], tc.args)
			}
			self, _ := os.Executable()
			want := []string{handedOverEnv + "=" + self, handedOverBuildEnv + "=" + buildIdentity(buildinfo.Read())}
			if n := len(c.env) - len(want); n < 0 || !slices.Equal(c.env[n:], want) || !slices.Equal(c.env[:n], os.Environ()) {
				t.Errorf("environment ends %q, want the process's and %q", c.env[max(len(c.env)-len(want), 0):], want)
			}
			if !c.unreadIn || c.stdout != "" || c.stderr != "" {
				t.Errorf("before the hand-over: stdin unread %v, stdout %q, stderr %q; want unread, nothing written", c.unreadIn, c.stdout, c.stderr)
			}
			if code != ExitOK || stdout != "" || stderr != "" {
				t.Errorf("after the hand-over: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// TestLeanHandOverErrors: wfcompat-full missing, misnamed, or a lean build
// itself: one line naming the command, where it looked and what to
// install, exit status 2, nothing else written.
func TestLeanHandOverErrors(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no wfcompat-full on PATH
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"missing", nil, []string{"replay", "new.wasm", "l.jsonl"}, []string{
			"wfcompat: replay runs WebAssembly, which this lean build of wfcompat hands to wfcompat-full, not found (not in " + filepath.Dir(exe),
			"or on PATH)", "install wfcompat-full from the release archive beside wfcompat",
			"go install github.com/wfcompat/wfcompat/cmd/wfcompat@", "(its default build is complete)", "WFCOMPAT_FULL may name it"}},
		{"missing, diff with logs", nil, []string{"diff", "--log", "l.jsonl", "a.wasm", "b.wasm"}, []string{
			"wfcompat: diff with event logs runs WebAssembly", "not found"}},
		{"WFCOMPAT_FULL names nothing", map[string]string{fullEnv: "/nonexistent/wfcompat-full"}, []string{"run", "x.wasm"}, []string{
			"wfcompat: run runs WebAssembly, which this lean build of wfcompat hands to wfcompat-full: /nonexistent/wfcompat-full (from WFCOMPAT_FULL): "}},
		{"handed over to a lean build", map[string]string{handedOverEnv: "/usr/bin/wfcompat", fullEnv: fakeFull(t)}, []string{"upgrade"}, []string{
			"wfcompat: upgrade: " + exe + ", run as wfcompat-full by /usr/bin/wfcompat, is a lean build too", "install the complete build as wfcompat-full"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr, calls := runLean(t, tc.env, tc.args...)
			if code != ExitError || stdout != "" || len(calls) != 0 || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit %d, stdout %q, stderr %q, %d hand-overs; want exit 2 and one line", code, stdout, stderr, len(calls))
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

// TestLeanHelpListsEveryCommand: `wfcompat --help` of the lean build lists
// every command of the table with its one-line help (cobra sorts them).
func TestLeanHelpListsEveryCommand(t *testing.T) {
	code, stdout, _, calls := runLean(t, nil, "--help")
	if code != ExitOK || len(calls) != 0 {
		t.Fatalf("exit %d, %d hand-overs", code, len(calls))
	}
	io, _, _ := Test()
	root := NewRootCmd(io)
	for _, c := range commands {
		cmd, _, err := root.Find([]string{c.name})
		if err != nil || cmd == root {
			t.Fatalf("%s: not in the tree", c.name)
		}
		line := "  " + c.name + strings.Repeat(" ", max(1, 12-len(c.name))) + cmd.Short
		if !strings.Contains(stdout, line+"\n") || cmd.Short == "" {
			t.Errorf("help lacks %q:\n%s", line, stdout)
		}
	}
	for name, short := range map[string]string{"run": runShort, "replay": replayShort, "upgrade": upgradeShort} {
		if !strings.Contains(stdout, name+strings.Repeat(" ", 12-len(name))+short+"\n") {
			t.Errorf("help lacks %s's one-line help %q", name, short)
		}
	}
}

// TestRunChild: where wfcompat-full cannot replace the process (Windows),
// it runs as a child on the same streams and its exit status is the
// front's; tested here on whatever system runs the tests.
func TestRunChild(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run as the child")
	}
	for _, tc := range []struct {
		script         string
		code           int
		stdout, stderr string
	}{
		{"cat; echo out; echo err >&2", ExitOK, "inout\n", "err\n"},
		{"echo \"$0 $1 $WFCOMPAT_TEST_VAR\"; exit 1", ExitUnsafe, "wfcompat arg v\n", ""},
		{"exit 2", ExitError, "", ""},
		{"kill -TERM $$", ExitError, "", ""},
	} {
		var out, errb bytes.Buffer
		io := &IO{In: strings.NewReader("in"), Out: &out, Err: &errb}
		err := runChild(io, sh, []string{"sh", "-c", tc.script, "wfcompat", "arg"}, append(os.Environ(), "WFCOMPAT_TEST_VAR=v"))
		if got := exitStatus(err, io); got != tc.code || out.String() != tc.stdout || errb.String() != tc.stderr {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d, %q, %q", tc.script, got, out.String(), errb.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
}
