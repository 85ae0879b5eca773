package eventlog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzRead checks that any input either reads, and then writes back to the
// same header and events, or fails with one *Error on one line naming the
// file — never a panic.
//
//	go test ./eventlog -run=^$ -fuzz=FuzzRead -parallel=1 -fuzztime=2m
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.jsonl")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(hdr + "\n" + `{"type":"invoke","function":"f","params":"()","trap":"x"}`))
	f.Add([]byte(hdr + "\n" + `{"type":"upgrade","sha256":"` + d2 + `","version_id":"v","mode":"in-flight"}`))
	f.Add([]byte(`{"type":"header","schema":"wfcompat.eventlog/v1","sha256":"` + d1 + `","version_id":"v","world":{"name":"w","imports":[],"exports":[{"name":"f","kind":"function","function":{"name":"f","params":[{"name":"a","type":{"kind":"list","elem":{"kind":"u8"}}}]}}]}}`))
	f.Add([]byte("{\"type\":\"header\"\n"))
	f.Add([]byte("\xef\xbb\xbf" + hdr + "\n"))
	f.Add([]byte(`{"type":"invoke","function":"f","params":"()","result":""}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bytes.NewReader(in), "F")
		r.MaxLineSize = 1 << 16
		var events []*Event
		h, err := r.Header()
		for err == nil {
			var e *Event
			e, err = r.Next()
			if e != nil {
				events = append(events, e)
			}
		}
		if err.Error() != "EOF" {
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "F") || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("bad error message %q", msg)
			}
			return
		}
		var out bytes.Buffer
		w, err := NewWriter(&out, *h)
		if err != nil {
			t.Fatalf("NewWriter refused a header the reader accepted: %v", err)
		}
		for _, e := range events {
			if err := w.Write(e); err != nil {
				t.Fatalf("Write refused an event the reader accepted: %v", err)
			}
		}
		l, err := Read(&out, "F2")
		if err != nil {
			t.Fatalf("rereading what the writer wrote: %v\n%s", err, out.Bytes())
		}
		if diff := cmp.Diff(h, l.Header); diff != "" {
			t.Fatalf("header changed (-read +reread):\n%s", diff)
		}
		// Line numbers differ when the input had blank lines.
		for _, e := range events {
			e.Line = 0
		}
		for _, e := range l.Events {
			e.Line = 0
		}
		if diff := cmp.Diff(events, l.Events); diff != "" {
			t.Fatalf("events changed (-read +reread):\n%s", diff)
		}
	})
}
