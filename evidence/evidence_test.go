package evidence_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/config"
	"github.com/wfcompat/wfcompat/evidence"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/runner"
)

func open(t *testing.T, path string) *analyze.Artifact {
	t.Helper()
	a, err := wfcompat.Open(path, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func parseConfig(t *testing.T, src string) *config.Config {
	t.Helper()
	c, err := config.Parse("wfcompat.yaml", []byte(src), wfcompat.Rules())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// reasons is the messages of a mode's reasons, one per line.
func reasons(r *compat.ModeResult) string {
	var text []string
	for _, x := range r.Reasons {
		text = append(text, x.Message)
	}
	return strings.Join(text, "\n")
}

// prover runs logs on the bundled runner, with the tests' compilation cache.
func prover() evidence.Prover {
	cache := filepath.Join(os.TempDir(), "wfcompat-test-cache")
	return evidence.Prover{Options: evidence.Options{Runner: runner.Options{CacheDir: cache}}}
}

// TestDiffLogsGolemMatrix: diff with the event logs of Golem's update matrix
// (runner/replay/testdata, recorded by wfcompat run) gives the replay and
// snapshot verdicts that replay and upgrade give (runner/upgrade's
// TestGolemHotUpdate).
func TestDiffLogsGolemMatrix(t *testing.T) {
	const logs = "../runner/replay/testdata/"
	tests := []struct {
		dir, old, new string
		logs          []string
		replay        compat.Verdict // "" when not checked
		snapshot      compat.Verdict
		says          string // in the reasons of the mode that fails
	}{
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-empty.jsonl", "v1-f3.jsonl"}, compat.Safe, "", "proved by 1 event log: replayed on the new build with the recorded import results (1 more runs no invocation)"},
		// A log without invocations exercises nothing: alone it proves nothing.
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-empty.jsonl"}, compat.Unproven, "", "the 1 event log runs no invocation (none, or none after the last snapshot or restart marker, where replay and restart start): running it exercised nothing"},
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-f3.jsonl", "v1-f1.jsonl"}, compat.Unsafe, "", "expected 300, got 150"},
		{"golem-v1.1.0", "update-test-v1", "update-test-v2", []string{"v1-f2.jsonl"}, compat.Unsafe, "", "missing-import"},
		{"golem-v1.1.0", "update-test-v2", "update-test-v3", []string{"v2-f1-f2.jsonl"}, compat.Unsafe, compat.Safe, "proved by 1 event log"},
		{"golem-v1.1.0", "update-test-v1", "update-test-v3", []string{"v1-f2.jsonl"}, "", compat.Unsafe, "save-snapshot-missing"},
		{"golem-v1.1.0", "update-test-v2", "update-test-v4", []string{"v2-f1-f2.jsonl"}, "", compat.Unsafe, "load-snapshot-failed"},
		{"golem-v1.1.0", "update-test-v2-11", "update-test-v3-11", []string{"v2-11-f1-f2.jsonl"}, "", compat.Safe, "proved by 1 event log"},
		{"golem-v1.3.0", "update-test-v2-11", "update-test-v3-11", []string{"v2-11-f1-f2.jsonl"}, "", compat.Safe, "proved by 1 event log"},
		{"golem-v1.3.0", "update-test-v2-11", "update-test-v3-sdk", []string{"v2-11-f1-f2.jsonl"}, "", compat.Safe, "proved by 1 event log"},
	}
	for _, tc := range tests {
		name := tc.dir + "/" + tc.old + "->" + tc.new + "/" + strings.Join(tc.logs, ",")
		t.Run(name, func(t *testing.T) {
			old := open(t, shared.Corpus(t, tc.dir+"/"+tc.old+".wasm"))
			nw := open(t, shared.Corpus(t, tc.dir+"/"+tc.new+".wasm"))
			var paths []string
			for _, l := range tc.logs {
				paths = append(paths, filepath.Join(logs, tc.dir, l))
			}
			res, err := wfcompat.Diff(context.Background(), old, nw, wfcompat.DiffOptions{Logs: paths, Prover: prover()})
			if err != nil {
				t.Fatal(err)
			}
			var text []string
			for _, m := range []struct {
				mode compat.Mode
				want compat.Verdict
			}{{compat.ModeReplay, tc.replay}, {compat.ModeSnapshot, tc.snapshot}} {
				got := res.Report.Modes[m.mode]
				text = append(text, reasons(got))
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

func TestDiffLogsConfig(t *testing.T) {
	old := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v1.wasm"))
	nw := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v2.wasm"))
	cfg := parseConfig(t, "logs:\n  - ../runner/replay/testdata/golem-v1.1.0/v1-f3.jsonl\n")
	res, err := wfcompat.Diff(context.Background(), old, nw, wfcompat.DiffOptions{Config: cfg, Prover: prover()})
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Report.Modes[compat.ModeReplay].Verdict; v != compat.Safe {
		t.Errorf("replay with logs: from the config = %s, want safe", v)
	}
	cfg = parseConfig(t, "logs:\n  - no-such-*.jsonl\n")
	if _, err := wfcompat.Diff(context.Background(), old, nw, wfcompat.DiffOptions{Config: cfg, Prover: prover()}); err == nil {
		t.Error("a logs: pattern naming no file is accepted")
	}
}

// TestDiffLogsNotOldsWorker: a log is evidence about the old build's
// workers only when the old build produced its last events, and only the
// invocations a mode runs (after the last snapshot or restart marker)
// prove it. Otherwise the runtime modes stay unproven, saying why.
func TestDiffLogsNotOldsWorker(t *testing.T) {
	const dir = "../runner/replay/testdata/golem-v1.1.0/"
	v1 := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v1.wasm"))
	v2 := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v2.wasm"))
	marker := func(sha, mode string) string {
		return fmt.Sprintf(`{"type":"upgrade","sha256":%q,"version_id":"x","mode":%q}`+"\n", sha, mode)
	}
	other := strings.Repeat("ab", 32)
	tests := []struct {
		name  string
		log   string // a fixture under dir
		edit  func(b []byte) []byte
		twice bool           // give the log twice, as DIR/./LOG too
		want  compat.Verdict // replay and restart
		says  string
	}{
		// v2's own log replays on v2 trivially; v1's f1 does not (300 vs 150).
		{name: "recorded by the new build", log: "v2-f1-f2.jsonl", want: compat.Unproven, says: "already runs the new build"},
		{name: "recorded by another build", log: "v2-11-f1-f2.jsonl", want: compat.Unproven, says: "not the old build"},
		{name: "moved to the new build", log: "v1-f3.jsonl", want: compat.Unproven, says: "already runs the new build",
			edit: func(b []byte) []byte { return append(b, marker(v2.SHA256, "replay")...) }},
		{name: "invocations only before a restart marker", log: "v1-f1.jsonl", want: compat.Unproven, says: "exercised nothing",
			edit: func(b []byte) []byte { return append(b, marker(v1.SHA256, "restart")...) }},
		// Near misses: the old build took the worker over from another
		// one; the old build's own log.
		{name: "moved to the old build", log: "v1-f3.jsonl", want: compat.Safe, says: "proved by 1 event log",
			edit: func(b []byte) []byte {
				head, rest, _ := bytes.Cut(b, []byte("\n"))
				head = bytes.Replace(head, []byte(v1.SHA256), []byte(other), 1)
				return append(append(append(head, '\n'), marker(v1.SHA256, "replay")...), rest...)
			}},
		{name: "the old build's log", log: "v1-f3.jsonl", want: compat.Safe, says: "proved by 1 event log"},
		// One log named twice proves once.
		{name: "the old build's log twice", log: "v1-f3.jsonl", twice: true, want: compat.Safe, says: "proved by 1 event log:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(dir + tc.log)
			if err != nil {
				t.Fatal(err)
			}
			if tc.edit != nil {
				b = tc.edit(b)
			}
			path := filepath.Join(t.TempDir(), tc.log)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			logs := []string{path}
			if tc.twice {
				logs = append(logs, filepath.Dir(path)+"/./"+tc.log)
			}
			res, err := wfcompat.Diff(context.Background(), v1, v2, wfcompat.DiffOptions{Logs: logs, Prover: prover()})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []compat.Mode{compat.ModeReplay, compat.ModeRestart} {
				got := res.Report.Modes[m]
				if all := reasons(got); got.Verdict != tc.want || !strings.Contains(all, tc.says) {
					t.Errorf("%s = %s, want %s saying %q:\n%s", m, got.Verdict, tc.want, tc.says, all)
				}
			}
		})
	}
}

// TestDiffLogsWITOld: a WIT old build has no build digest a log could
// name. Replay takes any log but the new build's own (the WIT cannot say
// which build recorded it); restart, which moves the old build's workers
// through upgrade, refuses one that does not name the old build, and says
// so naming the log once (it was named twice: "LOG: LOG: the worker
// runs …").
func TestDiffLogsWITOld(t *testing.T) {
	old := open(t, "../testdata/wit/features.wit")
	v2 := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v2.wasm"))
	log := "../runner/replay/testdata/golem-v1.1.0/v2-11-f1-f2.jsonl"
	res, err := wfcompat.Diff(context.Background(), old, v2, wfcompat.DiffOptions{Logs: []string{log}, Prover: prover()})
	if err != nil {
		t.Fatal(err)
	}
	if got := reasons(res.Report.Modes[compat.ModeReplay]); !strings.Contains(got, "proved by 1 event log") {
		t.Errorf("replay: want the log's proof:\n%s", got)
	}
	got := reasons(res.Report.Modes[compat.ModeRestart])
	if !strings.Contains(got, "not the old build") || strings.Count(got, log) != 1 {
		t.Errorf("restart: want the log named once, refused as not the old build's:\n%s", got)
	}
}

// TestDiffLogsRestartOutcomes: the restart proof compares each rerun's
// outcome with the old build's recorded one (runner/upgrade's
// TestRestartOutcomes): a trap where the old build trapped on the same
// input proves restart; a trap where it returned, or a return where it
// trapped, makes restart unsafe and says which.
func TestDiffLogsRestartOutcomes(t *testing.T) {
	const fixtures, logs = "../runner/testdata/", "../runner/replay/testdata/restart/"
	old, nw := open(t, fixtures+"restart-old.wasm"), open(t, fixtures+"restart-new.wasm")
	tests := []struct {
		logs []string
		want compat.Verdict
		says string
	}{
		{[]string{"div0.jsonl"}, compat.Safe, "proved by 1 event log: invocations rerun on fresh instances of the new build"},
		{[]string{"div0.jsonl", "div5.jsonl"}, compat.Safe, "proved by 2 event logs"},
		{[]string{"div0.jsonl", "div7.jsonl"}, compat.Unsafe, "1 of 2 event logs has invocations that fail when rerun on the new build; the first: " +
			logs + "div7.jsonl: trap: Restart failed for 1 of 1 invocations; first, line 2 div: the new build traps"},
		{[]string{"fix0.jsonl"}, compat.Unsafe, "unexpected-success: Restart failed for 1 of 1 invocations; first, line 2 fix: the new build returns 0 where the log records a trap"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.logs, ","), func(t *testing.T) {
			var paths []string
			for _, l := range tc.logs {
				paths = append(paths, logs+l)
			}
			res, err := wfcompat.Diff(context.Background(), old, nw, wfcompat.DiffOptions{Logs: paths, Prover: prover()})
			if err != nil {
				t.Fatal(err)
			}
			got := res.Report.Modes[compat.ModeRestart]
			all := reasons(got)
			if got.Verdict != tc.want {
				t.Errorf("restart = %s, want %s: %s", got.Verdict, tc.want, all)
			}
			if !strings.Contains(all, tc.says) {
				t.Errorf("the reasons do not say %q:\n%s", tc.says, all)
			}
		})
	}
}

// TestDiffLogsHostStop: a log whose invocation the runner's host cannot
// run where the log records a trap leaves replay and restart unproven,
// saying why, never safe: host-trap-new.wasm's quit calls an import the
// host lacks (stubbed by StubMissing) and traps only because the stub
// fails, where host-trap.wasm, the old build, traps on its own after the
// call; on a host that has the import the new build returns. A log both
// builds run on their own (div(0) traps as recorded) proves both modes;
// with both logs, the host's stop still leaves them unproven.
func TestDiffLogsHostStop(t *testing.T) {
	a := open(t, "../runner/testdata/host-trap.wasm")
	nw := open(t, "../runner/testdata/host-trap-new.wasm")
	world, err := json.Marshal(a.World)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, call string) string {
		text := fmt.Sprintf(`{"type":"header","schema":"wfcompat.eventlog/v1","sha256":%q,"version_id":%q,"world":%s}
{"type":"invoke","function":%q,"params":"(0)","trap":"recorded trap"}
`, a.SHA256, "sha256:"+a.SHA256[:12], world, call)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	quit, div := write("quit0.jsonl", "quit"), write("div0.jsonl", "div")
	p := prover()
	p.Options.Runner.StubMissing = true
	tests := []struct {
		name string
		logs []string
		want compat.Verdict
		says string
	}{
		{"host stop", []string{quit}, compat.Unproven,
			quit + ":2: quit"},
		{"program trap", []string{div}, compat.Safe, "proved by 1 event log"},
		{"program trap and host stop", []string{div, quit}, compat.Unproven, "1 of 2 event logs could not be run"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := wfcompat.Diff(context.Background(), a, nw, wfcompat.DiffOptions{Logs: tc.logs, Prover: p})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []compat.Mode{compat.ModeReplay, compat.ModeRestart} {
				got := res.Report.Modes[m]
				all := reasons(got)
				if got.Verdict != tc.want {
					t.Errorf("%s = %s, want %s: %s", m, got.Verdict, tc.want, all)
				}
				if !strings.Contains(all, tc.says) {
					t.Errorf("%s: the reasons do not say %q:\n%s", m, tc.says, all)
				}
				if tc.want == compat.Unproven && !strings.Contains(all, "not proven: the runner's host could not run this") {
					t.Errorf("%s: the reasons do not say the host could not run it:\n%s", m, all)
				}
				if strings.Contains(all, quit+": "+quit) {
					t.Errorf("%s: a reason names the log twice:\n%s", m, all)
				}
			}
		})
	}
}
