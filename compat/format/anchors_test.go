package format_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/format"
)

// TestSARIFHelpAnchors renders a finding of every rule wfcompat reports
// under and checks that its SARIF helpUri points at a heading that
// docs/rules.md has, and that every rule has help.
func TestSARIFHelpAnchors(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	r := &compat.Report{Schema: compat.ReportSchema, New: compat.Artifact{Path: "new.wasm"}, Modes: map[compat.Mode]*compat.ModeResult{}}
	for _, rule := range wfcompat.Rules().Rules() {
		r.Findings = append(r.Findings, compat.Finding{Rule: rule.ID, Severity: rule.Severity, Modes: rule.Modes(), Subject: "s", Message: "m"})
	}
	var b bytes.Buffer
	if err := format.WriteSARIF(&b, r, format.Options{Rules: wfcompat.Rules()}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
						Help    *struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) != len(r.Findings) || len(rules) < 40 {
		t.Fatalf("%d SARIF rules for %d catalog rules", len(rules), len(r.Findings))
	}
	for _, rule := range rules {
		_, anchor, ok := strings.Cut(rule.HelpURI, "/docs/rules.md#")
		if !ok || anchor != strings.ToLower(rule.ID) || !bytes.Contains(doc, []byte("\n### "+rule.ID+"\n")) {
			t.Errorf("%s: helpUri %q has no heading in docs/rules.md", rule.ID, rule.HelpURI)
		}
		if rule.Help == nil || !strings.Contains(rule.Help.Text, "Why it matters") {
			t.Errorf("%s: no help from the catalog", rule.ID)
		}
	}
}
