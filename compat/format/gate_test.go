package format

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
)

// manyReport has n error findings of each of rules distinct rules, all
// affecting api, plus one snapshot-only error and k info findings.
func manyReport(rules, n, info int) *compat.Report {
	r := &compat.Report{
		Schema:      compat.ReportSchema,
		ToolVersion: testVersion,
		Old:         compat.Artifact{Path: "old.wasm", Kind: "component"},
		New:         compat.Artifact{Path: "new.wasm", Kind: "component"},
		Modes: map[compat.Mode]*compat.ModeResult{
			compat.ModeAPI:      {Verdict: compat.Unsafe},
			compat.ModeSnapshot: {Verdict: compat.Unsafe},
		},
	}
	for i := range rules {
		for j := range n {
			f := compat.Finding{Rule: fmt.Sprintf("RULE_%02d", i), Severity: compat.SeverityError, Modes: []compat.Mode{compat.ModeAPI},
				Subject: fmt.Sprintf("pkg:ns/iface#f%d", j), Message: "removed"}
			r.Findings = append(r.Findings, f)
			r.Modes[compat.ModeAPI].Reasons = append(r.Modes[compat.ModeAPI].Reasons, compat.Reason{Verdict: compat.Unsafe, Rule: f.Rule, Subject: f.Subject, Message: f.Message})
		}
	}
	snap := compat.Finding{Rule: "SNAPSHOT_SAVE_MISSING", Severity: compat.SeverityError, Modes: []compat.Mode{compat.ModeSnapshot}, Subject: "golem:api/save-snapshot", Message: "missing"}
	r.Findings = append(r.Findings, snap)
	r.Modes[compat.ModeSnapshot].Reasons = []compat.Reason{{Verdict: compat.Unsafe, Rule: snap.Rule, Subject: snap.Subject, Message: snap.Message}}
	for i := range info {
		r.Findings = append(r.Findings, compat.Finding{Rule: "EXPORT_FUNCTION_ADDED", Severity: compat.SeverityInfo, Modes: []compat.Mode{compat.ModeAPI}, Subject: fmt.Sprintf("pkg:ns/iface#g%d", i), Message: "added"})
	}
	return r
}

// annotations parses workflow commands: kind → titles.
func annotations(t *testing.T, out string) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(line, "::") {
			if !strings.HasPrefix(line, "wfcompat: ") {
				t.Errorf("stray line (a newline escaped a command?): %q", line)
			}
			continue
		}
		kind, rest, _ := strings.Cut(line[2:], " ")
		props, _, ok := strings.Cut(rest, "::")
		if !ok {
			t.Errorf("no data separator: %q", line)
		}
		title := ""
		for _, p := range strings.Split(props, ",") {
			if v, ok := strings.CutPrefix(p, "title="); ok {
				title = v
			}
		}
		got[kind] = append(got[kind], title)
	}
	return got
}

func TestGitHubFollowsGate(t *testing.T) {
	r := manyReport(2, 3, 2)
	for _, c := range []struct {
		name string
		opts Options
		want map[string][]string
	}{
		{"every mode gates", Options{}, map[string][]string{"error": {"RULE_00 (3 findings)", "RULE_01 (3 findings)", "SNAPSHOT_SAVE_MISSING"}}},
		{"api gates", Options{Gate: []compat.Mode{compat.ModeAPI}}, map[string][]string{
			"error":  {"RULE_00 (3 findings)", "RULE_01 (3 findings)"},
			"notice": {"SNAPSHOT_SAVE_MISSING (not gating)"},
		}},
		{"gate from the report", Options{}, nil}, // filled below
		{"verbose adds info as notices", Options{Gate: []compat.Mode{compat.ModeAPI}, Verbose: true}, map[string][]string{
			"error":  {"RULE_00 (3 findings)", "RULE_01 (3 findings)"},
			"notice": {"SNAPSHOT_SAVE_MISSING (not gating)", "EXPORT_FUNCTION_ADDED (2 findings)"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rr := manyReport(2, 3, 2)
			want := c.want
			if want == nil {
				rr.Gate = &compat.Gate{Modes: []compat.Mode{compat.ModeSnapshot}}
				want = map[string][]string{"error": {"SNAPSHOT_SAVE_MISSING"}, "notice": {"RULE_00 (not gating) (3 findings)", "RULE_01 (not gating) (3 findings)"}}
			}
			var b bytes.Buffer
			if err := WriteGitHub(&b, rr, c.opts); err != nil {
				t.Fatal(err)
			}
			got := annotations(t, b.String())
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("annotations\n got %v\nwant %v\n%s", got, want, b.String())
			}
		})
	}
	_ = r
}

func TestGitHubAnnotationLimit(t *testing.T) {
	// 25 rules × 2 findings: 25 error groups, more than GitHub keeps.
	r := manyReport(25, 2, 0)
	var b bytes.Buffer
	if err := WriteGitHub(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	got := annotations(t, b.String())
	if n := len(got["error"]); n != maxAnnotations {
		t.Fatalf("%d error annotations, want %d:\n%s", n, maxAnnotations, b.String())
	}
	last := got["error"][maxAnnotations-1]
	// 9 groups of 2 shown; 16 groups of 2 and the snapshot finding summed.
	if want := "wfcompat%3A 33 errors more"; last != want {
		t.Errorf("summary title %q, want %q", last, want)
	}
	if !strings.Contains(b.String(), "SNAPSHOT_SAVE_MISSING ×1") || !strings.Contains(b.String(), "RULE_24 ×2") {
		t.Errorf("summary does not count the rest by rule:\n%s", b.String())
	}
	// A group lists at most maxGroupLines subjects and counts the rest.
	r = manyReport(1, maxGroupLines+5, 0)
	b.Reset()
	if err := WriteGitHub(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "%0A… and 5 more") || !strings.Contains(b.String(), fmt.Sprintf("RULE_00 (%d findings)", maxGroupLines+5)) {
		t.Errorf("large group:\n%s", b.String())
	}
}

func TestLevelFollowsGate(t *testing.T) {
	r := manyReport(1, 1, 1)
	for _, c := range []struct {
		gate []compat.Mode
		want []Level
	}{
		{nil, []Level{LevelError, LevelError, LevelNote}},
		{[]compat.Mode{compat.ModeAPI}, []Level{LevelError, LevelNote, LevelNote}},
		{[]compat.Mode{compat.ModeSnapshot}, []Level{LevelNote, LevelError, LevelNote}},
	} {
		views := modeViews(r, Options{Gate: c.gate})
		var got []Level
		for i := range r.Findings {
			got = append(got, level(&r.Findings[i], views))
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("gate %v: levels %v, want %v", c.gate, got, c.want)
		}
	}
}

func TestTextEachFindingOnce(t *testing.T) {
	r := mixedReport()
	for _, verbose := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteText(&b, r, Options{Verbose: verbose}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, f := range r.Findings {
			n := strings.Count(out, f.Rule+"  "+f.Subject) + strings.Count(out, f.Rule+"\n")
			want := 1
			if f.Severity == compat.SeverityInfo && !verbose {
				want = 0
			}
			if n != want {
				t.Errorf("verbose=%v: %s %s shown %d times, want %d:\n%s", verbose, f.Rule, f.Subject, n, want, out)
			}
		}
		if !verbose && !strings.Contains(out, "-v shows 1 finding") {
			t.Errorf("hidden info not counted:\n%s", out)
		}
		if !strings.Contains(out, "1 suppressed") {
			t.Errorf("suppressed findings not counted:\n%s", out)
		}
	}
}

// TestNoForgedLines checks that a name cannot start a line of its own (or
// a workflow command) in any line-oriented format.
func TestNoForgedLines(t *testing.T) {
	for _, f := range []string{Text, GitHub, Markdown} {
		var b bytes.Buffer
		if err := Write(&b, f, forgedReport(), Options{}); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(b.String(), "\n") {
			trimmed := strings.TrimSpace(line)
			if strings.HasPrefix(trimmed, "PASS") || strings.HasPrefix(trimmed, "::notice::forged") || strings.HasPrefix(line, "PASS.wasm") {
				t.Errorf("%s: forged line %q", f, line)
			}
			if strings.ContainsAny(line, "\r\x1b\u202e") {
				t.Errorf("%s: raw control character in %q", f, line)
			}
		}
	}
}

// TestTextWhyOncePerRule: the rule's why is the same for each of its
// findings, so the text shows it with the first only.
func TestTextWhyOncePerRule(t *testing.T) {
	r := mixedReport()
	dup := r.Findings[0]
	dup.Subject = "golem:component/api#f2.param(speed-ms)"
	r.Findings = append(r.Findings, dup)
	var b bytes.Buffer
	if err := WriteText(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "why: "+dup.Why); n != 1 {
		t.Errorf("why shown %d times, want once:\n%s", n, b.String())
	}
	if n := strings.Count(b.String(), dup.Rule+"  "); n != 2 {
		t.Errorf("%d findings of %s shown, want 2", n, dup.Rule)
	}
}

// TestDeployLine: the first line of text and markdown names the open
// paths and what blocks the others.
func TestDeployLine(t *testing.T) {
	mode := func(v compat.Verdict, reasons ...compat.Reason) *compat.ModeResult {
		return &compat.ModeResult{Verdict: v, Reasons: reasons}
	}
	save := compat.Reason{Verdict: compat.Unsafe, Rule: "SNAPSHOT_SAVE_MISSING", Subject: "golem:api/save-snapshot", Message: "m"}
	load := compat.Reason{Verdict: compat.Unsafe, Rule: "SNAPSHOT_LOAD_MISSING", Subject: "golem:api/load-snapshot", Message: "m"}
	tests := []struct {
		name  string
		modes map[compat.Mode]*compat.ModeResult
		ident bool
		want  string
	}{
		{"issue example", map[compat.Mode]*compat.ModeResult{
			compat.ModeAPI: mode(compat.NotApplicable), compat.ModeRestart: mode(compat.Safe),
			compat.ModeReplay: mode(compat.Unproven, compat.Reason{Verdict: compat.Unproven, Message: "static"}), compat.ModeSnapshot: mode(compat.Unsafe, save),
		}, false, "deployable via: restart, replay (unproven) · blocked: snapshot (save-snapshot missing)"},
		{"two reasons", map[compat.Mode]*compat.ModeResult{compat.ModeAPI: mode(compat.Safe), compat.ModeSnapshot: mode(compat.Unsafe, save, load)},
			false, "deployable via: api · blocked: snapshot (save-snapshot missing, +1 more)"},
		{"nothing open", map[compat.Mode]*compat.ModeResult{
			compat.ModeAPI:     mode(compat.Unsafe, compat.Reason{Verdict: compat.Unsafe, Rule: "EXPORT_FUNCTION_REMOVED", Subject: "a:b/c#f1", Message: "m"}),
			compat.ModeRestart: mode(compat.Unsafe, compat.Reason{Verdict: compat.Unsafe, Rule: "IMPORT_NOT_PROVIDED", Subject: "a:b/d", Message: "m"}),
			compat.ModeReplay:  mode(compat.Unsafe, compat.Reason{Verdict: compat.Unsafe, Message: "log diverged; more"}),
		}, false, "deployable via: none · blocked: api (f1 removed), restart (d not provided), replay (log diverged)"},
		{"identical", map[compat.Mode]*compat.ModeResult{compat.ModeAPI: mode(compat.Safe), compat.ModeRestart: mode(compat.Safe)},
			true, "deployable via: api, restart (identical artifacts)"},
	}
	for _, tt := range tests {
		r := &compat.Report{Modes: tt.modes, Identical: tt.ident}
		var text, md bytes.Buffer
		if err := WriteText(&text, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(text.String(), "\n"); first != tt.want {
			t.Errorf("%s: text first line\n%q, want\n%q", tt.name, first, tt.want)
		}
		if err := WriteMarkdown(&md, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if lines := strings.SplitN(md.String(), "\n", 4); lines[2] != "**"+mdText(tt.want)+"**" {
			t.Errorf("%s: markdown third line %q", tt.name, lines[2])
		}
	}
}

// TestAnyGate: with Any, the applicable modes with the best verdict gate;
// findings of the others are notes.
func TestAnyGate(t *testing.T) {
	r := manyReport(1, 1, 0)
	r.Modes[compat.ModeRestart] = &compat.ModeResult{Verdict: compat.Safe}
	opts := Options{Any: true}
	if out := Evaluate(r, opts); out != OutcomePass {
		t.Errorf("outcome %s, want pass (restart is safe)", out)
	}
	views := modeViews(r, opts)
	for i := range r.Findings {
		if l := level(&r.Findings[i], views); l != LevelNote {
			t.Errorf("%s: level %s, want note", r.Findings[i].Rule, l)
		}
	}
	// Every mode blocked: every mode gates, and the gate fails.
	r.Modes[compat.ModeRestart].Verdict = compat.Unsafe
	if out := Evaluate(r, opts); out != OutcomeFail {
		t.Errorf("outcome %s, want fail", out)
	}
	if l := level(&r.Findings[0], modeViews(r, opts)); l != LevelError {
		t.Errorf("level %s, want error", l)
	}
	// The report's gate asks for it too.
	r.Modes[compat.ModeRestart].Verdict = compat.Unproven
	r.Gate = &compat.Gate{Any: true}
	if out := Evaluate(r, Options{}); out != OutcomeUnproven {
		t.Errorf("report gate: outcome %s, want unproven", out)
	}
	if out := Evaluate(r, Options{RequireProof: true}); out != OutcomeFail {
		t.Errorf("report gate, proof required: outcome %s, want fail", out)
	}
	// Modes named in the options win over the report's any gate.
	if out := Evaluate(r, Options{Gate: []compat.Mode{compat.ModeAPI}}); out != OutcomeFail {
		t.Errorf("options' modes over the report's any: outcome %s, want fail", out)
	}
}

// TestFixRendered: a finding's fix command appears in every
// human-readable format and in SARIF's message.
func TestFixRendered(t *testing.T) {
	r := manyReport(1, 1, 0)
	r.Findings[0].Fix = "wfcompat pin new.wasm --against old.wasm -o PINNED.wasm"
	for _, f := range []string{Text, Markdown, GitHub, SARIF, JSON} {
		var b bytes.Buffer
		if err := Write(&b, f, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "wfcompat pin new.wasm --against old.wasm") {
			t.Errorf("%s lacks the fix:\n%s", f, b.String())
		}
	}
}
