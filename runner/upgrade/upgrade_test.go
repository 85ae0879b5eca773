package upgrade_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/runner/upgrade"
)

func readLog(t testing.TB, rel string) *eventlog.Log {
	t.Helper()
	l, err := eventlog.ReadFile(filepath.Join("..", "replay", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestGolemHotUpdate reproduces the outcomes of golem-worker-executor's
// tests/hot_update.rs on Golem's update-test components, with logs that
// `wfcompat run` recorded (runner/replay/testdata/gen.sh).
func TestGolemHotUpdate(t *testing.T) {
	const api = "golem:component/api#"
	tests := []struct {
		name       string
		dir        string
		from, to   string
		log        string
		mode       upgrade.Mode
		want       upgrade.Status
		reason     string
		msg        string // in the message
		then, gets string // after --resume on the continued log: call, result
	}{
		{name: "v1-v2 automatic, empty history", dir: "golem-v1.1.0", from: "update-test-v1", to: "update-test-v2",
			log: "v1-empty.jsonl", mode: upgrade.Automatic, want: upgrade.Upgraded, then: api + "f4()", gets: "11"},
		{name: "v1-v2 automatic after f3", dir: "golem-v1.1.0", from: "update-test-v1", to: "update-test-v2",
			log: "v1-f3.jsonl", mode: upgrade.Automatic, want: upgrade.Upgraded, then: api + "f4()", gets: "11"},
		{name: "v1-v2 automatic after f1", dir: "golem-v1.1.0", from: "update-test-v1", to: "update-test-v2",
			log: "v1-f1.jsonl", mode: upgrade.Automatic, want: upgrade.Reverted, reason: string(replay.ResultMismatch),
			msg: "expected 300, got 150"},
		{name: "v1-v2 automatic after f2", dir: "golem-v1.1.0", from: "update-test-v1", to: "update-test-v2",
			log: "v1-f2.jsonl", mode: upgrade.Automatic, want: upgrade.Reverted, reason: string(replay.MissingImport),
			msg: "get-random-bytes"},
		{name: "v2-v3 snapshot after f1 f2", dir: "golem-v1.1.0", from: "update-test-v2", to: "update-test-v3",
			log: "v2-f1-f2.jsonl", mode: upgrade.Snapshot, want: upgrade.Upgraded, then: api + "get()", gets: "150"},
		{name: "v1-v3 snapshot", dir: "golem-v1.1.0", from: "update-test-v1", to: "update-test-v3",
			log: "v1-f2.jsonl", mode: upgrade.Snapshot, want: upgrade.Reverted, reason: upgrade.SaveMissing},
		{name: "v2-v4 snapshot", dir: "golem-v1.1.0", from: "update-test-v2", to: "update-test-v4",
			log: "v2-f1-f2.jsonl", mode: upgrade.Snapshot, want: upgrade.Reverted, reason: upgrade.LoadFailed,
			msg: "Manual update failed to load snapshot"},
		{name: "v2-11-v3-11 snapshot", dir: "golem-v1.1.0", from: "update-test-v2-11", to: "update-test-v3-11",
			log: "v2-11-f1-f2.jsonl", mode: upgrade.Snapshot, want: upgrade.Upgraded, then: api + "get()", gets: "150"},
		{name: "v2-11-v3-11 snapshot 1.3", dir: "golem-v1.3.0", from: "update-test-v2-11", to: "update-test-v3-11",
			log: "v2-11-f1-f2.jsonl", mode: upgrade.Snapshot, want: upgrade.Upgraded, then: api + "get()", gets: "150"},
		{name: "v2-11-v3-sdk snapshot 1.3", dir: "golem-v1.3.0", from: "update-test-v2-11", to: "update-test-v3-sdk",
			log: "v2-11-f1-f2.jsonl", mode: upgrade.Snapshot, want: upgrade.Upgraded, then: api + "get()", gets: "150"},
	}
	ctx := context.Background()
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := runnertest.Open(t, tc.dir+"/"+tc.from+".wasm")
			nw := runnertest.Open(t, tc.dir+"/"+tc.to+".wasm")
			l := readLog(t, tc.dir+"/"+tc.log)
			res, err := upgrade.Upgrade(ctx, old, nw, l, tc.mode, upgrade.Options{Engine: eng})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.want || res.Reason != tc.reason {
				t.Fatalf("got %s %q (%s), want %s %q", res.Status, res.Reason, res.Message, tc.want, tc.reason)
			}
			if !strings.Contains(res.Message, tc.msg) {
				t.Errorf("message %q does not say %q", res.Message, tc.msg)
			}
			if tc.then == "" {
				return
			}
			// The continued log rebuilds the upgraded worker.
			var b bytes.Buffer
			if err := res.WriteLog(&b); err != nil {
				t.Fatal(err)
			}
			cont, err := eventlog.Read(&b, "continued.jsonl")
			if err != nil {
				t.Fatal(err)
			}
			if sha, _ := replay.Current(cont); sha != nw.SHA256 {
				t.Errorf("continued log runs %s, want %s", sha, nw.SHA256)
			}
			rr, err := replay.Replay(ctx, nw, cont, replay.Options{Engine: eng, Keep: true})
			if err != nil {
				t.Fatal(err)
			}
			if rr.Divergence != nil {
				t.Fatalf("continued log diverges: %v", rr.Divergence)
			}
			defer rr.Instance.Close(ctx)
			o, err := rr.Instance.InvokeWAVE(ctx, tc.then)
			if err != nil || o.Trap != nil {
				t.Fatalf("%s: %v %v", tc.then, err, o.Trap)
			}
			if got, _ := o.ResultWAVE(); got != tc.gets {
				t.Errorf("%s = %s, want %s", tc.then, got, tc.gets)
			}
		})
	}
}

func TestRestart(t *testing.T) {
	ctx := context.Background()
	old := runnertest.Open(t, "golem-v1.1.0/update-test-v1.wasm")
	for _, tc := range []struct {
		to     string
		want   upgrade.Status
		reason string
	}{
		{"update-test-v2", upgrade.Upgraded, ""},
		{"update-test-v3", upgrade.Reverted, string(replay.ExportMissing)},
	} {
		nw := runnertest.Open(t, "golem-v1.1.0/"+tc.to+".wasm")
		res, err := upgrade.Upgrade(ctx, old, nw, readLog(t, "golem-v1.1.0/v1-f3.jsonl"), upgrade.Restart, upgrade.Options{Runner: runner.Options{CacheDir: runnertest.Cache()}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != tc.want || res.Reason != tc.reason || res.Invocations != 2 {
			t.Errorf("restart v1 -> %s: %s %q (%d invocations, %s)", tc.to, res.Status, res.Reason, res.Invocations, res.Message)
		}
		if tc.want == upgrade.Reverted && len(res.Restart) != 2 {
			t.Errorf("restart v1 -> %s: %d failures, want 2", tc.to, len(res.Restart))
		}
	}
}

func TestParseMode(t *testing.T) {
	for _, s := range []string{"automatic", "snapshot", "restart"} {
		if m, err := upgrade.ParseMode(s); err != nil || string(m) != s {
			t.Errorf("ParseMode(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := upgrade.ParseMode("replay"); err == nil {
		t.Error("ParseMode(replay) succeeded")
	}
}

// TestChainedUpgrades: a worker moved by snapshot (v2 -> v3) moves on by
// automatic update (v3 -> v3-11, whose load-snapshot is at another version)
// and keeps its state.
func TestChainedUpgrades(t *testing.T) {
	ctx := context.Background()
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	v2, v3, v311 := runnertest.Open(t, "golem-v1.1.0/update-test-v2.wasm"), runnertest.Open(t, "golem-v1.1.0/update-test-v3.wasm"), runnertest.Open(t, "golem-v1.1.0/update-test-v3-11.wasm")
	l := readLog(t, "golem-v1.1.0/v2-f1-f2.jsonl")
	for _, step := range []struct {
		old, nw *analyze.Artifact
		mode    upgrade.Mode
	}{{v2, v3, upgrade.Snapshot}, {v3, v311, upgrade.Automatic}, {v311, v3, upgrade.Snapshot}} {
		res, err := upgrade.Upgrade(ctx, step.old, step.nw, l, step.mode, upgrade.Options{Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != upgrade.Upgraded {
			t.Fatalf("%s -> %s %s: %s %s", step.old.Path, step.nw.Path, step.mode, res.Reason, res.Message)
		}
		var b bytes.Buffer
		if err := res.WriteLog(&b); err != nil {
			t.Fatal(err)
		}
		if l, err = eventlog.Read(&b, "worker.jsonl"); err != nil {
			t.Fatal(err)
		}
	}
	rr, err := replay.Replay(ctx, v3, l, replay.Options{Engine: eng, Keep: true})
	if err != nil || rr.Divergence != nil {
		t.Fatal(err, rr.Divergence)
	}
	defer rr.Instance.Close(ctx)
	o, err := rr.Instance.InvokeWAVE(ctx, "golem:component/api#get()")
	if err != nil || o.Trap != nil {
		t.Fatal(err, o.Trap)
	}
	if got, _ := o.ResultWAVE(); got != "150" {
		t.Errorf("get() after three upgrades = %s, want 150", got)
	}
}

// TestUpgradeRefusesAnotherBuildsLog: upgrade moves the worker of the log,
// so --from must be the build that produced the log's last events. A log
// of the new build replays on it trivially: taking it as the old build's
// worker would upgrade what Golem reverts (v1's f1 gives 300, v2's 150).
func TestUpgradeRefusesAnotherBuildsLog(t *testing.T) {
	ctx := context.Background()
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	v1, v2, v3 := runnertest.Open(t, "golem-v1.1.0/update-test-v1.wasm"), runnertest.Open(t, "golem-v1.1.0/update-test-v2.wasm"), runnertest.Open(t, "golem-v1.1.0/update-test-v3.wasm")
	tests := []struct {
		name    string
		old, nw *analyze.Artifact
		log     string
		mode    upgrade.Mode
		err     string         // "" when the upgrade is tried
		want    upgrade.Status // when tried
	}{
		{"new build's log, automatic", v1, v2, "v2-f1-f2.jsonl", upgrade.Automatic, "not the old build", ""},
		{"new build's log, restart", v1, v2, "v2-f1-f2.jsonl", upgrade.Restart, "not the old build", ""},
		{"old build's log elsewhere", v1, v3, "v2-f1-f2.jsonl", upgrade.Snapshot, "not the old build", ""},
		{"the worker's build", v2, v2, "v2-f1-f2.jsonl", upgrade.Automatic, "", upgrade.Upgraded},
		{"the worker's build, reverted", v1, v2, "v1-f1.jsonl", upgrade.Automatic, "", upgrade.Reverted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := upgrade.Upgrade(ctx, tc.old, tc.nw, readLog(t, "golem-v1.1.0/"+tc.log), tc.mode, upgrade.Options{Engine: eng})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v (%+v), want an error saying %q", err, res, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.want {
				t.Errorf("got %s (%s), want %s", res.Status, res.Message, tc.want)
			}
		})
	}
}
