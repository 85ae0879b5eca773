package vercel

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func seeds(f *testing.F, glob string) {
	files, _ := filepath.Glob(glob)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func checkErr(t *testing.T, err error) {
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %T is not *Error: %v", err, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "F") || strings.ContainsAny(msg, "\r\n") {
		t.Fatalf("bad error message %q", msg)
	}
}

// FuzzParse checks that any input parses into a consistent manifest or
// fails with one *Error on one line — never a panic — and that a parsed
// manifest diffs against itself without findings.
//
//	go test ./compat/vercel -run=^$ -fuzz=FuzzParse -parallel=1 -fuzztime=2m
func FuzzParse(f *testing.F) {
	seeds(f, "testdata/*.manifest.json")
	f.Add([]byte(`{"steps":{"a.ts":{"x":{"stepId":"step//a//x"}}},"workflows":{"w":{"workflowId":"w","graph":{"nodes":[{"data":{"stepId":"s"}}]}}}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Parse(in, "F")
		if err != nil {
			checkErr(t, err)
			return
		}
		for _, list := range [][]*Entry{m.Workflows, m.Steps, m.Classes} {
			for i, e := range list {
				if e.ID == "" || (i > 0 && list[i-1].ID >= e.ID) {
					t.Fatalf("entries not sorted and unique: %+v", list)
				}
				if m.Lookup(e.Kind, e.ID) != e {
					t.Fatalf("Lookup(%q) misses", e.ID)
				}
			}
		}
		if r := Diff(m, m); len(r.Findings) != 0 {
			t.Fatalf("self-diff has findings: %+v", r.Findings)
		}
		_ = IsManifest(in)
	})
}

// FuzzParseEvents does the same for event lists, and checks them against
// the test manifest.
//
//	go test ./compat/vercel -run=^$ -fuzz=FuzzParseEvents -parallel=1 -fuzztime=2m
func FuzzParseEvents(f *testing.F) {
	seeds(f, "testdata/*.events.json")
	m, err := ReadFile("testdata/new.manifest.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := ParseEvents(in, "F")
		if err != nil {
			checkErr(t, err)
			return
		}
		r := AssertEvents(l, m)
		if !r.OK && (r.Reason == "" || r.Line < 1) {
			t.Fatalf("incompatible without reason or line: %+v", r)
		}
		_ = AssertRuns(l, m)
		_ = IsEventList(in)
	})
}
