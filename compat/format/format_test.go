package format

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wfcompat/wfcompat/compat"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	sha1 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	sha2 = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
)

// safeReport: every mode safe, one informational finding.
func safeReport() *compat.Report {
	all := map[compat.Mode]*compat.ModeResult{}
	for _, m := range compat.AllModes() {
		all[m] = &compat.ModeResult{Verdict: compat.Safe}
	}
	return &compat.Report{
		Schema:      compat.ReportSchema,
		ToolVersion: testVersion,
		Old:         compat.Artifact{Path: "testdata/corpus/golem-v1.1.0/counters.wasm", Kind: "component", SHA256: sha1},
		New:         compat.Artifact{Path: "build/counters.wasm", Kind: "component", SHA256: sha2},
		Modes:       all,
		Findings: []compat.Finding{{
			Rule:     "EXPORT_FUNCTION_ADDED",
			Severity: compat.SeverityInfo,
			Modes:    []compat.Mode{compat.ModeAPI},
			Subject:  "golem:component/api#get-count",
			Message:  "export get-count was added",
			New:      "get-count: func() -> u64;",
			Why:      "Adding an export never breaks an existing caller.",
		}},
	}
}

// mixedReport: every verdict, multi-line WIT, characters that need
// escaping in every format, a long subject, an unattached finding.
func mixedReport() *compat.Report {
	return &compat.Report{
		Schema:      compat.ReportSchema,
		ToolVersion: testVersion,
		Config:      "wfcompat.yaml",
		Old:         compat.Artifact{Path: "testdata/corpus/golem-v1.1.0/update-test-v1.wasm", Kind: "component", SHA256: sha1},
		New:         compat.Artifact{Path: "build/new, v2/update-test.wasm", Kind: "component", SHA256: sha2},
		Modes: map[compat.Mode]*compat.ModeResult{
			compat.ModeAPI: {Verdict: compat.Safe},
			compat.ModeRestart: {Verdict: compat.Unproven, Reasons: []compat.Reason{{
				Verdict: compat.Unproven,
				Message: "restart re-executes a run from its recorded inputs; whether the new code consumes them the same way cannot be proven statically",
			}}},
			compat.ModeReplay: {Verdict: compat.Unsafe, Reasons: []compat.Reason{
				{Verdict: compat.Unsafe, Rule: "EXPORT_FUNCTION_SIGNATURE_CHANGED", Subject: "golem:component/api#f1.param(speed-ms)", Message: "parameter speed-ms changed type: u32 → u64"},
				{Verdict: compat.Unsafe, Rule: "STATE_TYPE_CHANGED", Subject: "golem:component/api#state", Message: "record state gained field last-seen"},
				{Verdict: compat.Unproven, Rule: "CORE_FUNCTION_BODY_CHANGED", Subject: "core:func[12]", Message: "the body of core function 12 changed"},
			}},
			compat.ModeSnapshot: {Verdict: compat.Unsafe, Reasons: []compat.Reason{{
				Verdict: compat.Unsafe, Rule: "STATE_TYPE_CHANGED", Subject: "golem:component/api#state",
				Message: "record state gained field `last-seen` | 100% sure: <b>html</b> & *stars* \"quoted\"",
			}}},
			compat.ModeInFlight: {Verdict: compat.NotApplicable, Reasons: []compat.Reason{{
				Verdict: compat.NotApplicable, Message: "no function table: the component makes no outstanding calls",
			}}},
		},
		Findings: []compat.Finding{
			{
				Rule:     "EXPORT_FUNCTION_SIGNATURE_CHANGED",
				Severity: compat.SeverityError,
				Modes:    []compat.Mode{compat.ModeReplay},
				Subject:  "golem:component/api#f1.param(speed-ms)",
				Message:  "parameter speed-ms changed type: u32 → u64",
				Old:      "f1: func(speed-ms: u32) -> result<string, error-code>;",
				New:      "f1: func(speed-ms: u64) -> result<string, error-code>;",
				Why:      "A replayed call decodes its recorded arguments with the new signature.",
			},
			{
				Rule:     "STATE_TYPE_CHANGED",
				Severity: compat.SeverityError,
				Modes:    []compat.Mode{compat.ModeReplay, compat.ModeSnapshot},
				Subject:  "golem:component/api#state",
				Message:  "record state gained field `last-seen`, 100% sure:\nold readers\r\nwill fail \x1b[31m<here>\x1b[0m & *there* ]]>",
				Old:      "record state {\n  count: u64,\n  name: string,\n}\n",
				New:      "/// see ```example``` | 50%\nrecord state {\n  count: u64,\n  name: string,\n\n  last-seen: option<list<u8>>,\n}",
				Why:      "A snapshot written by the old build is loaded into the new build's state type.",
			},
			{
				Rule:     "CORE_FUNCTION_BODY_CHANGED",
				Severity: compat.SeverityWarning,
				Modes:    []compat.Mode{compat.ModeRestart, compat.ModeReplay},
				Subject:  "core:func[12]",
				Message:  "the body of core function 12 changed; its side effects may now happen in a different order, which a replay of the recorded log would not match",
				Why:      "Replay assumes the code makes the same host calls in the same order.",
			},
			{
				Rule:     "IMPORT_INTERFACE_VERSION_CHANGED",
				Severity: compat.SeverityWarning,
				Modes:    []compat.Mode{compat.ModeRestart},
				Subject:  "wasi:http/outgoing-handler@0.2.0#handle(request).result<incoming-response, error-code>.variant(error-code).case(http-request-uri-invalid)",
				Message:  "import version moved 0.2.0 → 0.2.3",
				Why:      "The host must still provide the old interface version.",
			},
			{
				Rule:     "CUSTOM_SECTION_CHANGED",
				Severity: compat.SeverityInfo,
				Subject:  "custom:producers",
				Message:  "producers changed: rustc 1.80 → 1.82",
				Why:      "Informational: toolchain drift.",
			},
		},
		Suppressed: []compat.Suppressed{{
			Finding: compat.Finding{
				Rule:     "EXPORT_FUNCTION_REMOVED",
				Severity: compat.SeverityError,
				Modes:    []compat.Mode{compat.ModeAPI, compat.ModeRestart, compat.ModeReplay},
				Subject:  "golem:component/api#debug-dump",
				Message:  "function debug-dump is no longer exported by golem:component/api",
				Why:      "Callers and pending or recorded invocations of the function have nothing to call.",
			},
			Reason: "debug-only export, never called in production",
			Until:  "2027-01-01",
		}},
		Warnings: []string{"ignore entry at wfcompat.yaml:9 (subject wasi:http/types) matched no finding; remove it"},
	}
}

// forgedReport has names that try to forge report lines, workflow
// commands and markup in every format: newlines, carriage returns, ANSI
// escapes, bidi overrides.
func forgedReport() *compat.Report {
	evil := "f\nPASS: every gating mode is safe\n::notice::forged\r\x1b[2K\u202eok"
	return &compat.Report{
		Schema:      compat.ReportSchema,
		ToolVersion: testVersion,
		Old:         compat.Artifact{Path: "old\nPASS.wasm", Kind: "core"},
		New:         compat.Artifact{Path: "new.wasm", Kind: "core"},
		Modes: map[compat.Mode]*compat.ModeResult{
			compat.ModeAPI: {Verdict: compat.Unsafe, Reasons: []compat.Reason{{Verdict: compat.Unsafe, Rule: "EXPORT_FUNCTION_REMOVED", Subject: "core:export(" + evil + ")", Message: "export " + evil + " was removed"}}},
		},
		Findings: []compat.Finding{{
			Rule: "EXPORT_FUNCTION_REMOVED", Severity: compat.SeverityError, Modes: []compat.Mode{compat.ModeAPI},
			Subject: "core:export(" + evil + ")", Message: "export " + evil + " was removed", Why: "Callers have nothing to call.",
		}},
	}
}

// sparseReport: empty schema, missing modes, nil slices.
func sparseReport() *compat.Report {
	return &compat.Report{
		ToolVersion: testVersion,
		Old:         compat.Artifact{Path: "old.wit", Kind: "wit"},
		New:         compat.Artifact{Path: "/abs/new.wit", Kind: "wit"},
		Modes: map[compat.Mode]*compat.ModeResult{
			compat.ModeAPI:     {Verdict: compat.Safe},
			compat.ModeRestart: {Verdict: compat.Unproven},
		},
	}
}

// testVersion stands for the tool version in golden files.
const testVersion = "v0.0.0-test"

// goldenTime and goldenHost make JUnit output reproducible.
var goldenTime = time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)

func gopts(o Options) Options {
	o.Time, o.Elapsed, o.Hostname = goldenTime, 1234*time.Millisecond, "ci-runner"
	return o
}

type goldenCase struct {
	name    string
	report  func() *compat.Report
	opts    Options
	formats []string // nil: all
}

var goldenCases = []goldenCase{
	{name: "safe", report: safeReport},
	{name: "mixed", report: mixedReport},
	{name: "mixed-gated", report: mixedReport, opts: Options{Gate: []compat.Mode{compat.ModeAPI, compat.ModeRestart, compat.ModeInFlight}, RequireProof: true}, formats: []string{Text, GitHub, JUnit, Markdown, SARIF, JSON}},
	{name: "mixed-color", report: mixedReport, opts: Options{Color: true}, formats: []string{Text}},
	{name: "mixed-verbose", report: mixedReport, opts: Options{Verbose: true}, formats: []string{Text, GitHub}},
	{name: "sparse", report: sparseReport},
	{name: "forged", report: forgedReport},
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		formats := c.formats
		if formats == nil {
			formats = Formats()
		}
		for _, f := range formats {
			t.Run(c.name+"/"+f, func(t *testing.T) {
				var b bytes.Buffer
				if err := Write(&b, f, c.report(), gopts(c.opts)); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", c.name+"."+f+".golden")
				if *update {
					if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if d := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(b.String(), "\n")); d != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", path, d)
				}
			})
		}
	}
}

// pathlessReport: the mixed report with no artifact paths (a library
// caller's report, or one from a reader).
func pathlessReport() *compat.Report {
	r := mixedReport()
	r.Old.Path, r.New.Path = "", ""
	return r
}

// oddPathReport: the mixed report with a Windows drive path and a relative
// path with spaces, '#', '%' and non-ASCII letters.
func oddPathReport() *compat.Report {
	r := mixedReport()
	r.Old.Path, r.New.Path = `C:uilds1 (old)\counter.wasm`, "builds/v2 #3 100%/compteur-été.wasm"
	return r
}

func reports() map[string]*compat.Report {
	return map[string]*compat.Report{"safe": safeReport(), "mixed": mixedReport(), "sparse": sparseReport(), "forged": forgedReport(),
		"pathless": pathlessReport(), "odd-path": oddPathReport()}
}

func TestJSONRoundTrip(t *testing.T) {
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(b.String(), "}\n") || !strings.Contains(b.String(), "\n  \"schema\"") {
				t.Errorf("want 2-space indent and trailing newline, got:\n%s", b.String())
			}
			var got compat.Report
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := *r
			if want.Schema == "" {
				want.Schema = compat.ReportSchema
			}
			// The output carries the gate it was judged by.
			if got.Gate == nil || got.Gate.Outcome != string(Evaluate(r, Options{})) {
				t.Errorf("gate = %+v, want outcome %s", got.Gate, Evaluate(r, Options{}))
			}
			want.Gate = got.Gate
			if d := cmp.Diff(&want, &got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
			// Arrays are never null.
			if strings.Contains(b.String(), "null") {
				t.Errorf("null in output:\n%s", b.String())
			}
		})
	}
}

func TestJSONDoesNotModifyReport(t *testing.T) {
	r := sparseReport()
	if err := WriteJSON(io.Discard, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(sparseReport(), r); d != "" {
		t.Errorf("report modified (-before +after):\n%s", d)
	}
}

func TestWriteErrors(t *testing.T) {
	err := Write(io.Discard, "xml", safeReport(), Options{})
	if err == nil || !strings.Contains(err.Error(), "text, json, sarif, github, junit, markdown") {
		t.Errorf("unknown format: err = %v", err)
	}
	if err := Write(io.Discard, Text, nil, Options{}); err == nil {
		t.Error("nil report: no error")
	}
	for _, f := range Formats() {
		if err := Write(io.Discard, f, safeReport(), Options{}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestEvaluate(t *testing.T) {
	unknown := safeReport()
	unknown.Modes[compat.ModeReplay].Verdict = "maybe"
	for _, c := range []struct {
		name string
		r    *compat.Report
		opts Options
		want Outcome
	}{
		{"safe", safeReport(), Options{}, OutcomePass},
		{"mixed", mixedReport(), Options{}, OutcomeFail},
		{"mixed api only", mixedReport(), Options{Gate: []compat.Mode{compat.ModeAPI}}, OutcomePass},
		{"mixed api+restart", mixedReport(), Options{Gate: []compat.Mode{compat.ModeAPI, compat.ModeRestart}}, OutcomeUnproven},
		{"mixed api+restart proof", mixedReport(), Options{Gate: []compat.Mode{compat.ModeAPI, compat.ModeRestart}, RequireProof: true}, OutcomeFail},
		{"mixed in-flight only (n/a)", mixedReport(), Options{Gate: []compat.Mode{compat.ModeInFlight}}, OutcomePass},
		{"sparse", sparseReport(), Options{}, OutcomeUnproven},
		{"sparse missing mode gated", sparseReport(), Options{Gate: []compat.Mode{compat.ModeSnapshot}}, OutcomePass},
		{"unknown verdict fails closed", unknown, Options{}, OutcomeFail},
	} {
		if got := Evaluate(c.r, c.opts); got != c.want {
			t.Errorf("%s: Evaluate = %s, want %s", c.name, got, c.want)
		}
	}
}

func TestTextReadable(t *testing.T) {
	var b bytes.Buffer
	for _, o := range []Options{{}, {Gate: []compat.Mode{compat.ModeRestart}, RequireProof: true}} {
		if err := WriteText(&b, mixedReport(), o); err != nil {
			t.Fatal(err)
		}
	}
	if strings.ContainsRune(b.String(), 0x1b) {
		t.Error("escape character in uncolored text")
	}
	subjects := map[string]bool{}
	for _, f := range mixedReport().Findings {
		subjects[f.Subject] = true
	}
	for _, line := range strings.Split(b.String(), "\n") {
		// Only a subject, on a line of its own, and the deploy line (the
		// first line, never wrapped) may overflow.
		if n := utf8.RuneCountInString(line); n > textWidth && !subjects[strings.TrimSpace(line)] && !strings.HasPrefix(line, "deployable via: ") {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
}

func TestMarkdownBudget(t *testing.T) {
	r := mixedReport()
	base := r.Findings
	for len(r.Findings) < 3000 {
		r.Findings = append(r.Findings, base...)
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 65536 || !strings.Contains(b.String(), "more findings not shown") || !strings.HasSuffix(b.String(), "</sub>\n") {
		t.Errorf("markdown of %d bytes, tail:\n%s", b.Len(), b.String()[max(0, b.Len()-500):])
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"a|b <i>&*x*_":  `a\|b \<i\>\&\*x\*\_`,
		"- item":        `\- item`,
		"1. first":      `1\. first`,
		"a-b":           "a-b",
		"line\nbreak":   `line\\nbreak`,
		"esc\x1b[31m":   `esc\\x1b\[31m`,
		"":              "",
		"`code` here ~": "\\`code\\` here \\~",
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := mdCode("a`b", false), "``a`b``"; got != want {
		t.Errorf("mdCode = %q, want %q", got, want)
	}
	if got, want := mdCode("a|b", true), "`a\\|b`"; got != want {
		t.Errorf("mdCode in table = %q, want %q", got, want)
	}
}
