package assertformat

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/schematest"
	"github.com/wfcompat/wfcompat/internal/shared"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	shaNew = "2222222222222222222222222222222222222222222222222222222222222222"
	shaOld = "1111111111111111111111111111111111111111111111111111111111111111"
)

var testOpts = Options{Time: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Elapsed: 1500 * time.Millisecond, Hostname: "ci", ToolVersion: "v0.9.0"}

func summary(ok, failed, unreadable int, reasons ...string) wfcompat.AssertSummary {
	s := wfcompat.AssertSummary{ByReason: map[string]int{}}
	for i := 0; i < ok; i++ {
		s.Add(true, "")
	}
	for _, r := range reasons {
		s.Add(false, r)
	}
	if len(reasons) != failed {
		panic("summary: reasons and failed differ")
	}
	s.Total += unreadable
	s.Unreadable = unreadable
	return s
}

// reports are the documents every format is tested on: accepted and
// rejected inputs, logs compatible, incompatible and unreadable, Vercel
// runs in flight and finished, a clean run, and hostile names.
func reports() map[string]any {
	against := compat.Artifact{Path: "build/v2.wasm", Kind: "component", SHA256: shaNew}
	old := &compat.Artifact{Path: "build/v1.wasm", Kind: "component", SHA256: shaOld}
	logs := &wfcompat.LogReport{Schema: compat.AssertSchema, Command: "event-log", Against: against, Old: old,
		Logs: []*compat.LogResult{
			{Log: "logs/a.jsonl", Events: 12, OK: true, TypedBy: compat.TypedByOld},
			{Log: "logs/b.jsonl", Events: 3, Line: 4, Function: "golem:component/api#f9", Reason: compat.ReasonExportMissing,
				Message: "the new build does not export golem:component/api#f9: interface golem:component/api (in the world's exports) has no function f9; did you mean golem:component/api#f1?", TypedBy: compat.TypedByOld,
				Notes: []string{"checked from line 3, after the upgrade marker of mode snapshot on line 2"}},
		},
		Errors:  []string{"logs/c.jsonl:1: line 1 must be the header {\"type\":\"header\"}, not an event of type \"invoke\" (docs/eventlog.md)"},
		Summary: summary(1, 1, 1, compat.ReasonExportMissing),
	}
	inputs := &wfcompat.InputReport{Schema: compat.AssertSchema, Command: "input", Against: against,
		Inputs: []compat.InputResult{
			{Source: "--args", Function: "golem:component/api#f1", Args: "(1000)", Target: "golem:component/api#f1", Converted: "(1000)", OK: true, TypedBy: compat.TypedByNew},
			{Source: "runs.jsonl:7", Function: "golem:component/api#f2", Args: "(-1)", Reason: compat.ReasonArgsInvalid, Message: "the recorded arguments (-1) do not read as the parameters of func() -> u64", TypedBy: compat.TypedByNew},
			{Source: "--args", Function: "f7", Args: "()", Reason: compat.ReasonExportMissing, Message: "the new build does not export f7; did you mean golem:component/api#f1?", TypedBy: compat.TypedByNew},
		},
		Notes:   []string{"no --old given: the arguments were read directly against the new signature"},
		Summary: summary(1, 2, 0, compat.ReasonArgsInvalid, compat.ReasonExportMissing),
	}
	vercelRuns := &wfcompat.LogReport{Schema: compat.AssertSchema, Command: "event-log", Against: compat.Artifact{Path: "manifest.json", Kind: "vercel-manifest", SHA256: shaNew},
		Logs: []*compat.LogResult{
			{Log: "runs/r1.events.json (wrun_1)", Events: 4, Line: 3, Reason: compat.ReasonStepMissing, Message: "the run recorded step charge, which the new manifest does not have", TypedBy: compat.TypedByNone, Status: compat.StatusInFlight,
				Problems: []compat.LogProblem{{Line: 3, Subject: "step//charge", Reason: compat.ReasonStepMissing, Message: "the run recorded step charge, which the new manifest does not have",
					Recorded: []string{"step//charge", "hook"}, Expected: []string{"step//chargeCard"}}}},
			{Log: "runs/r2.events.json (wrun_2)", Events: 2, OK: true, TypedBy: compat.TypedByNone, Status: compat.StatusFinished,
				Problems: []compat.LogProblem{{Line: 2, File: "runs/r2.events.json", Subject: "workflow//old", Reason: compat.ReasonWorkflowMissing, Message: "the new manifest has no workflow workflow//old"}}},
		},
		Summary: wfcompat.AssertSummary{Total: 2, OK: 1, Failed: 1, ByReason: map[string]int{compat.ReasonStepMissing: 1}, InFlight: 1, Finished: 1},
	}
	clean := &wfcompat.LogReport{Schema: compat.AssertSchema, Command: "event-log", Against: against,
		Logs: []*compat.LogResult{{Log: "ok.jsonl", Events: 5, OK: true, TypedBy: compat.TypedByNew}}, Summary: summary(1, 0, 0)}
	hostile := &wfcompat.InputReport{Schema: compat.AssertSchema, Command: "input", Against: compat.Artifact{Path: "a|b`c.wasm", Kind: "core"},
		Inputs: []compat.InputResult{{Source: "x\n::error::forged:3", Function: "f\n::error title=x::y\x1b[31m", Args: "()", Reason: compat.ReasonExportMissing,
			Message: "no <b>f</b> | `x` 100%\r\n::warning::z", TypedBy: compat.TypedByNew}},
		Summary: summary(0, 1, 0, compat.ReasonExportMissing)}
	return map[string]any{"logs": logs, "inputs": inputs, "vercel": vercelRuns, "clean": clean, "hostile": hostile, "many": many(25)}
}

// many is a log report with n incompatible logs, more than GitHub keeps
// annotations of one kind.
func many(n int) *wfcompat.LogReport {
	r := &wfcompat.LogReport{Schema: compat.AssertSchema, Command: "event-log", Against: compat.Artifact{Path: "v3.wasm", Kind: "component"}, Logs: []*compat.LogResult{}, Summary: summary(0, 0, 0)}
	for i := 0; i < n; i++ {
		reason := compat.ReasonExportMissing
		if i%3 == 0 {
			reason = compat.ReasonParamsIncompatible
		}
		r.Logs = append(r.Logs, &compat.LogResult{Log: fmt.Sprintf("w%02d.jsonl", i), Events: 2, Line: 2, Reason: reason, Message: "m", TypedBy: compat.TypedByNew})
		r.Summary.Add(false, reason)
	}
	return r
}

func render(t *testing.T, format string, doc any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, doc, testOpts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

// TestGolden keeps every format of every test report in testdata (go test
// ./compat/assertformat -update rewrites them).
func TestGolden(t *testing.T) {
	ext := map[string]string{Text: "txt", JSON: "json", SARIF: "sarif", GitHub: "github.txt", JUnit: "xml", Markdown: "md"}
	for name, doc := range reports() {
		if name == "many" {
			continue
		}
		for _, f := range Formats() {
			got := render(t, f, doc)
			path := filepath.Join("testdata", name+"."+ext[f])
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./compat/assertformat -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", path, diff)
			}
		}
	}
}

func TestJSONSchema(t *testing.T) {
	s := schematest.CompileJSONStrict(t, filepath.Join("..", "..", "docs", "assert.schema.json"))
	for name, doc := range reports() {
		if err := schematest.ValidateJSON(s, render(t, JSON, doc)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSARIFSchema(t *testing.T) {
	s := schematest.CompileJSON(t, shared.Path(t, "schemas/sarif-schema-2.1.0.json"))
	for name, doc := range reports() {
		if err := schematest.ValidateJSON(s, render(t, SARIF, doc)); err != nil {
			t.Errorf("%s: invalid SARIF: %v", name, err)
		}
	}
}

// TestSARIFForCodeScanning checks what GitHub code scanning reads beyond
// the schema: a location with a line for every result, rules with help
// and a helpUri, fingerprints, levels that follow the outcome.
func TestSARIFForCodeScanning(t *testing.T) {
	for name, doc := range reports() {
		var log sarifLog
		if err := json.Unmarshal(render(t, SARIF, doc), &log); err != nil {
			t.Fatal(err)
		}
		run := log.Runs[0]
		if run.Tool.Driver.Version != "0.9.0" || strings.Count(run.AutomationDetails.ID, "/") < 2 {
			t.Errorf("%s: driver %+v, automation %q", name, run.Tool.Driver, run.AutomationDetails.ID)
		}
		for _, rule := range run.Tool.Driver.Rules {
			if _, known := compat.AssertReason(rule.ID); !known || rule.Help.Text == "" || rule.Help.Markdown == "" || rule.HelpURI != reasonsDocURL || rule.FullDescription.Text == "" {
				t.Errorf("%s: rule %+v", name, rule)
			}
		}
		errs := 0
		for i, res := range run.Results {
			if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.Region.StartLine < 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
				t.Errorf("%s: result %d has no location with a line", name, i)
			}
			if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID || res.PartialFingerprints[fingerprintKey] == "" {
				t.Errorf("%s: result %d: rule index or fingerprint", name, i)
			}
			if strings.ContainsAny(res.Message.Text, "\n\r\x1b") {
				t.Errorf("%s: raw control character in %q", name, res.Message.Text)
			}
			if res.Level == "error" {
				errs++
			}
		}
		if (errs > 0) != Failed(doc) || run.Properties.Outcome != map[bool]string{true: "fail", false: "pass"}[Failed(doc)] {
			t.Errorf("%s: %d error results, outcome %s, Failed %v", name, errs, run.Properties.Outcome, Failed(doc))
		}
	}
}

// TestJUnitSchema validates the JUnit outputs against the Ant JUnit schema
// and the Jenkins xUnit plugin's (../shared/schemas) with xmllint.
func TestJUnitSchema(t *testing.T) {
	xsds := []string{shared.Path(t, "schemas/ant-JUnit.xsd"), shared.Path(t, "schemas/jenkins-junit-10.xsd")}
	for name, doc := range reports() {
		out := render(t, JUnit, doc)
		for _, xsd := range xsds {
			if err := schematest.ValidateXML(t, xsd, out); err != nil {
				t.Errorf("%s: invalid against %s: %v\n%s", name, filepath.Base(xsd), err, out)
			}
		}
		r, _ := newReport(doc)
		s := string(out)
		if !strings.Contains(s, `classname="`+junitClass(r)+`"`) || strings.Count(s, "<failure ") != r.summary.Failed || strings.Count(s, "<error ") != r.summary.Unreadable {
			t.Errorf("%s: class, failures or errors:\n%s", name, s)
		}
	}
	a := &wfcompat.LogReport{Command: "event-log", Against: compat.Artifact{Path: "v2/app.wasm"}}
	b := &wfcompat.LogReport{Command: "event-log", Against: compat.Artifact{Path: "v3/app.wasm"}}
	ra, _ := newReport(a)
	rb, _ := newReport(b)
	if junitClass(ra) == junitClass(rb) {
		t.Errorf("class %q for two builds", junitClass(ra))
	}
}

// TestGitHubAnnotations: no more annotations of a kind than GitHub keeps,
// the rest counted; hostile names cannot start a workflow command.
func TestGitHubAnnotations(t *testing.T) {
	out := string(render(t, GitHub, many(25)))
	if n := strings.Count(out, "::error "); n != maxAnnotations {
		t.Errorf("%d error annotations, want %d:\n%s", n, maxAnnotations, out)
	}
	if !strings.Contains(out, "title=wfcompat assert%3A 16 more::16 more not annotated (GitHub keeps 10 error annotations per step): params-incompatible ×6, export-missing ×10.") {
		t.Errorf("no summary annotation:\n%s", out)
	}
	if !strings.Contains(out, "::error file=w00.jsonl,line=2,title=wfcompat assert%3A params-incompatible::m\n") {
		t.Errorf("annotation not at the log line:\n%s", out)
	}
	for name, doc := range reports() {
		for i, line := range strings.Split(strings.TrimSuffix(string(render(t, GitHub, doc)), "\n"), "\n") {
			if strings.HasPrefix(line, "::") && !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::notice ") {
				t.Errorf("%s: line %d is an unexpected command: %q", name, i, line)
			}
			if strings.ContainsAny(line, "\r\x1b") {
				t.Errorf("%s: control character in %q", name, line)
			}
		}
	}
	v := string(render(t, GitHub, reports()["vercel"]))
	if !strings.Contains(v, "::error file=runs/r1.events.json,line=3,") || !strings.Contains(v, "::notice file=runs/r2.events.json,line=2,title=wfcompat assert%3A workflow-missing (finished run%2C not replayed)::") {
		t.Errorf("vercel annotations:\n%s", v)
	}
}

func TestWriteErrors(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "yaml", reports()["logs"], testOpts); err == nil || b.Len() != 0 {
		t.Errorf("unknown format: %v, %d bytes written", err, b.Len())
	}
	if err := Write(&b, JSON, &compat.Report{}, testOpts); err == nil || b.Len() != 0 {
		t.Errorf("not an assert document: %v", err)
	}
	var nilDoc *wfcompat.LogReport
	if err := Write(&b, JSON, nilDoc, testOpts); err == nil || Failed(nilDoc) {
		t.Errorf("nil document: %v", err)
	}
}

func TestSplitSource(t *testing.T) {
	for _, tc := range []struct {
		in   string
		file string
		line int
	}{
		{"runs.jsonl:7", "runs.jsonl", 7},
		{"--args", "", 0},
		{"C:x.jsonl", "C:x.jsonl", 0},
		{"a.jsonl:", "a.jsonl:", 0},
		{"", "", 0},
	} {
		if f, l := splitSource(tc.in); f != tc.file || l != tc.line {
			t.Errorf("splitSource(%q) = %q, %d", tc.in, f, l)
		}
	}
	for _, tc := range []struct {
		in   string
		file string
		line int
	}{
		{"run.jsonl:17:5: invalid JSON: x", "run.jsonl", 17},
		{"run.jsonl:2: unknown field", "run.jsonl", 2},
		{"run.jsonl: open: no such file", "run.jsonl", 0},
	} {
		if f, l := errorSource(tc.in); f != tc.file || l != tc.line {
			t.Errorf("errorSource(%q) = %q, %d", tc.in, f, l)
		}
	}
}

// TestReasonsDoc keeps the reasons table of docs/eventlog.md (the SARIF
// rules' helpUri) in step with compat.AssertReasons; -update rewrites it.
func TestReasonsDoc(t *testing.T) {
	const path = "../../docs/eventlog.md"
	const begin, end = "<!-- reasons:begin", "<!-- reasons:end -->"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no reasons table markers", path)
	}
	i += strings.Index(s[i:], "\n") + 1
	var table strings.Builder
	table.WriteString("| Reason | Meaning | How to fix |\n|---|---|---|\n")
	for _, r := range compat.AssertReasons() {
		fmt.Fprintf(&table, "| `%s` | %s | %s |\n", r.ID, r.Meaning, r.Fix)
	}
	got := s[:i] + table.String() + s[j:]
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("the reasons table of docs/eventlog.md is stale; go test ./compat/assertformat -run TestReasonsDoc -update:\n%s", diff)
	}
	if !strings.Contains(s, "\n### Reasons\n") {
		t.Errorf("docs/eventlog.md has no Reasons heading (the SARIF helpUri anchor #reasons)")
	}
}
