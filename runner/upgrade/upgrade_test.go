package upgrade_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	eng := testEngine(t)
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
	eng := testEngine(t)
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
	eng := testEngine(t)
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

// TestRestartOutcomes: a rerun is judged by the outcome the log records
// for the old build. Where the old build returned, the new build must
// return (results are not compared); where it trapped, the new build must
// trap, and so must the old build rerun the same way, or a trap of the
// worker's state or world would excuse a trap of the new build's own.
// restart-old's div traps on 0 (a division by zero) and returns 14 for 7;
// restart-new's div traps on 0 (unreachable: another trap) and on 7; fix
// traps on 0 in the old build and returns 0 in the new one. The logs were
// recorded on restart-old (runner/replay/testdata/gen.sh).
func TestRestartOutcomes(t *testing.T) {
	open := func(name string) *analyze.Artifact {
		a, err := analyze.Open(filepath.Join("..", "testdata", name), analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	old, nw := open("restart-old.wasm"), open("restart-new.wasm")
	notBinary := *old // a build known by its world and digest only
	notBinary.Bytes, notBinary.Component = nil, nil
	// beforeMarker makes the log's events another build's: the header names
	// another digest and an automatic upgrade to the old build follows them.
	beforeMarker := func(l *eventlog.Log) {
		h := *l.Header
		h.SHA256 = strings.Repeat("ab", 32)
		l.Header = &h
		l.Events = append(l.Events, &eventlog.Event{Type: eventlog.TypeUpgrade, SHA256: old.SHA256, VersionID: "v-old", Mode: eventlog.ModeReplay, Line: 3})
	}
	tests := []struct {
		name     string
		old, nw  *analyze.Artifact
		log      string
		edit     func(l *eventlog.Log)
		opts     runner.Options
		reason   string // "" when upgraded
		failures int
		line     int    // the first failure's
		msg      string // in the message
	}{
		// Today's cases: the new build returns where the old build returned.
		{name: "old returned, new returns", old: old, nw: nw, log: "div5.jsonl"},
		{name: "old returned, new traps", old: old, nw: nw, log: "div7.jsonl", reason: string(replay.Trap), failures: 1, line: 2,
			msg: "the new build traps (trap in div (core function div at m.$0(i32) i32): wasm error: unreachable) where the old build returned 14"},
		// The old build trapped on the input.
		{name: "old trapped, new traps (another trap)", old: old, nw: nw, log: "div0.jsonl"},
		{name: "old trapped, new is the old build", old: old, nw: old, log: "div0.jsonl"},
		{name: "old trapped, new returns", old: old, nw: nw, log: "fix0.jsonl", reason: string(replay.UnexpectedSuccess), failures: 1, line: 2,
			msg: "the new build returns 0 where the log records a trap (trap in fix (core function div at m.$0(i32) i32): wasm error: integer divide by zero); the old build rerun the same way traps too"},
		// The log records traps of an instance that had trapped before
		// (div(5), div(7)): the old build rerun afresh returns.
		{name: "state's trap, both return afresh", old: old, nw: nw, log: "poisoned.jsonl",
			edit: func(l *eventlog.Log) { l.Events = l.Events[:2] }},
		{name: "state's trap, new traps afresh", old: old, nw: nw, log: "poisoned.jsonl", reason: string(replay.Trap), failures: 1, line: 4,
			msg: "but the old build rerun the same way returns 14: the recorded trap came from the worker's state or world, not from this input"},
		// What the log cannot say stays a failure when the new build traps.
		{name: "pending, new traps", old: old, nw: nw, log: "div0.jsonl", reason: string(replay.Trap), failures: 1, line: 2,
			edit: func(l *eventlog.Log) { l.Events[0].Trap, l.Events[0].Pending = "", true },
			msg:  "the invocation was pending when the log ended, so the log does not say what the old build did"},
		{name: "pending, new returns", old: old, nw: nw, log: "div5.jsonl",
			edit: func(l *eventlog.Log) { l.Events[0].Result, l.Events[0].Pending = nil, true }},
		{name: "another build's trap, new traps", old: old, nw: nw, log: "div0.jsonl", edit: beforeMarker, reason: string(replay.Trap), failures: 1, line: 2,
			msg: "was recorded before the upgrade marker at line 3, by another build than the old one"},
		{name: "another build's trap, new returns", old: old, nw: nw, log: "fix0.jsonl", edit: beforeMarker, reason: string(replay.UnexpectedSuccess), failures: 1, line: 2,
			msg: "the new build returns 0 where the log records a trap (trap in fix (core function div at m.$0(i32) i32): wasm error: integer divide by zero); the old build rerun the same way traps too"},
		{name: "another build's trap, both return afresh", old: old, nw: nw, log: "poisoned.jsonl",
			edit: func(l *eventlog.Log) { l.Events = l.Events[1:2]; beforeMarker(l) }},
		{name: "old build not rerunnable, new traps", old: &notBinary, nw: nw, log: "div0.jsonl", reason: string(replay.Trap), failures: 1, line: 2,
			msg: "cannot be rerun (it is not a binary), so the trap cannot be shown to be the input's"},
		{name: "old build not rerunnable, new returns", old: &notBinary, nw: nw, log: "fix0.jsonl", reason: string(replay.UnexpectedSuccess), failures: 1, line: 2,
			msg: "cannot be rerun"},
		// A timeout is no trap: the build was cut off, not seen to trap.
		{name: "old trapped by timeout, new cut off", old: old, nw: nw, log: "spin.jsonl", opts: runner.Options{Timeout: 200 * time.Millisecond},
			reason: string(replay.Trap), failures: 1, line: 2, msg: "a build cut off is not seen to trap"},
	}
	ctx := context.Background()
	eng := testEngine(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := readLog(t, "restart/"+tc.log)
			if tc.edit != nil {
				tc.edit(l)
			}
			res, err := upgrade.Upgrade(ctx, tc.old, tc.nw, l, upgrade.Restart, upgrade.Options{Engine: eng, Runner: tc.opts})
			if err != nil {
				t.Fatal(err)
			}
			want := upgrade.Upgraded
			if tc.reason != "" {
				want = upgrade.Reverted
			}
			if res.Status != want || res.Reason != tc.reason || len(res.Restart) != tc.failures {
				t.Fatalf("got %s %q with %d failures (%s), want %s %q with %d", res.Status, res.Reason, len(res.Restart), res.Message, want, tc.reason, tc.failures)
			}
			if res.Invocations == 0 {
				t.Error("no invocation rerun")
			}
			if tc.failures == 0 {
				return
			}
			if f := res.Restart[0]; f.Line != tc.line || f.Reason != tc.reason {
				t.Errorf("first failure %+v, want line %d %s", f, tc.line, tc.reason)
			}
			if !strings.Contains(res.Restart[0].Message, tc.msg) || !strings.Contains(res.Message, tc.msg) {
				t.Errorf("message %q does not say %q", res.Restart[0].Message, tc.msg)
			}
		})
	}
}

// TestRestartSandboxTraps: a rerun that the sandbox stopped (its timeout,
// the caller's cancellation) or that trapped after the runner's memory
// limit refused a grow (runner.TrapMemoryLimit) never matches a recorded
// trap: the build was not seen to trap. grow.wasm's grow(n) traps when its
// memory (1 page, maximum 4) cannot grow by n pages; the log is recorded
// on it, under the same limit as the rerun, so the old build's rerun traps
// the same way and only the kind tells the sandbox's trap from the
// program's. bench.wasm, a component, does the same for components.
func TestRestartSandboxTraps(t *testing.T) {
	const page = 65536
	open := func(name string) *analyze.Artifact {
		a, err := analyze.Open(filepath.Join("..", "testdata", name), analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	grow, old, nw := open("grow.wasm"), open("restart-old.wasm"), open("restart-new.wasm")
	bench := open("bench.wasm") // a component: points(n)'s realloc grows its memory, and traps when refused
	ctx := context.Background()
	eng := testEngine(t)
	// record runs call on a, as the worker did, and returns its log.
	record := func(t *testing.T, a *analyze.Artifact, call string, opts runner.Options) *eventlog.Log {
		var b bytes.Buffer
		opts.Log = &b
		i, err := eng.Instantiate(ctx, a, opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := i.InvokeWAVE(ctx, call); err != nil {
			t.Fatal(err)
		}
		i.Close(ctx)
		l, err := eventlog.Read(&b, "recorded")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	limited := runner.Options{MaxMemory: 2 * page}
	tests := []struct {
		name     string
		old, nw  *analyze.Artifact
		call     string
		record   runner.Options // the old build's, recording the log
		rerun    runner.Options // both builds', rerun
		cancel   time.Duration  // the caller's context ends after it (0: never)
		log      string         // a log of runner/replay/testdata instead of recording one
		reason   string         // "" when upgraded
		msg      string
		wantTrap string // what the log records
	}{
		{name: "memory limit refuses the grow", old: grow, nw: grow, call: "grow(2)", record: limited, rerun: limited,
			reason: string(replay.Trap), wantTrap: "wasm error: unreachable",
			msg: "the new build trapped after the runner's memory limit refused to grow its memory (trap in grow"},
		{name: "the memory's own maximum refuses the grow", old: grow, nw: grow, call: "grow(9)", record: limited, rerun: limited,
			wantTrap: "wasm error: unreachable"},
		{name: "recorded under the limit, rerun without it", old: grow, nw: grow, call: "grow(2)", record: limited,
			wantTrap: "wasm error: unreachable"},
		{name: "component: memory limit refuses the realloc's grow", old: bench, nw: bench, call: "points(100000)", record: limited, rerun: limited,
			reason: string(replay.Trap), wantTrap: "wasm error: unreachable",
			msg: "the new build trapped after the runner's memory limit refused to grow its memory (trap in points"},
		{name: "component: recorded under the limit, rerun without it", old: bench, nw: bench, call: "points(100000)", record: limited,
			wantTrap: "wasm error: unreachable"},
		{name: "canceled", old: old, nw: nw, log: "restart/spin.jsonl", cancel: 200 * time.Millisecond,
			reason: string(replay.Trap), msg: "the new build did not finish (trap in spin: canceled: context deadline exceeded; the instance was closed) where the log records a trap"},
		{name: "timeout", old: old, nw: nw, log: "restart/spin.jsonl", rerun: runner.Options{Timeout: 100 * time.Millisecond},
			reason: string(replay.Trap), msg: "a build cut off is not seen to trap"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l *eventlog.Log
			if tc.log != "" {
				l = readLog(t, tc.log)
			} else {
				l = record(t, tc.old, tc.call, tc.record)
				if len(l.Events) != 1 || !strings.Contains(l.Events[0].Trap, tc.wantTrap) {
					t.Fatalf("the recorded log is not one trap %q: %+v", tc.wantTrap, l.Events)
				}
			}
			uctx := ctx
			if tc.cancel > 0 {
				var cancel context.CancelFunc
				uctx, cancel = context.WithTimeout(ctx, tc.cancel)
				defer cancel()
			}
			res, err := upgrade.Upgrade(uctx, tc.old, tc.nw, l, upgrade.Restart, upgrade.Options{Engine: eng, Runner: tc.rerun})
			if err != nil {
				t.Fatal(err)
			}
			want := upgrade.Upgraded
			if tc.reason != "" {
				want = upgrade.Reverted
			}
			if res.Status != want || res.Reason != tc.reason || res.Invocations != 1 {
				t.Fatalf("got %s %q after %d invocations (%s), want %s %q after 1", res.Status, res.Reason, res.Invocations, res.Message, want, tc.reason)
			}
			if tc.reason != "" && (len(res.Restart) != 1 || !strings.Contains(res.Restart[0].Message, tc.msg)) {
				t.Errorf("failures %+v do not say %q", res.Restart, tc.msg)
			}
		})
	}
}

// testEngine returns an engine on the tests' compilation cache, closed
// when the test ends.
func testEngine(t testing.TB) *runner.Engine {
	t.Helper()
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(context.Background()) })
	return eng
}

// TestRestartHostStop: a rerun the runner's host stopped (host-trap.wasm's
// quit calls an import the host lacks, stubbed by StubMissing:
// runner.TrapHost) never matches the log's trap: the restart is not
// proven (an error naming the invocation), unless another invocation
// fails it, which still reverts.
func TestRestartHostStop(t *testing.T) {
	ctx := context.Background()
	a, err := analyze.Open(filepath.Join("..", "testdata", "host-trap.wasm"), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	world, err := json.Marshal(a.World)
	if err != nil {
		t.Fatal(err)
	}
	eng := testEngine(t)
	tests := []struct {
		name   string
		events []string // invoke lines after the header
		err    string   // the error, when not proven
		reason string   // the revert's reason, when it fails
	}{
		{name: "host stop where the log records a trap",
			events: []string{`{"type":"invoke","function":"quit","params":"(0)","trap":"recorded trap"}`},
			err:    "hosttrap.jsonl:2: quit: the new build: not proven: the runner's host could not run this (trap in quit"},
		{name: "host stop beside the program's own trap, as recorded",
			events: []string{`{"type":"invoke","function":"div","params":"(0)","trap":"recorded trap"}`,
				`{"type":"invoke","function":"quit","params":"(1)","trap":"recorded trap"}`},
			err: "hosttrap.jsonl:3: quit: the new build: not proven"},
		{name: "another invocation fails",
			events: []string{`{"type":"invoke","function":"quit","params":"(0)","trap":"recorded trap"}`,
				`{"type":"invoke","function":"div","params":"(0)","result":"1"}`},
			reason: string(replay.Trap)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := fmt.Sprintf(`{"type":"header","schema":"wfcompat.eventlog/v1","sha256":%q,"version_id":%q,"world":%s}
%s
`, a.SHA256, "sha256:"+a.SHA256[:12], world, strings.Join(tc.events, "\n"))
			l, err := eventlog.Read(strings.NewReader(text), "hosttrap.jsonl")
			if err != nil {
				t.Fatal(err)
			}
			res, err := upgrade.Upgrade(ctx, a, a, l, upgrade.Restart, upgrade.Options{Engine: eng, Runner: runner.Options{StubMissing: true}})
			if tc.err != "" {
				if err == nil {
					t.Fatalf("got %s %q (%s), want an error saying %q", res.Status, res.Reason, res.Message, tc.err)
				}
				if !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "exit-with-code, which the host does not provide") {
					t.Errorf("error %q does not say %q and name the import", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != upgrade.Reverted || res.Reason != tc.reason || len(res.Restart) != 1 || res.Restart[0].Function != "div" {
				t.Errorf("got %s %q (%+v), want reverted %q for div", res.Status, res.Reason, res.Restart, tc.reason)
			}
		})
	}
}
