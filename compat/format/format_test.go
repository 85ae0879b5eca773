package format

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		Schema: compat.ReportSchema,
		Old:    compat.Artifact{Path: "testdata/corpus/golem-v1.1.0/counters.wasm", Kind: "component", SHA256: sha1},
		New:    compat.Artifact{Path: "build/counters.wasm", Kind: "component", SHA256: sha2},
		Modes:  all,
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
		Schema: compat.ReportSchema,
		Old:    compat.Artifact{Path: "testdata/corpus/golem-v1.1.0/update-test-v1.wasm", Kind: "component", SHA256: sha1},
		New:    compat.Artifact{Path: "build/new, v2/update-test.wasm", Kind: "component", SHA256: sha2},
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
	}
}

// sparseReport: empty schema, missing modes, nil slices.
func sparseReport() *compat.Report {
	return &compat.Report{
		Old: compat.Artifact{Path: "old.wit", Kind: "wit"},
		New: compat.Artifact{Path: "/abs/new.wit", Kind: "wit"},
		Modes: map[compat.Mode]*compat.ModeResult{
			compat.ModeAPI:     {Verdict: compat.Safe},
			compat.ModeRestart: {Verdict: compat.Unproven},
		},
	}
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
	{name: "mixed-gated", report: mixedReport, opts: Options{Gate: []compat.Mode{compat.ModeAPI, compat.ModeRestart, compat.ModeInFlight}, RequireProof: true}, formats: []string{Text, GitHub, JUnit, Markdown}},
	{name: "mixed-color", report: mixedReport, opts: Options{Color: true}, formats: []string{Text}},
	{name: "sparse", report: sparseReport},
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
				if err := Write(&b, f, c.report(), c.opts); err != nil {
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

func reports() map[string]*compat.Report {
	return map[string]*compat.Report{"safe": safeReport(), "mixed": mixedReport(), "sparse": sparseReport()}
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

// sarifMirror is the part of SARIF 2.1.0 the output must get right.
type sarifMirror struct {
	Schema  *string `json:"$schema"`
	Version *string `json:"version"`
	Runs    []struct {
		Tool *struct {
			Driver *struct {
				Name           *string `json:"name"`
				InformationURI *string `json:"informationUri"`
				Rules          []struct {
					ID               *string `json:"id"`
					ShortDescription *struct {
						Text *string `json:"text"`
					} `json:"shortDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    *string `json:"ruleId"`
			RuleIndex *int    `json:"ruleIndex"`
			Level     *string `json:"level"`
			Message   *struct {
				Text *string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation *struct {
						URI *string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName *string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFStructure(t *testing.T) {
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSARIF(&b, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b.Bytes()) {
				t.Fatalf("invalid JSON:\n%s", b.String())
			}
			var s sarifMirror
			dec := json.NewDecoder(&b)
			if err := dec.Decode(&s); err != nil {
				t.Fatal(err)
			}
			if s.Schema == nil || *s.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
				t.Errorf("$schema = %v", s.Schema)
			}
			if s.Version == nil || *s.Version != "2.1.0" {
				t.Errorf("version = %v", s.Version)
			}
			if len(s.Runs) != 1 {
				t.Fatalf("%d runs, want 1", len(s.Runs))
			}
			run := s.Runs[0]
			if run.Tool == nil || run.Tool.Driver == nil || run.Tool.Driver.Name == nil || *run.Tool.Driver.Name != "wfcompat" ||
				run.Tool.Driver.InformationURI == nil || *run.Tool.Driver.InformationURI == "" {
				t.Fatalf("bad tool.driver")
			}
			rules := run.Tool.Driver.Rules
			seen := map[string]bool{}
			for _, rule := range rules {
				if rule.ID == nil || *rule.ID == "" || seen[*rule.ID] {
					t.Errorf("rule id missing or repeated: %v", rule.ID)
					continue
				}
				seen[*rule.ID] = true
				if rule.ShortDescription == nil || rule.ShortDescription.Text == nil || *rule.ShortDescription.Text == "" {
					t.Errorf("rule %s: no shortDescription.text", *rule.ID)
				}
			}
			wantRules := map[string]bool{}
			for _, f := range r.Findings {
				wantRules[f.Rule] = true
			}
			if len(wantRules) != len(seen) {
				t.Errorf("%d rules, want %d distinct", len(seen), len(wantRules))
			}
			if len(run.Results) != len(r.Findings) {
				t.Fatalf("%d results, want %d", len(run.Results), len(r.Findings))
			}
			levels := map[compat.Severity]string{compat.SeverityError: "error", compat.SeverityWarning: "warning", compat.SeverityInfo: "note"}
			for i, res := range run.Results {
				f := r.Findings[i]
				if res.RuleID == nil || *res.RuleID != f.Rule {
					t.Errorf("result %d: ruleId %v, want %s", i, res.RuleID, f.Rule)
				}
				if res.RuleIndex == nil || *res.RuleIndex >= len(rules) || *rules[*res.RuleIndex].ID != f.Rule {
					t.Errorf("result %d: ruleIndex does not point at %s", i, f.Rule)
				}
				if res.Level == nil || *res.Level != levels[f.Severity] {
					t.Errorf("result %d: level %v, want %s", i, res.Level, levels[f.Severity])
				}
				if res.Message == nil || res.Message.Text == nil || *res.Message.Text != f.Message {
					t.Errorf("result %d: message.text %v", i, res.Message)
				}
				if len(res.Locations) != 1 {
					t.Fatalf("result %d: %d locations", i, len(res.Locations))
				}
				loc := res.Locations[0]
				if loc.PhysicalLocation == nil || loc.PhysicalLocation.ArtifactLocation == nil ||
					loc.PhysicalLocation.ArtifactLocation.URI == nil || *loc.PhysicalLocation.ArtifactLocation.URI != pathURI(r.New.Path) {
					t.Errorf("result %d: bad physicalLocation", i)
				}
				if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName == nil ||
					*loc.LogicalLocations[0].FullyQualifiedName != f.Subject {
					t.Errorf("result %d: bad logicalLocations", i)
				}
			}
		})
	}
}

func TestPathURI(t *testing.T) {
	for in, want := range map[string]string{
		"build/counters.wasm":            "build/counters.wasm",
		"build/new, v2/update-test.wasm": "build/new,%20v2/update-test.wasm",
		"/abs/new.wit":                   "file:///abs/new.wit",
		"a:b.wasm":                       "./a:b.wasm",
		"100%.wasm":                      "100%25.wasm",
		"":                               "",
	} {
		if got := pathURI(in); got != want {
			t.Errorf("pathURI(%q) = %q, want %q", in, got, want)
		}
	}
}

type junitMirror struct {
	XMLName  xml.Name `xml:"testsuite"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Cases    []struct {
		Classname string `xml:"classname,attr"`
		Name      string `xml:"name,attr"`
		Failure   *struct {
			Type string `xml:"type,attr"`
		} `xml:"failure"`
		Skipped *struct{} `xml:"skipped"`
	} `xml:"testcase"`
}

func TestJUnitWellFormed(t *testing.T) {
	opts := []Options{{}, {RequireProof: true}, {Gate: []compat.Mode{compat.ModeAPI}}}
	for name, r := range reports() {
		for i, o := range opts {
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) {
				var b bytes.Buffer
				if err := WriteJUnit(&b, r, o); err != nil {
					t.Fatal(err)
				}
				dec := xml.NewDecoder(bytes.NewReader(b.Bytes()))
				dec.Strict = true
				for {
					_, err := dec.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatalf("not well-formed: %v\n%s", err, b.String())
					}
				}
				var s junitMirror
				if err := xml.Unmarshal(b.Bytes(), &s); err != nil {
					t.Fatal(err)
				}
				var failures, skipped int
				for _, c := range s.Cases {
					if c.Classname != "wfcompat.mode" {
						t.Errorf("classname %q", c.Classname)
					}
					if c.Failure != nil {
						failures++
					}
					if c.Skipped != nil {
						skipped++
					}
					if c.Failure != nil && c.Skipped != nil {
						t.Errorf("%s: both failure and skipped", c.Name)
					}
				}
				if s.Name != "wfcompat" || s.Tests != len(s.Cases) || s.Tests < len(compat.AllModes()) ||
					s.Failures != failures || s.Skipped != skipped {
					t.Errorf("counts: tests=%d failures=%d skipped=%d; cases=%d failures=%d skipped=%d",
						s.Tests, s.Failures, s.Skipped, len(s.Cases), failures, skipped)
				}
				if fail := Evaluate(r, o) == OutcomeFail; fail != (failures > 0) {
					t.Errorf("junit failures=%d but Evaluate=%s", failures, Evaluate(r, o))
				}
			})
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got, want := ghData("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b"; got != want {
		t.Errorf("ghData = %q, want %q", got, want)
	}
	if got, want := ghProperty("dir: a,b%\n"), "dir%3A a%2Cb%25%0A"; got != want {
		t.Errorf("ghProperty = %q, want %q", got, want)
	}
	r := mixedReport()
	var b bytes.Buffer
	if err := WriteGitHub(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	commands := 0
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "::error "), strings.HasPrefix(line, "::warning "), strings.HasPrefix(line, "::notice "):
			commands++
			props, _, ok := strings.Cut(strings.SplitN(line, " ", 2)[1], "::")
			if !ok {
				t.Errorf("no data separator: %q", line)
			}
			if !strings.HasPrefix(props, "file=build/new%2C v2/update-test.wasm,title=") {
				t.Errorf("properties %q", props)
			}
		case strings.HasPrefix(line, "wfcompat: "):
		default:
			t.Errorf("stray line (a newline escaped the command?): %q", line)
		}
	}
	if commands != len(r.Findings) {
		t.Errorf("%d commands, want %d", commands, len(r.Findings))
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
		// Only a subject, on a line of its own, may overflow.
		if n := utf8.RuneCountInString(line); n > textWidth && !subjects[strings.TrimSpace(line)] {
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
		"line\nbreak":   "line break",
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
