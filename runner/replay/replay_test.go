package replay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/runner/wasi"
)

func readLog(t testing.TB, rel string) *eventlog.Log {
	t.Helper()
	l, err := eventlog.ReadFile(filepath.Join("testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// find returns the index of the first event whose function ends in suffix.
func find(t testing.TB, l *eventlog.Log, suffix string) int {
	t.Helper()
	for k, e := range l.Events {
		if strings.HasSuffix(e.Function, suffix) {
			return k
		}
	}
	t.Fatalf("%s: no event %s", l.Name, suffix)
	return -1
}

func TestReplayReasons(t *testing.T) {
	const dir = "golem-v1.1.0/"
	tests := []struct {
		name   string
		build  string
		log    string
		edit   func(t testing.TB, l *eventlog.Log)
		opts   replay.Options
		reason replay.Reason // "" when the log replays
		line   int           // the divergence's line (0: not checked)
		exp    string
		act    string
	}{
		{name: "v1 f1 on v1", build: "update-test-v1", log: "v1-f1.jsonl"},
		{name: "v1 f2 on v1", build: "update-test-v1", log: "v1-f2.jsonl"},
		{name: "v1 f3 on v2", build: "update-test-v2", log: "v1-f3.jsonl"},
		{name: "result-mismatch", build: "update-test-v2", log: "v1-f1.jsonl", reason: replay.ResultMismatch, line: 2, exp: "300", act: "150"},
		{name: "missing-import", build: "update-test-v2", log: "v1-f2.jsonl", reason: replay.MissingImport, line: 3,
			exp: "wasi:random/random@0.2.0#get-random-bytes", act: "the invocation returned"},
		{name: "import-mismatch", build: "update-test-v1", log: "v1-f2.jsonl", reason: replay.ImportMismatch, line: 3,
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events[find(t, l, "#get-random-bytes")].Function = "wasi:random/random@0.2.0#get-random-u64"
			},
			exp: "wasi:random/random@0.2.0#get-random-u64", act: "wasi:random/random@0.2.0#get-random-bytes"},
		{name: "extra-import", build: "update-test-v1", log: "v1-f2.jsonl", reason: replay.ExtraImport, line: 2,
			edit: func(t testing.TB, l *eventlog.Log) {
				k := find(t, l, "#get-random-bytes")
				l.Events = append(l.Events[:k], l.Events[k+1:]...)
			},
			act: "wasi:random/random@0.2.0#get-random-bytes"},
		{name: "export-missing", build: "update-test-v3", log: "v1-f2.jsonl", reason: replay.ExportMissing, line: 2, exp: "golem:component/api#f2"},
		{name: "params-mismatch", build: "update-test-v1", log: "v1-f1.jsonl", reason: replay.ParamsMismatch, line: 2,
			edit: func(t testing.TB, l *eventlog.Log) { l.Events[0].Params = `("x")` }},
		{name: "unexpected-success", build: "update-test-v1", log: "v1-f3.jsonl", reason: replay.UnexpectedSuccess, line: 2,
			edit: func(t testing.TB, l *eventlog.Log) { l.Events[0].Result, l.Events[0].Trap = nil, "boom" },
			exp:  "trap: boom", act: "0"},
		{name: "trap", build: "update-test-v1", log: "v1-f1.jsonl", reason: replay.Trap, line: 2,
			// The recorded HTTP call now failed: f1 unwraps the result and panics.
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events[find(t, l, "outgoing-handler@0.2.0#handle")].Result = ptr("err(connection-refused)")
			},
			exp: "300"},
		{name: "strict", build: "update-test-v1", log: "v1-f2.jsonl", reason: replay.ImportMismatch, line: 3,
			opts: replay.Options{Strict: true},
			edit: func(t testing.TB, l *eventlog.Log) { l.Events[find(t, l, "#get-random-bytes")].Params = "(16)" }},
		{name: "not strict", build: "update-test-v1", log: "v1-f2.jsonl",
			edit: func(t testing.TB, l *eventlog.Log) { l.Events[find(t, l, "#get-random-bytes")].Params = "(16)" }},
		{name: "pending goes live", build: "update-test-v1", log: "v1-f1.jsonl",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events[0].Result, l.Events[0].Pending = nil, true
				l.Events = l.Events[:len(l.Events)/2]
			}},
		// A pending invocation's result is not compared, but the durable
		// calls the log holds were made: a build that returns or traps
		// before making them diverges.
		{name: "pending returns early", build: "update-test-v2", log: "v1-f2.jsonl", reason: replay.MissingImport, line: 3,
			edit: func(t testing.TB, l *eventlog.Log) { l.Events[0].Result, l.Events[0].Pending = nil, true },
			exp:  "wasi:random/random@0.2.0#get-random-bytes", act: "the invocation returned"},
		{name: "pending, same build", build: "update-test-v1", log: "v1-f2.jsonl",
			edit: func(t testing.TB, l *eventlog.Log) { l.Events[0].Result, l.Events[0].Pending = nil, true }},
		{name: "pending traps before the log's calls", build: "update-test-v1", log: "v1-f1.jsonl", reason: replay.Trap,
			// The first HTTP call now failed: f1 panics with 29 durable
			// calls of the log not made.
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events[0].Result, l.Events[0].Pending = nil, true
				l.Events[find(t, l, "outgoing-handler@0.2.0#handle")].Result = ptr("err(connection-refused)")
			},
			exp: "wasi:clocks/monotonic-clock@0.2.0#subscribe-duration"},
		{name: "pending traps after the log", build: "update-test-v1", log: "v1-f1.jsonl",
			// Past the log's calls the invocation runs live: what it does
			// there is not the log's to judge.
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events[0].Result, l.Events[0].Pending = nil, true
				k := find(t, l, "outgoing-handler@0.2.0#handle")
				l.Events[k].Result = ptr("err(connection-refused)")
				l.Events = l.Events[:k+1]
			}},
		// A trap where the log records one, but before the durable calls
		// the recorded code made ahead of its trap.
		{name: "traps earlier than recorded", build: "update-test-v1", log: "v1-f1.jsonl", reason: replay.MissingImport,
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events[0].Result, l.Events[0].Trap = nil, "recorded trap"
				l.Events[find(t, l, "outgoing-handler@0.2.0#handle")].Result = ptr("err(connection-refused)")
			},
			exp: "wasi:clocks/monotonic-clock@0.2.0#subscribe-duration"},
		{name: "traps as recorded", build: "update-test-v1", log: "v1-f1.jsonl",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events[0].Result, l.Events[0].Trap = nil, "recorded trap"
				k := find(t, l, "outgoing-handler@0.2.0#handle")
				l.Events[k].Result = ptr("err(connection-refused)")
				l.Events = l.Events[:k+1]
			}},
	}
	ctx := context.Background()
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := runnertest.Open(t, dir+tc.build+".wasm")
			l := readLog(t, dir+tc.log)
			if tc.edit != nil {
				tc.edit(t, l)
			}
			opts := tc.opts
			opts.Engine = eng
			res, err := replay.Replay(ctx, a, l, opts)
			if err != nil {
				t.Fatal(err)
			}
			d := res.Divergence
			if tc.reason == "" {
				if d != nil {
					t.Fatalf("diverged: %v", d)
				}
				if res.Invocations == 0 || res.Events < res.Invocations {
					t.Errorf("%d events, %d invocations", res.Events, res.Invocations)
				}
				return
			}
			if d == nil {
				t.Fatalf("replayed; want %s", tc.reason)
			}
			if d.Reason != tc.reason || tc.line != 0 && d.Line != tc.line {
				t.Errorf("got %s at line %d, want %s at line %d: %v", d.Reason, d.Line, tc.reason, tc.line, d)
			}
			if tc.exp != "" && d.Expected != tc.exp {
				t.Errorf("expected %q, want %q", d.Expected, tc.exp)
			}
			if tc.act != "" && d.Actual != tc.act {
				t.Errorf("actual %q, want %q", d.Actual, tc.act)
			}
			if d.Log != l.Name || d.InvokeLine == 0 || d.Invocation == "" {
				t.Errorf("divergence does not locate itself: %+v", d)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	for name, want := range map[string]replay.Class{
		"wasi:clocks/wall-clock@0.2.0#now":                                                      replay.Durable,
		"wasi:clocks/monotonic-clock@0.2.3#subscribe-instant":                                   replay.Live,
		"wasi:random/random@0.2.0#get-random-bytes":                                             replay.Durable,
		"wasi:cli/environment@0.2.0#get-environment":                                            replay.Durable,
		"wasi:cli/stdout@0.2.0#get-stdout":                                                      replay.Live,
		"wasi:io/streams@0.2.0#[method]output-stream.blocking-write-and-flush":                  replay.Live,
		"wasi:io/streams@0.2.0#[method]input-stream.blocking-read":                              replay.BodyRead,
		"wasi:http/outgoing-handler@0.2.0#handle":                                               replay.Durable,
		"wasi:http/types@0.2.0#[constructor]outgoing-request":                                   replay.Live,
		"wasi:keyvalue/eventual@0.1.0#get":                                                      replay.Durable,
		"wasi:sockets/tcp@0.2.0#[method]tcp-socket.connect":                                     replay.Live,
		"golem:api/host@0.2.0#get-self-metadata":                                                replay.Live,
		"golem:api/host@1.1.7#create-promise":                                                   replay.Durable,
		"golem:api/host@1.1.7#await-promise":                                                    replay.Live,
		"golem:api/host@1.1.7#mark-begin-operation":                                             replay.Durable,
		"golem:api/host@1.1.7#resolve-agent-id":                                                 replay.Durable,
		"golem:api/context@1.1.7#current-context":                                               replay.Live,
		"wasi:io/poll@0.2.0#poll":                                                               replay.Durable,
		"wasi:io/poll@0.2.0#[resource-drop]pollable":                                            replay.Live,
		"wasi:keyvalue/eventual-batch@0.1.0#get-many":                                           replay.Durable,
		"wasi:keyvalue/types@0.1.0#[static]bucket.open-bucket":                                  replay.Live,
		"wasi:keyvalue/atomic@0.1.0#increment":                                                  replay.Durable,
		"wasi:sockets/ip-name-lookup@0.2.0#resolve-addresses":                                   replay.Durable,
		"wasi:sockets/ip-name-lookup@0.2.0#[method]resolve-address-stream.resolve-next-address": replay.Live,
		"wasi:filesystem/types@0.2.0#[method]descriptor.stat":                                   replay.Durable,
		"wasi:filesystem/preopens@0.2.0#get-directories":                                        replay.Live,
		"rpc:counters-client/api#[method]counter.inc":                                           replay.Durable,
	} {
		if got := replay.Classify(name); got != want {
			t.Errorf("Classify(%s) = %s, want %s", name, got, want)
		}
	}
}

func TestShard(t *testing.T) {
	paths := []string{"e", "a", "d", "b", "c", "a"}
	seen := map[string]int{}
	for i := 1; i <= 3; i++ {
		for _, p := range (replay.Shard{I: i, N: 3}).Select(paths) {
			seen[p]++
		}
	}
	if diff := cmp.Diff(map[string]int{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, seen); diff != "" {
		t.Errorf("shards do not partition the logs (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"0/2", "3/2", "x/2", "1", "1/0"} {
		if _, err := replay.ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) succeeded", bad)
		}
	}
	if s, err := replay.ParseShard("2/8"); err != nil || s != (replay.Shard{I: 2, N: 8}) {
		t.Errorf("ParseShard(2/8) = %v, %v", s, err)
	}
}

func TestReplayFilesShardsMerge(t *testing.T) {
	a := runnertest.Open(t, "golem-v1.1.0/update-test-v2.wasm")
	logs, err := filepath.Glob("testdata/golem-v1.1.0/v1-*.jsonl")
	if err != nil || len(logs) != 4 {
		t.Fatalf("fixtures: %v %v", logs, err)
	}
	// A log named twice counts once.
	logs = append(logs, "testdata/no-such-log.jsonl", "testdata/./"+strings.TrimPrefix(logs[0], "testdata/"))
	ctx := context.Background()
	opts := replay.BatchOptions{Options: replay.Options{Runner: runner.Options{CacheDir: runnertest.Cache()}}, Jobs: 2}
	whole, err := replay.ReplayFiles(ctx, a, logs, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := replay.Summary{Total: 5, OK: 2, Diverged: 2, Errors: 1,
		ByReason: map[string]int{"result-mismatch": 1, "missing-import": 1}}
	if diff := cmp.Diff(want, whole.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	var parts []*replay.Report
	for i := 1; i <= 2; i++ {
		opts.Shard = replay.Shard{I: i, N: 2}
		r, err := replay.ReplayFiles(ctx, a, logs, opts)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, r)
	}
	merged, err := replay.Merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, merged.Summary); diff != "" {
		t.Errorf("merged summary (-want +got):\n%s", diff)
	}
	if _, err := replay.Merge([]*replay.Report{parts[0], parts[0]}); err == nil {
		t.Error("merging a shard twice succeeded")
	}
}

func ptr(s string) *string { return &s }

// A durable import line that follows no invoke line (before the first
// invocation, or after a marker) belongs to nothing a replay runs: the log
// is refused rather than replayed without it. Live lines there are skipped.
func TestReplayStrayImport(t *testing.T) {
	marker := func(l *eventlog.Log) *eventlog.Event {
		return &eventlog.Event{Type: eventlog.TypeSnapshot, Op: eventlog.OpSave}
	}
	tests := []struct {
		name string
		edit func(t testing.TB, l *eventlog.Log)
		err  string // "" when the log replays
	}{
		{name: "durable before the first invocation", err: "get-random-bytes follows no invoke line",
			edit: func(t testing.TB, l *eventlog.Log) {
				k := find(t, l, "#get-random-bytes")
				im := l.Events[k]
				l.Events = append([]*eventlog.Event{im}, l.Events...)
			}},
		{name: "durable after a marker", err: "follows no invoke line",
			edit: func(t testing.TB, l *eventlog.Log) {
				k := find(t, l, "#get-random-bytes")
				rest := append([]*eventlog.Event{marker(l)}, l.Events[k:]...)
				l.Events = append(l.Events[:k:k], rest...)
			}},
		{name: "live after a marker",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events = append(l.Events, marker(l), &eventlog.Event{Type: eventlog.TypeImport,
					Function: "wasi:cli/stdout@0.2.0#get-stdout", Params: "()", Result: ptr("2"), Line: 99})
			}},
	}
	ctx := context.Background()
	a := runnertest.Open(t, "golem-v1.1.0/update-test-v1.wasm")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := readLog(t, "golem-v1.1.0/v1-f2.jsonl")
			tc.edit(t, l)
			res, err := replay.Replay(ctx, a, l, replay.Options{Runner: runner.Options{CacheDir: runnertest.Cache()}})
			if tc.err == "" {
				if err != nil || res.Divergence != nil {
					t.Fatalf("got %v, %v; want a replay", err, res)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v (result %+v), want an error saying %q", err, res, tc.err)
			}
		})
	}
}

// Merge refuses what would make a summary pass without every log: a
// missing shard, shards of different splits, sharded and unsharded reports
// together, and a log both ok and failed.
func TestMergeRefuses(t *testing.T) {
	rep := func(shard string, logs ...*replay.LogResult) *replay.Report {
		r := &replay.Report{Schema: replay.Schema, Artifact: replay.ArtifactInfo{Path: "new.wasm", SHA256: "ab"}, Logs: logs}
		if shard != "" {
			r.Shards = []string{shard}
		}
		return r
	}
	ok := func(name string) *replay.LogResult { return &replay.LogResult{Log: name, OK: true} }
	div := &replay.Divergence{Reason: replay.ResultMismatch}
	tests := []struct {
		name    string
		reports []*replay.Report
		err     string // "" when they merge
	}{
		{name: "all shards", reports: []*replay.Report{rep("2/2", ok("b")), rep("1/2", ok("a"))}},
		{name: "unsharded reports", reports: []*replay.Report{rep("", ok("a")), rep("", ok("b"))}},
		{name: "a shard missing", reports: []*replay.Report{rep("1/3", ok("a")), rep("3/3", ok("c"))}, err: "shard 2/3 is missing"},
		{name: "one shard of several", reports: []*replay.Report{rep("1/4", ok("a"))}, err: "2/4, 3/4, 4/4 is missing"},
		{name: "different splits", reports: []*replay.Report{rep("1/2", ok("a")), rep("2/3", ok("b"))}, err: "different splits"},
		{name: "sharded and not", reports: []*replay.Report{rep("1/1", ok("a")), rep("", ok("b"))}, err: "not sharded"},
		{name: "ok and diverged", reports: []*replay.Report{rep("", &replay.LogResult{Log: "a", OK: true, Divergence: div})}, err: "ok and has a divergence"},
		{name: "ok and an error", reports: []*replay.Report{rep("", &replay.LogResult{Log: "a", OK: true, Error: "x"})}, err: "ok and has a divergence or an error"},
		{name: "bad shard", reports: []*replay.Report{rep("0/2", ok("a"))}, err: "names shard"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := replay.Merge(tc.reports)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if m.Summary.Total != len(m.Logs) || m.Summary.OK != m.Summary.Total {
					t.Errorf("summary %+v", m.Summary)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v, want an error saying %q", err, tc.err)
			}
		})
	}
}

// The replay host has no file system, and gives every HTTP response one
// status and no headers,
// where Golem replays each response head from the oplog: a log recording
// another status, or response headers, is refused rather than replayed on
// responses it never had (status and header reads are live, never
// compared: it passed); so is a log that found preopened directories.
func TestReplayHostWorld(t *testing.T) {
	nth := func(t testing.TB, l *eventlog.Log, suffix string, n int) *eventlog.Event {
		for _, e := range l.Events {
			if strings.HasSuffix(e.Function, suffix) {
				if n--; n == 0 {
					return e
				}
			}
		}
		t.Fatalf("no event %s", suffix)
		return nil
	}
	tests := []struct {
		name string
		edit func(t testing.TB, l *eventlog.Log)
		http *wasi.HTTPResponse // --http-respond
		err  string             // "" when the log replays
	}{
		{name: "as recorded"},
		{name: "as recorded, --http-respond 200", http: &wasi.HTTPResponse{Status: 200}},
		{name: "--http-respond 404", http: &wasi.HTTPResponse{Status: 404}, err: "records HTTP status 200, but the replay host answers every request with status 404"},
		{name: "a later response was 503", err: "records HTTP status 503",
			edit: func(t testing.TB, l *eventlog.Log) {
				nth(t, l, "#[method]incoming-response.status", 2).Result = ptr("503")
			}},
		{name: "preopened directories", err: "records preopened directories",
			edit: func(t testing.TB, l *eventlog.Log) {
				nth(t, l, "preopens@0.2.0#get-directories", 1).Result = ptr(`[(3, "/")]`)
			}},
		{name: "stdin data", err: "records data read from stdin",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events = append(l.Events, &eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:io/streams@0.2.0#[method]input-stream.blocking-read",
					Params: "(1, 4096)", Result: ptr("ok([104, 105])"), Line: 999})
			}},
		{name: "stdin data skipped", err: "records data read from stdin",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events = append(l.Events, &eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:io/streams@0.2.0#[method]input-stream.blocking-skip",
					Params: "(1, 4096)", Result: ptr("ok(2)"), Line: 999})
			}},
		{name: "stdin empty, skipped",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events = append(l.Events, &eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:io/streams@0.2.0#[method]input-stream.skip",
					Params: "(1, 4096)", Result: ptr("ok(0)"), Line: 999})
			}},
		{name: "stdin empty",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events = append(l.Events, &eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:io/streams@0.2.0#[method]input-stream.blocking-read",
					Params: "(1, 4096)", Result: ptr("err(closed)"), Line: 999})
			}},
		{name: "response headers", err: "records HTTP response headers",
			edit: func(t testing.TB, l *eventlog.Log) {
				nth(t, l, "#[method]fields.entries", 1).Result = ptr(`[("retry-after", [49])]`)
			}},
		// Read through a copy (it passed: only the response's own fields
		// handle was followed).
		{name: "response headers of a clone", err: "records HTTP response headers",
			edit: func(t testing.TB, l *eventlog.Log) {
				h := *nth(t, l, "#[method]incoming-response.headers", 1).Result
				l.Events = append(l.Events,
					&eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:http/types@0.2.0#[method]fields.clone", Params: "(" + h + ")", Result: ptr("999"), Line: 998},
					&eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:http/types@0.2.0#[method]fields.entries", Params: "(999)", Result: ptr(`[("retry-after", [49])]`), Line: 999})
			}},
		{name: "a clone of other fields",
			edit: func(t testing.TB, l *eventlog.Log) {
				l.Events = append(l.Events,
					&eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:http/types@0.2.0#[method]fields.clone", Params: "(4)", Result: ptr("999"), Line: 998},
					&eventlog.Event{Type: eventlog.TypeImport, Function: "wasi:http/types@0.2.0#[method]fields.entries", Params: "(999)", Result: ptr(`[("accept", [42])]`), Line: 999})
			}},
	}
	ctx := context.Background()
	a := runnertest.Open(t, "golem-v1.1.0/update-test-v1.wasm")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := readLog(t, "golem-v1.1.0/v1-f1.jsonl")
			if tc.edit != nil {
				tc.edit(t, l)
			}
			res, err := replay.Replay(ctx, a, l, replay.Options{Runner: runner.Options{CacheDir: runnertest.Cache(), HTTP: tc.http}})
			if tc.err == "" {
				if err != nil || res.Divergence != nil {
					t.Fatalf("got %v, %+v; want a replay", err, res)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v (result %+v), want an error saying %q", err, res, tc.err)
			}
		})
	}
}

// TestReplaySandboxStopMatchesNoTrap: a build the runner stopped (a
// timeout, a cancellation) where the log records a trap diverges: the
// build was not seen to trap, and a timeout after the log's last durable
// call would otherwise pass as the recorded trap. A trap of the
// program's own replays.
func TestReplaySandboxStopMatchesNoTrap(t *testing.T) {
	ctx := context.Background()
	a, eng, oneCall := oneCallFixture(t, "restart-old.wasm")
	for _, tc := range []struct {
		name, call string
		opts       runner.Options
		diverges   bool
	}{
		{"a trap of the program's own", "div", runner.Options{}, false},
		{"stopped by the timeout", "spin", runner.Options{Timeout: 100 * time.Millisecond}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := oneCall("stop.jsonl", tc.call, "(0)", `"trap":"recorded trap"`)
			res, err := replay.Replay(ctx, a, l, replay.Options{Engine: eng, Runner: tc.opts})
			if err != nil {
				t.Fatal(err)
			}
			d := res.Divergence
			if (d != nil) != tc.diverges {
				t.Fatalf("divergence %v, want one: %v", d, tc.diverges)
			}
			if d != nil && (d.Reason != replay.Trap || !strings.Contains(d.Detail, "the runner stopped the build (timeout)")) {
				t.Errorf("divergence %+v, want %s saying the runner stopped the build", d, replay.Trap)
			}
		})
	}
}

// TestReplayHostStopProvesNothing: a build the runner's host stopped
// (host-trap.wasm's quit calls an import the host lacks, stubbed by
// StubMissing: runner.TrapHost) where the log records a trap does not
// replay as a match: the replay is not proven (an error), neither a match
// nor a divergence, since the host's failure says nothing about the build.
// The program's own trap (div(0)) still matches the log's trap.
func TestReplayHostStopProvesNothing(t *testing.T) {
	ctx := context.Background()
	a, eng, oneCall := oneCallFixture(t, "host-trap.wasm")
	for _, tc := range []struct {
		name, call string
		recorded   string // the log's outcome of the call
		err        string // "" when the log replays
	}{
		{name: "a trap of the program's own", call: "div", recorded: `"trap":"recorded trap"`},
		{name: "host stop where the log records a trap", call: "quit", recorded: `"trap":"recorded trap"`,
			err: "stop.jsonl:2: quit: not proven: the runner's host could not run this (trap in quit (core function quit at "},
		{name: "host stop where the log records a return", call: "quit", recorded: `"result":"7"`,
			err: "not proven: the runner's host could not run this"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := oneCall("stop.jsonl", tc.call, "(0)", tc.recorded)
			res, err := replay.Replay(ctx, a, l, replay.Options{Engine: eng, Runner: runner.Options{StubMissing: true}})
			if tc.err == "" {
				if err != nil || res.Divergence != nil {
					t.Fatalf("got %v (divergence %v), want the log to replay", err, res.Divergence)
				}
				return
			}
			if err == nil {
				t.Fatalf("replayed (divergence %v), want an error saying %q", res.Divergence, tc.err)
			}
			if !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "exit-with-code, which the host does not provide") {
				t.Errorf("error %q does not say %q and name the import", err, tc.err)
			}
		})
	}
}

// TestReplayMemoryLimitComponent: a component (bench.wasm, whose
// points(n) allocates its list through realloc, which traps when its
// memory.grow is refused) that traps only because the runner's memory
// limit refused a grow its memory's maximum allows (runner.TrapMemoryLimit)
// does not replay as the log's trap; without the limit it returns, where
// the log records a trap: unexpected-success.
func TestReplayMemoryLimitComponent(t *testing.T) {
	const page = 65536
	ctx := context.Background()
	a, eng, oneCall := oneCallFixture(t, "bench.wasm")
	for _, tc := range []struct {
		name   string
		opts   runner.Options
		reason replay.Reason
		detail string
	}{
		{"under the limit", runner.Options{MaxMemory: 2 * page}, replay.Trap,
			"the runner stopped the build (memory-limit): a build the sandbox stopped does not match the log's trap"},
		{"without the limit", runner.Options{}, replay.UnexpectedSuccess, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := oneCall("mem.jsonl", "points", "(100000)", `"trap":"recorded trap"`)
			res, err := replay.Replay(ctx, a, l, replay.Options{Engine: eng, Runner: tc.opts})
			if err != nil {
				t.Fatal(err)
			}
			d := res.Divergence
			if d == nil || d.Reason != tc.reason || !strings.Contains(d.Detail, tc.detail) {
				t.Fatalf("divergence %+v, want %s saying %q", d, tc.reason, tc.detail)
			}
		})
	}
}

// oneCallFixture opens the runner fixture name (runner/testdata) and an
// engine without a compilation cache (closed with the test), and returns
// them with oneCall, which reads a log of the fixture, named file, of one
// invocation: call with params and outcome (a JSON member of the invoke
// line: "trap":…, "result":…).
func oneCallFixture(t *testing.T, name string) (*analyze.Artifact, *runner.Engine, func(file, call, params, outcome string) *eventlog.Log) {
	t.Helper()
	a, err := analyze.Open(filepath.Join("..", "testdata", name), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := runner.NewEngine("off")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(context.Background()) })
	world, err := json.Marshal(a.World)
	if err != nil {
		t.Fatal(err)
	}
	return a, eng, func(file, call, params, outcome string) *eventlog.Log {
		t.Helper()
		text := fmt.Sprintf(`{"type":"header","schema":"wfcompat.eventlog/v1","sha256":%q,"version_id":%q,"world":%s}
{"type":"invoke","function":%q,"params":%q,%s}
`, a.SHA256, "sha256:"+a.SHA256[:12], world, call, params, outcome)
		l, err := eventlog.Read(strings.NewReader(text), file)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
}
