//go:build !lean

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/runner/replay"
)

const replayFixtures = "../../../../runner/replay/testdata/golem-v1.1.0/"

func TestReplayCommand(t *testing.T) {
	v1 := runCorpus(t, "golem-v1.1.0/update-test-v1.wasm")
	v2 := runCorpus(t, "golem-v1.1.0/update-test-v2.wasm")
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.jsonl")
	os.WriteFile(truncated, []byte(`{"type":"header","schema":"wfcompat.eventlog/v1"`), 0o644)
	f1, f2, f3 := replayFixtures+"v1-f1.jsonl", replayFixtures+"v1-f2.jsonl", replayFixtures+"v1-f3.jsonl"
	tests := []struct {
		name string
		args []string
		code int
		want []string // in stdout
		err  string   // in stderr
	}{
		{"replays", []string{v2, f3}, ExitOK, []string{"ok    " + f3 + "  (4 events, 2 invocations)", "summary: 1 log: 1 replayed, 0 diverged"}, ""},
		{"diverges", []string{v2, f1, f2, f3, "-j", "2"}, ExitUnsafe, []string{
			"FAIL  " + f1 + ":2  result-mismatch in the replay of golem:component/api#f1 (line 2)",
			"        expected 300\n        actual   150",
			"FAIL  " + f2 + ":3  missing-import",
			"summary: 3 logs: 1 replayed, 2 diverged (missing-import: 1, result-mismatch: 1)"}, ""},
		{"same build", []string{v1, f1, f2, f3}, ExitOK, []string{"3 replayed, 0 diverged"}, ""},
		{"truncated log", []string{v2, f3, truncated}, ExitError, []string{"1 error"}, "truncated.jsonl:1:"},
		{"no log", []string{v2}, ExitError, nil, "at least one LOG"},
		{"directory log", []string{v2, dir}, ExitError, nil, "not a regular file"},
		{"bad shard", []string{v2, f3, "--shard", "3/2"}, ExitError, nil, "--shard"},
		{"bad build", []string{truncated, f3}, ExitError, nil, "truncated.jsonl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"replay", cacheFlag()}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout does not contain %q:\n%s", w, stdout)
				}
			}
			if !strings.Contains(stderr, tc.err) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.err)
			}
		})
	}
}

func TestReplayShardMerge(t *testing.T) {
	v2 := runCorpus(t, "golem-v1.1.0/update-test-v2.wasm")
	logs := []string{replayFixtures + "v1-f1.jsonl", replayFixtures + "v1-f2.jsonl", replayFixtures + "v1-f3.jsonl", replayFixtures + "v1-empty.jsonl"}
	dir := t.TempDir()
	var reports []string
	for _, s := range []string{"1/3", "2/3", "3/3"} {
		code, stdout, stderr := run(t, append([]string{"replay", cacheFlag(), "--json", "--shard", s, v2}, logs...)...)
		if code == ExitError {
			t.Fatalf("shard %s: exit %d: %s", s, code, stderr)
		}
		p := filepath.Join(dir, strings.ReplaceAll(s, "/", "-")+".json")
		os.WriteFile(p, []byte(stdout), 0o644)
		reports = append(reports, p)
	}
	code, stdout, stderr := run(t, append([]string{"replay", "--json", "--merge"}, reports...)...)
	if code != ExitUnsafe {
		t.Fatalf("merge: exit %d: %s%s", code, stdout, stderr)
	}
	var rep replay.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Total != 4 || rep.Summary.OK != 2 || rep.Summary.Diverged != 2 || len(rep.Shards) != 3 {
		t.Errorf("merged: %+v, shards %v", rep.Summary, rep.Shards)
	}
	// A report twice, or something else than a report, is an error.
	if code, _, _ := run(t, "replay", "--merge", reports[0], reports[0]); code != ExitError {
		t.Errorf("merging a report twice: exit %d", code)
	}
	if code, _, stderr := run(t, "replay", "--merge", logs[0]); code != ExitError || !strings.Contains(stderr, "v1-f1.jsonl") {
		t.Errorf("merging a log: exit %d, %s", code, stderr)
	}
}

func TestUpgradeCommand(t *testing.T) {
	c := "golem-v1.1.0/update-test-"
	v1, v2, v3, v4 := runCorpus(t, c+"v1.wasm"), runCorpus(t, c+"v2.wasm"), runCorpus(t, c+"v3.wasm"), runCorpus(t, c+"v4.wasm")
	out := filepath.Join(t.TempDir(), "worker.jsonl")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"automatic upgraded", []string{"--from", v1, "--to", v2, "--log", replayFixtures + "v1-f3.jsonl"}, ExitOK, "upgraded (automatic, 2 invocations)"},
		{"automatic reverted", []string{"--from", v1, "--to", v2, "--log", replayFixtures + "v1-f1.jsonl"}, ExitUnsafe, "result-mismatch: Automatic update failed"},
		{"snapshot upgraded", []string{"--from", v2, "--to", v3, "--log", replayFixtures + "v2-f1-f2.jsonl", "--mode", "snapshot", "--log-out", out}, ExitOK, "continued log: " + out},
		{"snapshot load err", []string{"--from", v2, "--to", v4, "--log", replayFixtures + "v2-f1-f2.jsonl", "--mode", "snapshot"}, ExitUnsafe, "load-snapshot-failed"},
		{"snapshot no save", []string{"--from", v1, "--to", v3, "--log", replayFixtures + "v1-f2.jsonl", "--mode", "snapshot"}, ExitUnsafe, "save-snapshot-missing"},
		{"restart", []string{"--from", v1, "--to", v2, "--log", replayFixtures + "v1-f3.jsonl", "--mode", "restart"}, ExitOK, "upgraded (restart"},
		{"bad mode", []string{"--from", v1, "--to", v2, "--log", replayFixtures + "v1-f3.jsonl", "--mode", "live"}, ExitError, ""},
		{"missing log", []string{"--from", v1, "--to", v2}, ExitError, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"upgrade", cacheFlag()}, tc.args...)...)
			if code != tc.code || !strings.Contains(stdout, tc.want) {
				t.Errorf("exit %d (want %d), stdout %q (want %q), stderr %q", code, tc.code, stdout, tc.want, stderr)
			}
		})
	}
	// The continued log resumes on v3: get() returns what v2's f2 returned.
	code, stdout, stderr := run(t, "run", cacheFlag(), v3, "--resume", out, "--invoke", "golem:component/api#get()", "--log", out)
	if code != ExitOK || stdout != "golem:component/api#get() -> 150\n" {
		t.Fatalf("run --resume: exit %d, %q %s", code, stdout, stderr)
	}
	l, err := eventlog.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if last := l.Events[len(l.Events)-1]; last.Function != "golem:component/api#get" {
		t.Errorf("the continued log ends with %+v", last)
	}
	code, stdout, stderr = run(t, "run", cacheFlag(), v3, "--resume", out, "--invoke", "golem:component/api#get()", "--json")
	var doc runJSON
	if err := json.Unmarshal([]byte(stdout), &doc); code != ExitOK || err != nil || len(doc.Invocations) != 1 ||
		doc.Invocations[0].Result == nil || *doc.Invocations[0].Result != "150" {
		t.Errorf("run --resume --json: exit %d, %v, %s%s", code, err, stdout, stderr)
	}
	// It does not resume on another build.
	if code, _, stderr := run(t, "run", cacheFlag(), v2, "--resume", out, "--invoke", "golem:component/api#f2()"); code != ExitError || !strings.Contains(stderr, "wfcompat upgrade") {
		t.Errorf("resume on v2: exit %d, %s", code, stderr)
	}
}

func TestDiffLog(t *testing.T) {
	v2 := runCorpus(t, "golem-v1.1.0/update-test-v2.wasm")
	v311 := runCorpus(t, "golem-v1.1.0/update-test-v3-11.wasm")
	v4 := runCorpus(t, "golem-v1.1.0/update-test-v4.wasm")
	log := replayFixtures + "v2-f1-f2.jsonl"
	code, stdout, stderr := run(t, "diff", "--mode", "snapshot", v2, v311, "--log", log)
	if code != ExitOK || !strings.Contains(stdout, "snapshot   SAFE") || !strings.Contains(stdout, "proved by 1 event log") {
		t.Errorf("v2 -> v3-11 --log: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "diff", "--mode", "snapshot", v2, v4, "--log", replayFixtures+"v2-*.jsonl")
	if code != ExitUnsafe || !strings.Contains(stdout, "load-snapshot-failed") {
		t.Errorf("v2 -> v4 --log: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "diff", v2, v4, "--log", "no-such-*.jsonl"); code != ExitError || !strings.Contains(stderr, "names no file") {
		t.Errorf("--log naming no file: exit %d, %s", code, stderr)
	}
	// The runner's host flags reach the runs of the logs: a memory limit
	// below what v2 declares leaves the mode unproven, naming why.
	code, stdout, stderr = run(t, "diff", "--mode", "snapshot", v2, v311, "--log", log, "--max-memory", "64KiB")
	if code != ExitOK || !strings.Contains(stdout, "snapshot   UNPROVEN") || !strings.Contains(stdout, "could not be run") {
		t.Errorf("--max-memory 64KiB: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, args := range [][]string{{"--seed", "3"}, {"--strict"}, {"--http-respond", "200"}} {
		code, _, stderr := run(t, append([]string{"diff", v2, v311}, args...)...)
		if code != ExitError || !strings.Contains(stderr, args[0]+": host flags apply to the runs of event logs") {
			t.Errorf("%v without --log: exit %d, %s", args, code, stderr)
		}
	}
	if code, _, stderr := run(t, "diff", v2, v311, "--log", log, "--timeout", "0s"); code != ExitError || !strings.Contains(stderr, "--timeout must be positive") {
		t.Errorf("--timeout 0s: exit %d, %s", code, stderr)
	}
}
