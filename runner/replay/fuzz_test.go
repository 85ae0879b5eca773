package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
)

func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"1/1", "2/8", "0/0", "3/2", "/", "9999999999999999999/1", "-1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := replay.ParseShard(s)
		if err != nil {
			return
		}
		if sh.I < 1 || sh.I > sh.N {
			t.Fatalf("ParseShard(%q) = %v", s, sh)
		}
		_ = sh.Select([]string{"a", "b", "c"})
	})
}

// FuzzMerge: any JSON the --merge reader accepts merges or fails cleanly.
func FuzzMerge(f *testing.F) {
	f.Add([]byte(`{"schema":"wfcompat.replay/v1","artifact":{"path":"a","sha256":"x"},"logs":[{"log":"l","ok":false,"events":1,"invocations":1,"divergence":{"log":"l","line":2,"invocation":"f","invoke_line":2,"reason":"trap","expected":"1","actual":"2"}}],"summary":{"total":1,"ok":0,"diverged":1,"errors":0,"by_reason":{}}}`))
	f.Add([]byte(`{"schema":"wfcompat.replay/v1","logs":[null]}`))
	f.Add([]byte(`{"schema":"wfcompat.replay/v1","logs":[{"log":"l","ok":false}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var r replay.Report
		if err := dec.Decode(&r); err != nil {
			return
		}
		m, err := replay.Merge([]*replay.Report{&r})
		if err != nil {
			return
		}
		if m.Summary.Total != len(m.Logs) {
			t.Fatalf("summary %+v for %d logs", m.Summary, len(m.Logs))
		}
	})
}

// FuzzReplay: whatever log reads back, replaying it on update-test-v1
// returns a result or an error, never panics.
func FuzzReplay(f *testing.F) {
	for _, name := range []string{"v1-f2.jsonl", "v1-f3.jsonl"} {
		b, err := os.ReadFile(filepath.Join("testdata", "golem-v1.1.0", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	a := runnertest.Open(f, "golem-v1.1.0/update-test-v1.wasm")
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close(context.Background()) })
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := eventlog.Read(bytes.NewReader(b), "fuzz.jsonl")
		if err != nil {
			return
		}
		res, err := replay.Replay(context.Background(), a, l, replay.Options{Engine: eng, Runner: runner.Options{Timeout: time.Second}})
		if err == nil && res.Divergence != nil && res.Divergence.Reason == "" {
			t.Fatalf("a divergence without reason: %+v", res.Divergence)
		}
	})
}
