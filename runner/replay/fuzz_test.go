package replay_test

import (
	"bytes"
	"encoding/json"
	"testing"

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
