package replay_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/runner/wasi"
)

// f1Calls invocations of update-test-v2's f1(0) (about 790 events each,
// with 30 HTTP requests) make a log of about 10,000 events.
const f1Calls = 13

// record runs the invocations live on update-test-v2, recording the log.
func recordV2(b *testing.B, eng *runner.Engine, log *bytes.Buffer) {
	ctx := context.Background()
	a := runnertest.Open(b, "golem-v1.1.0/update-test-v2.wasm")
	opts := runner.Options{HTTP: &wasi.HTTPResponse{Status: 200}}
	if log != nil {
		opts.Log = log
	}
	i, err := eng.Instantiate(ctx, a, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer i.Close(ctx)
	for k := 0; k < f1Calls; k++ {
		o, err := i.InvokeWAVE(ctx, "golem:component/api#f1(0)")
		if err != nil || o.Trap != nil {
			b.Fatal(err, o.Trap)
		}
	}
}

// BenchmarkLive runs the invocations of the 10,000-event log live (with
// recording, as the worker that wrote the log did).
func BenchmarkLive(b *testing.B) {
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close(context.Background())
	var log bytes.Buffer
	recordV2(b, eng, &log)
	l, err := eventlog.Read(bytes.NewReader(log.Bytes()), "v2.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	for _, rec := range []bool{true, false} {
		b.Run(fmt.Sprintf("log=%v", rec), func(b *testing.B) {
			b.ReportAllocs()
			for n := 0; n < b.N; n++ {
				var out *bytes.Buffer
				if rec {
					out = &bytes.Buffer{}
				}
				recordV2(b, eng, out)
			}
			b.ReportMetric(float64(len(l.Events)*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkReplay replays the 10,000-event log on update-test-v2: compare
// its time per op with BenchmarkLive's (the overhead of replay).
func BenchmarkReplay(b *testing.B) {
	ctx := context.Background()
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close(ctx)
	var log bytes.Buffer
	recordV2(b, eng, &log)
	l, err := eventlog.Read(bytes.NewReader(log.Bytes()), "v2.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	a := runnertest.Open(b, "golem-v1.1.0/update-test-v2.wasm")
	b.SetBytes(int64(log.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		res, err := replay.Replay(ctx, a, l, replay.Options{Engine: eng})
		if err != nil {
			b.Fatal(err)
		}
		if res.Divergence != nil {
			b.Fatal(res.Divergence)
		}
	}
	b.ReportMetric(float64(len(l.Events)*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReplayFiles replays 1,000 logs (update-test-v1 logs of f3 calls)
// on update-test-v2 with -j 1 and -j 2.
func BenchmarkReplayFiles(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "golem-v1.1.0", "v1-f3.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	paths := make([]string, 1000)
	for k := range paths {
		paths[k] = filepath.Join(dir, fmt.Sprintf("log-%04d.jsonl", k))
		if err := os.WriteFile(paths[k], src, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	a := runnertest.Open(b, "golem-v1.1.0/update-test-v2.wasm")
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("j%d", jobs), func(b *testing.B) {
			ctx := context.Background()
			eng, err := runner.NewEngine(runnertest.Cache())
			if err != nil {
				b.Fatal(err)
			}
			defer eng.Close(ctx)
			b.ReportAllocs()
			for n := 0; n < b.N; n++ {
				rep, err := replay.ReplayFiles(ctx, a, paths, replay.BatchOptions{Options: replay.Options{Engine: eng}, Jobs: jobs})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Summary.OK != len(paths) {
					b.Fatalf("%+v", rep.Summary)
				}
			}
			b.ReportMetric(float64(len(paths)*b.N)/b.Elapsed().Seconds(), "logs/s")
		})
	}
}
