package wfcompat

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/runner"
)

// TestDiffLogsGolemMatrix: diff with the event logs of Golem's update matrix
// (runner/replay/testdata, recorded by wfcompat run) gives the replay and
// snapshot verdicts that replay and upgrade give (runner/upgrade's
// TestGolemHotUpdate).
func TestDiffLogsGolemMatrix(t *testing.T) {
	const logs = "runner/replay/testdata/"
	tests := []struct {
		dir, old, new string
		logs          []string
		replay        compat.Verdict // "" when not checked
		snapshot      compat.Verdict
		says          string // in the reasons of the mode that fails
	}{
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-empty.jsonl", "v1-f3.jsonl"}, compat.Safe, "", "proved by 1 event log: replayed on the new build with the recorded import results (1 more holds no invocations)"},
		// A log without invocations exercises nothing: alone it proves nothing.
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-empty.jsonl"}, compat.Unproven, "", "the 1 event log holds no invocations: running it exercised nothing"},
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-f3.jsonl", "v1-f1.jsonl"}, compat.Unsafe, "", "expected 300, got 150"},
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-f2.jsonl"}, compat.Unsafe, "", "missing-import"},
		{"golem-v1.1.0", "update-test-v2", "update-test-v3", []string{"v2-f1-f2.jsonl"}, compat.Unsafe, compat.Safe, "proved by 1 event log"},
		{"golem-v1.1.0", "update-test-v1", "update-test-v3", []string{"v1-f2.jsonl"}, "", compat.Unsafe, "save-snapshot-missing"},
		{"golem-v1.1.0", "update-test-v2", "update-test-v4", []string{"v2-f1-f2.jsonl"}, "", compat.Unsafe, "load-snapshot-failed"},
		{"golem-v1.1.0", "update-test-v2-11", "update-test-v3-11", []string{"v2-11-f1-f2.jsonl"}, "", compat.Safe, "proved by 1 event log"},
		{"golem-v1.3.0", "update-test-v2-11", "update-test-v3-11", []string{"v2-11-f1-f2.jsonl"}, "", compat.Safe, "proved by 1 event log"},
		{"golem-v1.3.0", "update-test-v2-11", "update-test-v3-sdk", []string{"v2-11-f1-f2.jsonl"}, "", compat.Safe, "proved by 1 event log"},
	}
	cache := filepath.Join(os.TempDir(), "wfcompat-test-cache")
	for _, tc := range tests {
		name := tc.dir + "/" + tc.old + "->" + tc.new + "/" + strings.Join(tc.logs, ",")
		t.Run(name, func(t *testing.T) {
			old := open(t, shared.Corpus(t, tc.dir+"/"+tc.old+".wasm"))
			nw := open(t, shared.Corpus(t, tc.dir+"/"+tc.new+".wasm"))
			var paths []string
			for _, l := range tc.logs {
				paths = append(paths, filepath.Join(logs, tc.dir, l))
			}
			res, err := Diff(context.Background(), old, nw, DiffOptions{Logs: paths, Run: EvidenceOptions{Runner: runner.Options{CacheDir: cache}}})
			if err != nil {
				t.Fatal(err)
			}
			var text []string
			for _, m := range []struct {
				mode compat.Mode
				want compat.Verdict
			}{{compat.ModeReplay, tc.replay}, {compat.ModeSnapshot, tc.snapshot}} {
				got := res.Report.Modes[m.mode]
				for _, r := range got.Reasons {
					text = append(text, r.Message)
				}
				if m.want != "" && got.Verdict != m.want {
					t.Errorf("%s = %s, want %s: %+v", m.mode, got.Verdict, m.want, got.Reasons)
				}
			}
			if all := strings.Join(text, "\n"); !strings.Contains(all, tc.says) {
				t.Errorf("the reasons do not say %q:\n%s", tc.says, all)
			}
		})
	}
}

// Without logs, the modes only running proves stay unproven and say which
// command proves them.
func TestDiffWithoutLogsNamesTheCommand(t *testing.T) {
	old := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v2.wasm"))
	nw := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v3-11.wasm"))
	res, err := Diff(context.Background(), old, nw, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for m, cmd := range map[compat.Mode]string{compat.ModeReplay: "wfcompat replay", compat.ModeSnapshot: "wfcompat upgrade --mode snapshot"} {
		mr := res.Report.Modes[m]
		found := false
		for _, r := range mr.Reasons {
			if r.Verdict == compat.Unproven && strings.Contains(r.Message, cmd) {
				found = true
			}
			if strings.Contains(r.Message, "not yet implemented") {
				t.Errorf("%s: %s", m, r.Message)
			}
		}
		if !found && mr.Verdict != compat.NotApplicable {
			t.Errorf("%s (%s): no unproven reason naming %q: %+v", m, mr.Verdict, cmd, mr.Reasons)
		}
	}
}

func TestDiffLogsConfig(t *testing.T) {
	old := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v1.wasm"))
	nw := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v2.wasm"))
	cfg := parseConfig(t, "logs:\n  - runner/replay/testdata/golem-v1.1.0/v1-f3.jsonl\n")
	res, err := Diff(context.Background(), old, nw, DiffOptions{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Report.Modes[compat.ModeReplay].Verdict; v != compat.Safe {
		t.Errorf("replay with logs: from the config = %s, want safe", v)
	}
	cfg = parseConfig(t, "logs:\n  - no-such-*.jsonl\n")
	if _, err := Diff(context.Background(), old, nw, DiffOptions{Config: cfg}); err == nil {
		t.Error("a logs: pattern naming no file is accepted")
	}
}
