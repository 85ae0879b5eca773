package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
)

func TestRulesText(t *testing.T) {
	code, out, errOut := runCLI(t, "", false, "rules")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, r := range compat.Rules() {
		if !strings.Contains(out, r.ID+" ("+string(r.Severity)+")") || !strings.Contains(out, r.Why) {
			t.Errorf("listing lacks %s", r.ID)
		}
	}
	if !strings.Contains(out, "modes:  api unsafe, restart listed, replay listed") {
		t.Errorf("no effects line:\n%.400s", out)
	}
}

func TestRulesSelected(t *testing.T) {
	code, out, _ := runCLI(t, "", false, "rules", "param_renamed")
	if code != ExitOK || !strings.HasPrefix(out, "PARAM_RENAMED (warning)\n") || strings.Contains(out, "PARAM_ADDED") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "", false, "rules", "NOPE")
	if code != ExitError || !strings.Contains(errOut, `unknown rule "NOPE"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestRulesJSON(t *testing.T) {
	code, out, _ := runCLI(t, "", false, "rules", "--format", "json")
	var doc struct {
		Schema string        `json:"schema"`
		Rules  []compat.Rule `json:"rules"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if doc.Schema != RulesSchema || len(doc.Rules) != len(compat.Rules()) || doc.Rules[0].Example.Before == "" || len(doc.Rules[0].Effects) == 0 {
		t.Errorf("%+v", doc)
	}
}

func TestRulesMarkdown(t *testing.T) {
	code, out, _ := runCLI(t, "", false, "rules", "--format", "markdown")
	if code != ExitOK || out != compat.RulesMarkdown() {
		t.Errorf("exit %d; markdown differs from compat.RulesMarkdown", code)
	}
	if code, _, _ := runCLI(t, "", false, "rules", "--format", "yaml"); code != ExitError {
		t.Errorf("unknown format: exit %d", code)
	}
}
