//go:build !lean

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/shared"
)

func runCorpus(t *testing.T, rel string) string {
	t.Helper()
	return shared.Corpus(t, rel)
}

func cacheFlag() string { return "--cache-dir=" + filepath.Join(os.TempDir(), "wfcompat-test-cache") }

func TestRunLogPassesAssert(t *testing.T) {
	v1 := runCorpus(t, "golem-v1.1.0/update-test-v1.wasm")
	log := filepath.Join(t.TempDir(), "run.jsonl")
	code, stdout, stderr := run(t, "run", v1, cacheFlag(), "--invoke", "golem:component/api#f1(0)", "--invoke", "golem:component/api#f3()",
		"--http-respond", "200", "--log", log)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "golem:component/api#f1(0) -> 300\ngolem:component/api#f3() -> "
	if !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout %q, want prefix %q", stdout, want)
	}
	l, err := eventlog.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if l.Header.World == nil || len(l.Events) < 3 || l.Events[0].Type != eventlog.TypeInvoke {
		t.Fatalf("log: header %+v, %d events", l.Header, len(l.Events))
	}
	code, stdout, stderr = run(t, "assert", "event-log", "--against", v1, log)
	if code != ExitOK {
		t.Fatalf("assert event-log: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestRunExitStatus(t *testing.T) {
	v1 := runCorpus(t, "golem-v1.1.0/update-test-v1.wasm")
	v4 := runCorpus(t, "golem-v1.1.0/update-test-v4.wasm")
	promise := runCorpus(t, "golem-v1.1.0/promise.wasm")
	bad := filepath.Join(t.TempDir(), "bad.wasm")
	os.WriteFile(bad, []byte("\x00asm\x0d\x00\x01\x00\x07"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"trap", []string{v1, "--invoke", "golem:component/api#f1(0)"}, ExitUnsafe, "-> trap: trap in golem:component/api#f1", ""},
		{"err result", []string{v4, "--invoke", "golem:api/load-snapshot#load([1])"}, ExitOK, `-> err("`, ""},
		{"err result fails", []string{v4, "--fail-on-err", "--invoke", "golem:api/load-snapshot#load([1])"}, ExitUnsafe, `-> err("`, ""},
		{"missing imports", []string{promise, "--invoke", "run()"}, ExitError, "", "golem:api/host@0.2.0"},
		{"unknown function", []string{v1, "--invoke", "golem:component/api#nope()"}, ExitError, "", "nope"},
		{"bad arguments", []string{v1, "--invoke", "golem:component/api#f1(\"x\")"}, ExitError, "", "f1"},
		{"nothing to run", []string{v1}, ExitError, "", "--invoke"},
		{"bad clock", []string{v1, "--clock", "yesterday", "--invoke", "golem:component/api#f3()"}, ExitError, "", "--clock"},
		{"bad http", []string{v1, "--http-respond", "ok", "--invoke", "golem:component/api#f3()"}, ExitError, "", "--http-respond"},
		{"bad env", []string{v1, "--env", "NOEQUALS", "--invoke", "golem:component/api#f3()"}, ExitError, "", "--env"},
		{"bad memory", []string{v1, "--max-memory", "lots", "--invoke", "golem:component/api#f3()"}, ExitError, "", "--max-memory"},
		{"malformed", []string{bad, "--invoke", "f()"}, ExitError, "", "bad.wasm"},
		{"timeout", []string{runFixtures + "bench.wasm", "--timeout", "200ms", "--invoke", "spin()"}, ExitUnsafe, "timeout", ""},
		{"memory limit", []string{runFixtures + "bench.wasm", "--max-memory", "1MiB", "--invoke", "grow(15)", "--invoke", "grow(1)"}, ExitOK, "grow(15) -> 1\ngrow(1) -> -1", ""},
		{"resource drop", []string{runCorpus(t, "golem-v1.1.0/counters.wasm"), "--stub-missing", "--invoke", `rpc:counters/api#[constructor]counter("c")`,
			"--invoke", "rpc:counters/api#[resource-drop]counter(1)", "--invoke", "rpc:counters/api#get-all-dropped()"}, ExitOK, `[resource-drop]counter(1) -> ok
rpc:counters/api#get-all-dropped() -> [("c", 0)]`, ""},
		{"core reactor", []string{runFixtures + "reactor.wasm", "--invoke", "add(2, 3)", "--invoke", "now()", "--clock", "2030-01-01T00:00:00Z"}, ExitOK, "add(2, 3) -> 5\nnow() -> 1893456000000000000", ""},
		{"core command exits 3", []string{runFixtures + "command.wasm"}, ExitUnsafe, "status 3", "hi from _start"},
		{"core missing imports", []string{runFixtures + "needs-host.wasm", "--invoke", "f()"}, ExitError, "", "ic0#msg_reply: func()"},
		{"core stubbed", []string{runFixtures + "needs-host.wasm", "--stub-missing", "--invoke", "f()"}, ExitOK, "f() -> 1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"run", cacheFlag()}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if code == ExitError && strings.Count(stderr, "\n") != 1 {
				t.Errorf("error is not one line: %q", stderr)
			}
		})
	}
}

func TestRunJSONAndInvocationsFile(t *testing.T) {
	echo := runCorpus(t, "golem-v1.1.0/rust-echo.wasm")
	io, out, errb := Test()
	io.In = strings.NewReader("# calls\ngolem:it/api#echo(\"a\")\n\ngolem:it/api#echo(\"ü\")\n")
	code := Main([]string{"run", cacheFlag(), echo, "--invocations", "-", "--json"}, io)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var doc runJSON
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != RunSchema || len(doc.Invocations) != 2 || *doc.Invocations[1].Result != `"ü"` || doc.Artifact.SHA256 == "" {
		t.Errorf("%s", out)
	}
}

// TestRunHostileInputs: run refuses devices, FIFOs and symlinks to them as
// the artifact, the invocations file and the HTTP body file, at once, with
// one line and exit status 2.
func TestRunHostileInputs(t *testing.T) {
	good := runFixtures + "bench.wasm"
	for path, want := range hostileInputs(t) {
		if strings.Contains(path, "wit") {
			continue
		}
		for _, args := range [][]string{
			{"run", path, "--invoke", "id(1)"},
			{"run", good, "--invocations", path},
			{"run", good, "--http-respond", "200:" + path, "--invoke", "id(1)"},
		} {
			code, stdout, stderr := run(t, args...)
			if code != ExitError || stdout != "" || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", args, code, stdout, stderr, want)
			}
		}
	}
}
