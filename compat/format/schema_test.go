package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/sarif"
	"github.com/wfcompat/wfcompat/internal/schematest"
	"github.com/wfcompat/wfcompat/internal/shared"
)

var gateOptions = []Options{{}, {RequireProof: true}, {Gate: []compat.Mode{compat.ModeAPI}}, {Verbose: true}}

// TestSARIFSchema validates every SARIF output against the OASIS SARIF
// 2.1.0 schema, read from ../shared/schemas.
func TestSARIFSchema(t *testing.T) {
	s := schematest.CompileJSON(t, shared.Path(t, "schemas/sarif-schema-2.1.0.json"))
	for name, r := range reports() {
		for _, o := range gateOptions {
			var b bytes.Buffer
			if err := WriteSARIF(&b, r, o); err != nil {
				t.Fatal(err)
			}
			if err := schematest.ValidateJSON(s, b.Bytes()); err != nil {
				t.Errorf("%s %+v: invalid SARIF: %v", name, o, err)
			}
		}
	}
}

// TestSARIFForCodeScanning checks what GitHub code scanning reads beyond
// the schema (the SARIF Multitool's GH rules and GitHub's documented
// properties): a located result with a line, fingerprints, rule help.
func TestSARIFForCodeScanning(t *testing.T) {
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSARIF(&b, r, Options{Gate: []compat.Mode{compat.ModeAPI}}); err != nil {
				t.Fatal(err)
			}
			var log sarifLog
			if err := json.Unmarshal(b.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			run := log.Runs[0]
			if "v"+run.Tool.Driver.Version != testVersion || "v"+run.Tool.Driver.SemanticVersion != testVersion {
				t.Errorf("driver.version = %q", run.Tool.Driver.Version)
			}
			if id := run.AutomationDetails; id == nil || strings.Count(id.ID, "/") < 2 {
				t.Errorf("automationDetails = %+v, want category/run", id)
			}
			if len(run.Results) > 25000 || len(run.Tool.Driver.Rules) > 25000 {
				t.Errorf("more results or rules than code scanning accepts")
			}
			for _, rule := range run.Tool.Driver.Rules {
				if _, known := lookupRule(Options{}, rule.ID); !known {
					continue // test reports use a few made-up rules
				}
				if rule.FullDescription.Text == "" || rule.Help == nil || rule.Help.Text == "" || rule.Help.Markdown == "" ||
					rule.HelpURI != rulesDocURL+"#"+strings.ToLower(rule.ID) || rule.DefaultConfiguration == nil {
					t.Errorf("rule %s: missing fullDescription, help, helpUri or defaultConfiguration: %+v", rule.ID, rule)
				}
			}
			suppressed := 0
			seen := map[string]bool{}
			for i, res := range run.Results {
				if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation == nil ||
					res.Locations[0].PhysicalLocation.Region == nil || res.Locations[0].PhysicalLocation.Region.StartLine != 1 ||
					res.Locations[0].PhysicalLocation.ArtifactLocation.URI != sarif.PathURI(firstNonEmpty(r.New.Path, r.Old.Path)) {
					t.Errorf("result %d: no physical location with a line at the new (or old) artifact: %+v", i, res.Locations)
				}
				fp := res.PartialFingerprints[fingerprintKey]
				if fp == "" || seen[fp] && len(res.Suppressions) == 0 {
					t.Errorf("result %d: fingerprint %q missing or repeated", i, fp)
				}
				seen[fp] = true
				if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
					t.Errorf("result %d: ruleIndex does not point at %s", i, res.RuleID)
				}
				if strings.ContainsAny(res.Message.Text, "\n\r\x1b") {
					t.Errorf("result %d: raw control character in message %q", i, res.Message.Text)
				}
				if len(res.Suppressions) > 0 {
					suppressed++
				}
			}
			if suppressed != len(r.Suppressed) || len(run.Results) != len(r.Findings)+len(r.Suppressed) {
				t.Errorf("%d results (%d suppressed) for %d findings and %d suppressed", len(run.Results), suppressed, len(r.Findings), len(r.Suppressed))
			}
		})
	}
}

// TestSARIFMultitool runs the SARIF Multitool's validator with its SARIF
// and GitHub (GH) rule sets on every SARIF output: no error may remain
// (see schematest.ValidateSARIF; the test skips, saying so, without the
// Multitool).
func TestSARIFMultitool(t *testing.T) {
	docs := map[string][]byte{}
	for name, r := range reports() {
		for i, o := range gateOptions {
			var b bytes.Buffer
			if err := WriteSARIF(&b, r, o); err != nil {
				t.Fatal(err)
			}
			docs[fmt.Sprintf("%s-%d", name, i)] = b.Bytes()
		}
	}
	schematest.ValidateSARIF(t, docs)
}

// TestSARIFFingerprintStable: the fingerprint depends on rule and subject
// only, not on the message, the artifacts or the order.
func TestSARIFFingerprintStable(t *testing.T) {
	a := compat.Finding{Rule: "EXPORT_FUNCTION_REMOVED", Subject: "pkg:a/b#f", Message: "one"}
	b := a
	b.Message = "two"
	c := a
	c.Subject = "pkg:a/b#g"
	if fingerprint(&a) != fingerprint(&b) || fingerprint(&a) == fingerprint(&c) {
		t.Error("fingerprint must follow rule and subject only")
	}
}

// TestJUnitSchema validates every JUnit output against the Ant JUnit
// schema and the Jenkins xUnit plugin's (../shared/schemas) with xmllint.
func TestJUnitSchema(t *testing.T) {
	xsds := []string{shared.Path(t, "schemas/ant-JUnit.xsd"), shared.Path(t, "schemas/jenkins-junit-10.xsd")}
	for name, r := range reports() {
		for _, o := range gateOptions {
			var b bytes.Buffer
			if err := WriteJUnit(&b, r, o); err != nil {
				t.Fatal(err)
			}
			for _, xsd := range xsds {
				if err := schematest.ValidateXML(t, xsd, b.Bytes()); err != nil {
					t.Errorf("%s %+v: invalid against %s: %v\n%s", name, o, filepath.Base(xsd), err, b.String())
				}
			}
			out := b.String()
			if !strings.Contains(out, `classname="`+junitClass(r)+`"`) || !strings.Contains(out, `timestamp="`) || !strings.Contains(out, ` time="`) {
				t.Errorf("%s: class name with the artifact pair, timestamp or time missing:\n%s", name, out)
			}
			fails := strings.Count(out, "<failure ")
			if (Evaluate(r, o) == OutcomeFail) != (fails > 0) {
				t.Errorf("%s %+v: %d failures but outcome %s", name, o, fails, Evaluate(r, o))
			}
		}
	}
}

func TestJUnitClassKeepsPairsApart(t *testing.T) {
	a := &compat.Report{Old: compat.Artifact{Path: "v1/app.wasm"}, New: compat.Artifact{Path: "v2/app.wasm"}}
	b := &compat.Report{Old: compat.Artifact{Path: "v2/app.wasm"}, New: compat.Artifact{Path: "v3/app.wasm"}}
	if junitClass(a) == junitClass(b) || strings.ContainsAny(junitClass(a)[len("wfcompat."):], ". /") {
		t.Errorf("classes %q and %q", junitClass(a), junitClass(b))
	}
}

// TestJUnitFailureType: a failure always carries the type attribute the
// Ant schema requires, even when its verdict cleans to nothing (a forged
// verdict of spaces only).
func TestJUnitFailureType(t *testing.T) {
	r := &compat.Report{
		Schema: compat.ReportSchema, ToolVersion: testVersion,
		Old:   compat.Artifact{Path: "old.wasm", Kind: "core"},
		New:   compat.Artifact{Path: "new.wasm", Kind: "core"},
		Modes: map[compat.Mode]*compat.ModeResult{compat.ModeAPI: {Verdict: compat.Verdict("   ")}},
	}
	var b bytes.Buffer
	if err := WriteJUnit(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "<failure ") {
		t.Fatalf("no failure for an unknown verdict:\n%s", out)
	}
	if !strings.Contains(out, `type=""`) {
		t.Errorf("failure without its type attribute:\n%s", out)
	}
	xsd := shared.Path(t, "schemas/ant-JUnit.xsd")
	if err := schematest.ValidateXML(t, xsd, b.Bytes()); err != nil {
		t.Errorf("invalid against %s: %v\n%s", filepath.Base(xsd), err, out)
	}
}
