package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// TestAssertMessages: the messages a user meets first — a log without
// header, a byte order mark, a log of another build than --old, a
// misspelt function — say what is wrong and what to do.
func TestAssertMessages(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	good := writeLog(t, dir, "good.jsonl", v1, invoke("golem:component/api#f2", "()", "3"))
	lines := strings.SplitAfterN(string(readFile(t, good)), "\n", 2)
	noHeader := filepath.Join(dir, "noheader.jsonl")
	bom := filepath.Join(dir, "bom.jsonl")
	if err := os.WriteFile(noHeader, []byte(lines[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bom, append([]byte("\xef\xbb\xbf"), readFile(t, good)...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"no header", []string{"event-log", "--against", v2, noHeader}, ExitError, nil,
			[]string{"wfcompat: " + noHeader + ":1: line 1 must be the header {\"type\":\"header\""}},
		{"no header, input", []string{"input", "--against", v2, "--runs", noHeader}, ExitError, nil,
			[]string{noHeader + ":1: line 1 must be the header"}},
		{"byte order mark", []string{"event-log", "--against", v2, bom}, 0, []string{"ok    " + bom + "  (1 event)"}, nil},
		{"header of another build", []string{"event-log", "--against", v3, "--old", v2, good}, ExitError, nil,
			[]string{good + ":1: the header's sha256 " + fileSHA(t, v1), "is not the digest of the old build given (--old), " + fileSHA(t, v2)}},
		{"header of --old", []string{"event-log", "--against", v2, "--old", v1, good}, 0, nil, nil},
		{"misspelt function", []string{"input", "--against", v2, "--function", "golem:component/api#f7", "--args", "()"}, ExitUnsafe,
			[]string{"has no function f7; did you mean golem:component/api#f1?"}, nil},
		{"bare function name", []string{"input", "--against", v2, "--function", "f4", "--args", "()"}, ExitUnsafe,
			[]string{"did you mean golem:component/api#f4?"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"assert"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tc.code == ExitError && strings.Count(stderr, "\n") != 1 {
				t.Errorf("want one line on stderr: %q", stderr)
			}
		})
	}
}

// TestAssertContinuedLog: a log continued by `wfcompat upgrade --log-out`
// (v2 → v3 by snapshot) checks clean against v3, which no longer exports
// what the events before the upgrade invoked: the check starts after the
// last snapshot or restart marker, as a replay does.
func TestAssertContinuedLog(t *testing.T) {
	skipHandedOver(t, "run")
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	log, out := filepath.Join(dir, "v2.jsonl"), filepath.Join(dir, "v3.jsonl")
	if code, stdout, stderr := run(t, "run", v2, "--invoke", "golem:component/api#f2()", "--log", log); code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, "upgrade", "--from", v2, "--to", v3, "--log", log, "--mode", "snapshot", "--log-out", out); code != 0 {
		t.Fatalf("upgrade: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr := run(t, "assert", "event-log", "--against", v3, out)
	if code != 0 || !strings.Contains(stdout, "ok    "+out+"  (2 events)") || !strings.Contains(stdout, "note: checked from line 5, after the upgrade marker of mode snapshot on line 4") {
		t.Errorf("continued log: exit %d\n%s%s", code, stdout, stderr)
	}
	// The log before the upgrade does not fit v3: f2 is gone.
	if code, stdout, _ := run(t, "assert", "event-log", "--against", v3, log); code != ExitUnsafe || !strings.Contains(stdout, "export-missing") {
		t.Errorf("log before the upgrade: exit %d\n%s", code, stdout)
	}
}
