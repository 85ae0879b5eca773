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

// FuzzDecodeDevalue checks that any bytes decode into a payload or fail
// with an error — no panic, no runaway output — and that a decoded
// payload renders.
//
//	go test ./compat/vercel -run=^$ -fuzz=FuzzDecodeDevalue -parallel=1 -fuzztime=5m
func FuzzDecodeDevalue(f *testing.F) {
	for _, s := range []string{
		`[[1,2],"ord_42",1999]`,
		`[["Instance",1],{"classId":2,"data":3},"class//./src/lib/money//Money",{"cents":4,"currency":5},1999,"USD"]`,
		`[{"args":1,"closureVars":-1,"thisVal":-1},[2,3],"ord_42",1999]`,
		`[["Map",1],[2,3],"k",["Date",4],"2026-01-01T00:00:00.000Z"]`,
		`[["StepFunction",1],{"stepId":2},"step//./a//b"]`,
		`[["Set",1,2],3,4]`, `[["null","a",1],2]`, `-1`, `[[0]]`, `[{"a":0}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := DecodeDevalue(in)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		_ = displayValue(p)
		for _, id := range p.Classes {
			if id == "" && len(p.Classes) > 1 {
				t.Fatalf("classes %q", p.Classes)
			}
		}
		// The same bytes behind the format prefix, base64-wrapped as the
		// local world stores them, decode the same way.
		q, err := DecodeSerialized(append([]byte(FormatDevalue), in...))
		if err != nil || len(q.Classes) != len(p.Classes) || len(q.Steps) != len(p.Steps) {
			t.Fatalf("prefixed: %v %+v vs %+v", err, q, p)
		}
	})
}

// FuzzLoadRun checks that any file content, read as the DevKit's tools
// write runs (an event list, one local-world event, a run record, a runs
// or steps list), loads or fails with one *Error on one line, and that the
// runs it gives can be checked and inspected.
//
//	go test ./compat/vercel -run=^$ -fuzz=FuzzLoadRun -parallel=1 -fuzztime=5m
func FuzzLoadRun(f *testing.F) {
	seeds(f, "testdata/*.events.json")
	seeds(f, "testdata/devkit/v1/*.json")
	seeds(f, "testdata/devkit/v1/local-world/events/*.json")
	seeds(f, "testdata/devkit/v1/local-world/runs/*.json")
	m, err := ReadFile("testdata/devkit/builds/v2-rename.manifest.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		l := &loader{byID: map[string]*Run{}, status: map[string]runRecord{}}
		if err := l.file(in, "F", ""); err != nil {
			checkErr(t, err)
			return
		}
		runs, _ := l.finish()
		for _, r := range runs {
			res := AssertRun(r, m)
			if !res.OK && (res.Reason == "" || len(res.Problems) == 0) {
				t.Fatalf("incompatible without reason: %+v", res)
			}
			if res.OK && res.Status == "in-flight" && len(res.Problems) > 0 {
				t.Fatalf("in-flight run ok with problems: %+v", res)
			}
		}
		_ = InspectRuns(runs, "F")
	})
}
