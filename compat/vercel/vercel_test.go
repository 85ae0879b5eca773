package vercel

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/format"
)

var update = flag.Bool("update", false, "rewrite golden files")

func mustRead(t *testing.T, name string) *Manifest {
	t.Helper()
	m, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParse(t *testing.T) {
	m := mustRead(t, "old.manifest.json")
	if m.Version != "1.0.0" || len(m.Workflows) != 3 || len(m.Steps) != 4 || len(m.Classes) != 2 {
		t.Fatalf("manifest = %+v", m)
	}
	f := m.Lookup(KindWorkflow, "workflow//./src/workflows/order//fulfill")
	want := &Entry{Kind: KindWorkflow, ID: "workflow//./src/workflows/order//fulfill", File: "src/workflows/order.ts", Export: "fulfill",
		Calls: []Call{{Kind: CallStep, StepID: "step//./src/workflows/order//charge"}, {Kind: CallStep, StepID: "step//./src/workflows/shipping//ship"}},
		Steps: []string{"step//./src/workflows/order//charge", "step//./src/workflows/shipping//ship"}, Linear: true}
	if len(f.Graph) != 64 {
		t.Errorf("graph digest %q", f.Graph)
	}
	if diff := cmp.Diff(want, f, cmpopts.IgnoreFields(Entry{}, "Graph")); diff != "" {
		t.Errorf("fulfill (-want +got):\n%s", diff)
	}
	if c := m.Lookup(KindWorkflow, "workflow//./src/workflows/order//cancel"); c == nil || c.Steps != nil {
		t.Errorf("cancel = %+v (no graph: Steps nil)", c)
	}
	if m.Lookup(KindStep, "step//nope") != nil {
		t.Error("Lookup found a missing step")
	}

	flat := mustRead(t, "flat.manifest.json")
	if len(flat.Steps) != 2 || flat.Steps[0].Export != "chargeCard" || flat.Steps[0].File != "" ||
		flat.Lookup(KindWorkflow, "workflow//./src/workflows/order//fulfill") == nil {
		t.Errorf("flat layout read as %+v / %+v", flat.Steps, flat.Workflows)
	}
}

func TestIsManifest(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`{"version":"1","steps":{},"workflows":{}}`, true},
		{` {"workflows":{"a.ts":{}}}`, true},
		{`{"schema":"wfcompat.manifest/v1","steps":{}}`, false},
		{`{"steps":[]}`, false},
		{`[{"eventType":"run_created"}]`, false},
		{"\x00asm\x01\x00\x00\x00", false},
		{`{"steps":`, false},
		{``, false},
	} {
		if got := IsManifest([]byte(tc.in)); got != tc.want {
			t.Errorf("IsManifest(%q) = %v", tc.in, got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "M:1:1 (byte 0): invalid JSON: unexpected end of input"},
		{`[]`, "M:1:1 (byte 0): manifest is not a JSON object"},
		{`{"version":"1"}`, `M: not a Vercel Workflow manifest: no "workflows" or "steps" object`},
		{`{"version":1,"steps":{}}`, "M:1:12 (byte 11): version: want a string, got a number"},
		{"{\n  \"steps\": {\"a.ts\": {\"x\": {\"stepId\": 7}}}}", `M:2:38 (byte 39): steps["a.ts"]["x"].stepId: want a string, got a number`},
		{`{"steps": {"a.ts": {"x": {}}}}`, `M:1:26 (byte 25): steps["a.ts"]["x"]: no "stepId"`},
		{`{"steps": {"a.ts": {"x": {"stepId": " "}}}}`, `M:1:37 (byte 36): steps["a.ts"]["x"].stepId is empty`},
		{`{"steps": {"a.ts": []}}`, `M:1:20 (byte 19): steps["a.ts"] is not a JSON object`},
		{`{"workflows": {"a.ts": {"w": {"workflowId": "w", "graph": 3}}}}`, `M:1:59 (byte 58): workflows["a.ts"]["w"].graph: want an object, got a number`},
		{`{"steps": {}} x`, "M:1:15 (byte 14): invalid JSON: data after the manifest"},
		// A form feed is no JSON whitespace (bytes.TrimSpace took it for one).
		{"{\"steps\": {}}\n\f", "M:2:1 (byte 14): invalid JSON: data after the manifest"},
		{`{"steps": {"a": tru}}`, "M:1:19 (byte 18): invalid JSON: invalid character '}' in literal true (expecting 'e')"},
		// Found by the bad-input QA: read as U+FFFD, so that two names
		// with different invalid bytes compared equal.
		{"{\"steps\": {\"a.ts\": {\"x\xff\": {\"stepId\": \"s\"}}}}", "M:1:23 (byte 22): invalid UTF-8 (JSON is UTF-8 text)"},
	} {
		_, err := Parse([]byte(tc.in), "M")
		if err == nil {
			t.Errorf("Parse(%q): no error, want %s", tc.in, tc.want)
			continue
		}
		var ve *Error
		if !errors.As(err, &ve) {
			t.Errorf("Parse(%q): error %T", tc.in, err)
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tc.in, err, tc.want)
		}
	}
}

func TestDiff(t *testing.T) {
	old, new := mustRead(t, "old.manifest.json"), mustRead(t, "new.manifest.json")
	r := DiffArtifacts(old, new,
		compat.Artifact{Path: "testdata/old.manifest.json", Kind: Kind},
		compat.Artifact{Path: "testdata/new.manifest.json", Kind: Kind})
	type row struct{ Rule, Subject string }
	var got []row
	for _, f := range r.Findings {
		got = append(got, row{f.Rule, f.Subject})
	}
	want := []row{
		{RuleWorkflowRemoved, "workflow//./src/workflows/order//cancel"},
		{RuleWorkflowAdded, "workflow//./src/workflows/report//weekly"},
		{RuleStepRenamed, "step//./src/workflows/order//charge"},
		{RuleStepRenamed, "step//./src/workflows/shipping//ship"},
		{RuleStepAdded, "step//./src/workflows/report//send"},
		{RuleClassRemoved, "class//./src/models//Money"},
		// send is new and in no graph (weekly has none).
		{RuleStepNotInGraph, "step//./src/workflows/report//send"},
		// fulfill's calls, charge and ship, are renamed and moved in
		// place: no order change besides.
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range r.Findings {
		if f.Rule == RuleStepRenamed && !strings.Contains(f.Message, "a renamed step is a removal plus an addition") {
			t.Errorf("rename finding does not say it is a removal plus an addition: %s", f.Message)
		}
	}
	verdicts := map[compat.Mode]compat.Verdict{}
	for m, res := range r.Modes {
		verdicts[m] = res.Verdict
	}
	wantV := map[compat.Mode]compat.Verdict{
		compat.ModeAPI: compat.Unsafe, compat.ModeRestart: compat.Unsafe, compat.ModeReplay: compat.Unsafe,
		compat.ModeSnapshot: compat.NotApplicable, compat.ModeInFlight: compat.NotApplicable,
	}
	if diff := cmp.Diff(wantV, verdicts); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}

	// Same manifest on both sides: nothing found, and nothing better than
	// unproven where types would matter.
	same := Diff(old, old)
	if len(same.Findings) != 0 {
		t.Errorf("self-diff findings: %+v", same.Findings)
	}
	for _, m := range []compat.Mode{compat.ModeAPI, compat.ModeRestart, compat.ModeReplay} {
		if v := same.Modes[m].Verdict; v != compat.Unproven {
			t.Errorf("self-diff %s = %s, want unproven (no types)", m, v)
		}
		if !strings.Contains(same.Modes[m].Reasons[0].Message, "argument and result shapes") {
			t.Errorf("%s reasons do not say shapes were not checked: %+v", m, same.Modes[m].Reasons)
		}
	}

	// Every output format renders the report; the JSON report, which is
	// this package's data, is kept as a golden file. (The renderings of
	// the other formats belong to compat/format and its tests.)
	for _, f := range format.Formats() {
		var b bytes.Buffer
		if err := format.Write(&b, f, r, format.Options{}); err != nil {
			t.Fatalf("format %s: %v", f, err)
		}
		if !strings.Contains(b.String(), RuleStepRenamed) {
			t.Errorf("format %s does not show the findings:\n%s", f, b.String())
		}
		if f == format.JSON {
			golden(t, filepath.Join("testdata", "diff.json.golden"), b.Bytes())
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestRulesComplete(t *testing.T) {
	for _, r := range Rules() {
		if r.Purpose == "" || r.Why == "" || len(r.Effects) == 0 || r.Example.Before == "" {
			t.Errorf("rule %s incomplete", r.ID)
		}
		if _, clash := compat.LookupRule(r.ID); clash {
			t.Errorf("rule %s also in compat's catalog", r.ID)
		}
	}
}

func TestEvents(t *testing.T) {
	l, err := ReadEventsFile("testdata/run-fulfill.events.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Events) != 5 || l.Events[0].WorkflowName != "workflow//./src/workflows/order//fulfill" ||
		l.Events[2].StepName != "step//./src/workflows/order//charge" || l.Events[3].CorrelationID != "step_c1" ||
		string(l.Events[0].Input) != `[{"orderId": "ord_42"}]` || l.Events[2].Line != 4 {
		t.Errorf("events = %+v", l.Events[:4])
	}
	for _, tc := range []struct{ in, want string }{
		{`{}`, `E:1:1 (byte 0): not a Vercel Workflow event list: want a JSON array of events, or an object with a "data" array`},
		{`7`, `E:1:1 (byte 0): not a Vercel Workflow event list: want a JSON array of events`},
		{`[{"eventType":"run_created"}]`, `E:1:2 (byte 1): event 0 (run_created) has no workflowName`},
		{`[{"eventType":"run_exploded"}]`, `E:1:15 (byte 14): event 0 has unknown eventType "run_exploded"`},
		{"[\n {\"eventType\":\"step_completed\"}]", `E:2:2 (byte 3): event 0 (step_completed) has neither stepName nor correlationId`},
		{`[{"eventType":"step_created","eventData":{"stepName":5}}]`, `E:1:54 (byte 53): event 0.stepName: want a string, got a number`},
		{`[{"type":"x"}]`, `E:1:2 (byte 1): event 0 has no eventType`},
		{`{"data": [1]}`, `E:1:11 (byte 10): event 0 is not a JSON object`},
		{`[{"eventType":"run_started"},`, `E:1:30 (byte 29): invalid JSON: unexpected end of input`},
		{"[] \v", `E:1:4 (byte 3): invalid JSON: data after the event list`}, // \v is no JSON whitespace
		{"[{\"eventType\":\"\xc3\x28run_created\"}]", `E:1:16 (byte 15): invalid UTF-8 (JSON is UTF-8 text)`},
	} {
		_, err := ParseEvents([]byte(tc.in), "E")
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseEvents(%q):\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
	if !IsEventList([]byte(`{"data": [{"eventType": "run_created"}]}`)) || IsEventList([]byte(`{"steps":{}}`)) {
		t.Error("IsEventList")
	}
}

func TestAssertEvents(t *testing.T) {
	m := mustRead(t, "new.manifest.json")
	for _, tc := range []struct {
		file   string
		ok     bool
		reason string
		line   int
		what   string
	}{
		// daily has no graph in the new manifest: the order of its calls
		// is not known, so the run in flight is not proven (it passed).
		{"run-daily.events.json", false, compat.ReasonOrderUnproven, 5, "workflow//./src/workflows/report//daily"},
		{"run-fulfill.events.json", false, compat.ReasonStepMissing, 4, "step//./src/workflows/order//charge"},
		{"run-cancel.events.json", false, compat.ReasonWorkflowMissing, 2, "workflow//./src/workflows/order//cancel"},
		// refund exists, but no graph calls it: where the new code calls
		// it is not known (the graph shows chargeCard first).
		{"run-refund.events.json", false, compat.ReasonOrderUnproven, 3, "workflow//./src/workflows/order//fulfill"},
	} {
		l, err := ReadEventsFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		r := AssertEvents(l, m)
		if r.OK != tc.ok || r.Reason != tc.reason || r.Line != tc.line || r.Function != tc.what {
			t.Errorf("%s: %+v", tc.file, r)
		}
		if len(r.Notes) == 0 || r.Notes[0] != NoTypesNote || r.TypedBy != compat.TypedByNone {
			t.Errorf("%s: notes %q, typed by %q", tc.file, r.Notes, r.TypedBy)
		}
	}
	l, _ := ReadEventsFile("testdata/run-fulfill.events.json")
	r := AssertEvents(l, m)
	if !strings.Contains(r.Message, "(the new workflow calls step//./src/workflows/order//chargeCard at that place, from the same file: probably renamed)") {
		t.Errorf("message has no rename hint: %s", r.Message)
	}
}

func TestAssertRuns(t *testing.T) {
	m := mustRead(t, "new.manifest.json")
	var got []compat.InputResult
	for _, f := range []string{"run-daily.events.json", "run-cancel.events.json"} {
		l, err := ReadEventsFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, AssertRuns(l, m)...)
	}
	if len(got) != 2 || !got[0].OK || got[0].Args != `[{"day":"2025-06-01"}]` || got[0].Source != "testdata/run-daily.events.json:2" ||
		got[1].OK || got[1].Reason != compat.ReasonWorkflowMissing {
		t.Errorf("runs = %+v", got)
	}
	in := AssertInput(compat.Input{Source: "--args", Function: "workflow//./src/workflows/report//weekly", Args: "[]"}, m)
	if !in.OK || in.Notes[0] != NoTypesNote {
		t.Errorf("AssertInput = %+v", in)
	}
}

func TestDecodeDevalue(t *testing.T) {
	for _, tc := range []struct{ in, want, classes string }{
		{`[[1,2],"ord_42",1999]`, `["ord_42",1999]`, ""},
		{`[["Instance",1],{"classId":2,"data":3},"class//./src/lib/money//Money",{"cents":4,"currency":5},1999,"USD"]`,
			`{"__type":"__workflow_class_instance_ref__","classId":"class//./src/lib/money//Money","className":"Money","data":{"cents":1999,"currency":"USD"}}`, "class//./src/lib/money//Money"},
		{`[{"args":1,"closureVars":-1},[2,-3],"x"]`, `{"args":["x","NaN"],"closureVars":null}`, ""},
		{`[["Map",1],[2,3],"k",["Date",4],"2026-01-01T00:00:00.000Z"]`, `{"__type":"Map","value":["k",{"__type":"Date","value":"2026-01-01T00:00:00.000Z"}]}`, ""},
		{`[{"a":0}]`, `{"a":{"__type":"Ref","value":0}}`, ""},
		{`-1`, `null`, ""},
	} {
		p, err := DecodeDevalue([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := displayValue(p); got != tc.want || strings.Join(p.Classes, ",") != tc.classes {
			t.Errorf("%s:\n got %s %v\nwant %s %s", tc.in, got, p.Classes, tc.want, tc.classes)
		}
	}
	// A value shared by index at every level would show 2^60 values.
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, "[%d,%d],", i+1, i+1)
	}
	b.WriteString(`"leaf"]`)
	if _, err := DecodeDevalue([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("shared expansion: %v", err)
	}
	for _, in := range []string{``, `[]`, `[[5]]`, `[["Instance",1],{"classId":0}]`, `-9`, `{}`, `[1] [2]`} {
		if _, err := DecodeDevalue([]byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// A branching workflow has no one order of calls: its runs are unproven
// unless the old build had the very same graph.
func TestAssertBranching(t *testing.T) {
	manifest := func(third string, extra ...string) *Manifest {
		t.Helper()
		steps := ""
		for _, x := range extra { // steps no graph calls
			steps += `, "` + x + `": {"stepId": "step//./w//` + x + `"}`
		}
		src := `{"steps": {"w.ts": {"a": {"stepId": "step//./w//a"}, "b": {"stepId": "step//./w//b"}, "c": {"stepId": "step//./w//c"}` + steps + `}},
 "workflows": {"w.ts": {"w": {"workflowId": "workflow//./w//w", "graph": {
  "nodes": [{"id": "start", "type": "workflowStart", "data": {}},
            {"id": "n0", "type": "step", "data": {"stepId": "step//./w//a"}},
            {"id": "cond", "type": "conditional", "data": {"label": "x"}},
            {"id": "n1", "type": "step", "data": {"stepId": "step//./w//b"}},
            {"id": "n2", "type": "step", "data": {"stepId": "step//./w//` + third + `"}},
            {"id": "end", "type": "workflowEnd", "data": {}}],
  "edges": [{"source": "start", "target": "n0"}, {"source": "n0", "target": "cond"},
            {"source": "cond", "target": "n1", "type": "conditional"}, {"source": "cond", "target": "n2", "type": "conditional"},
            {"source": "n1", "target": "end"}, {"source": "n2", "target": "end"}]}}}}}`
		m, err := Parse([]byte(src), "m.json")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	l, err := ParseEvents([]byte(`[{"eventType":"run_created","runId":"wrun_1","eventData":{"workflowName":"workflow//./w//w","input":[]}},
{"eventType":"step_created","runId":"wrun_1","correlationId":"step_1","eventData":{"stepName":"step//./w//a","input":{"args":[]}}}]`), "e.json")
	if err != nil {
		t.Fatal(err)
	}
	runs := (&loader{byID: map[string]*Run{}, status: map[string]runRecord{}})
	for _, e := range l.Events {
		_ = runs.add(e, "e.json")
	}
	rs, _ := runs.finish()
	m := manifest("c")
	if m.Workflows[0].Linear {
		t.Fatal("conditional graph read as linear")
	}
	if res := AssertRun(rs[0], m); res.OK || res.Reason != compat.ReasonOrderUnproven {
		t.Errorf("no old: %+v", res)
	}
	if res := AssertRunAgainst(rs[0], m, manifest("c")); !res.OK || !slices.Contains(res.Notes, BranchNote) {
		t.Errorf("same graph: %+v", res)
	}
	if res := AssertRunAgainst(rs[0], m, manifest("b")); res.OK || res.Reason != compat.ReasonOrderUnproven {
		t.Errorf("other graph: %+v", res)
	}
	// The same graph, but the new build has a step no graph shows (called
	// without await: the graph does not change): it may be called before
	// the recorded calls. Unproven, as for a linear workflow (it passed).
	if res := AssertRunAgainst(rs[0], manifest("c", "audit"), manifest("c")); res.OK || res.Reason != compat.ReasonOrderUnproven ||
		!strings.Contains(res.Message, "the workflow's graph is the same in the old build, but the new build has steps no workflow graph shows (step//./w//audit)") {
		t.Errorf("same graph, hidden step: %+v", res)
	}
}
