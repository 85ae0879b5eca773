package cli

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/vercel"
)

func TestRulesText(t *testing.T) {
	code, out, errOut := runCLI(t, "", false, "rules")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, r := range append(compat.Rules(), vercel.Rules()...) {
		if strings.Count(out, "\n"+r.ID+" ("+string(r.Severity)+")\n")+strings.Count(out[:len(r.ID)], r.ID) != 1 || !strings.Contains(out, r.Why) {
			t.Errorf("listing lacks %s, or lists it more than once", r.ID)
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
	code, out, _ = runCLI(t, "", false, "rules", "vercel_step_renamed")
	if code != ExitOK || !strings.HasPrefix(out, "VERCEL_STEP_RENAMED (error)\n") {
		t.Errorf("Vercel rule: exit %d:\n%s", code, out)
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
	if doc.Schema != RulesSchema || len(doc.Rules) != len(compat.Rules())+len(vercel.Rules()) || doc.Rules[0].Example.Before == "" || len(doc.Rules[0].Effects) == 0 {
		t.Errorf("%+v", doc)
	}
	seen := map[string]bool{}
	for _, r := range doc.Rules {
		if seen[r.ID] {
			t.Errorf("%s listed twice", r.ID)
		}
		seen[r.ID] = true
	}
}

func TestRulesMarkdown(t *testing.T) {
	code, out, _ := runCLI(t, "", false, "rules", "--format", "markdown")
	if code != ExitOK || out != RulesMarkdown() {
		t.Errorf("exit %d; markdown differs from RulesMarkdown", code)
	}
	for _, r := range append(compat.Rules(), vercel.Rules()...) {
		if strings.Count(out, "\n### "+r.ID+"\n") != 1 || strings.Count(out, "| [`"+r.ID+"`]") != 1 {
			t.Errorf("%s is not listed exactly once", r.ID)
		}
	}
	if code, _, _ := runCLI(t, "", false, "rules", "--format", "yaml"); code != ExitError {
		t.Errorf("unknown format: exit %d", code)
	}
}

var update = flag.Bool("update", false, "rewrite docs/rules.md")

// TestRulesDoc keeps docs/rules.md in step with the catalogs (compat's and
// compat/vercel's). Refresh it with
// go test ./cmd/wfcompat/internal/cli -run TestRulesDoc -update.
func TestRulesDoc(t *testing.T) {
	const path = "../../../../docs/rules.md"
	got := RulesMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/wfcompat/internal/cli -run TestRulesDoc -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/rules.md is stale; run go test ./cmd/wfcompat/internal/cli -run TestRulesDoc -update (-file +catalog):\n%s", diff)
	}
}

// TestRulesFix: every rule of the catalog says how to fix its findings;
// where wfcompat does the fix, the hint names the command; `wfcompat rules
// ID` and the JSON listing print it.
func TestRulesFix(t *testing.T) {
	for _, r := range append(compat.Rules(), vercel.Rules()...) {
		if fix := compat.RuleFix(r.ID); len(fix) < 20 || strings.ContainsAny(fix, "\n") {
			t.Errorf("%s: fix hint %q", r.ID, fix)
		}
	}
	if fix := compat.RuleFix(compat.RuleCallbackSlotMoved); !strings.Contains(fix, "`wfcompat pin NEW --against OLD") {
		t.Errorf("CALLBACK_SLOT_MOVED fix does not name wfcompat pin NEW --against OLD: %q", fix)
	}
	code, out, _ := runCLI(t, "", false, "rules", "CALLBACK_SLOT_MOVED")
	if code != ExitOK || !strings.Contains(out, "\n  fix:    Run `wfcompat pin NEW --against OLD") ||
		!strings.Contains(out, "\n  docs:   https://github.com/wfcompat/wfcompat/blob/main/docs/rules.md#callback_slot_moved\n") {
		t.Errorf("rules CALLBACK_SLOT_MOVED: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", false, "rules", "--format", "json", "SNAPSHOT_SAVE_MISSING")
	var raw struct {
		Rules []map[string]any `json:"rules"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil || code != ExitOK || len(raw.Rules) != 1 {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	if raw.Rules[0]["fix"] != compat.RuleFix(compat.RuleSnapshotSaveMissing) || raw.Rules[0]["id"] != compat.RuleSnapshotSaveMissing ||
		raw.Rules[0]["help_uri"] != "https://github.com/wfcompat/wfcompat/blob/main/docs/rules.md#snapshot_save_missing" {
		t.Errorf("json: %v", raw.Rules[0])
	}
	if code, _, errOut := runCLI(t, "", false, "rules", "PARAM_RENAMD"); code != ExitError || !strings.Contains(errOut, "did you mean PARAM_RENAMED?") {
		t.Errorf("misspelt rule: exit %d, %q", code, errOut)
	}
}

// TestNoPromisesInMessages: the catalog and the assert documentation
// never promise what is not there ("not yet implemented", "future
// runner"); where a proof needs running the builds they name the command.
func TestNoPromisesInMessages(t *testing.T) {
	texts := map[string]string{"rules catalog": RulesMarkdown(), "docs/eventlog.md": string(readFile(t, eventlogDoc))}
	for _, r := range allRules() {
		texts["fix "+r.ID] = compat.RuleFix(r.ID)
	}
	for name, s := range texts {
		low := strings.ToLower(s)
		for _, bad := range []string{"not yet implemented", "future runner", "not implemented", "(the runner)"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s says %q", name, bad)
			}
		}
	}
	for _, m := range compat.ModeDocs() {
		if m.Mode == compat.ModeReplay && !strings.Contains(m.Always, "`wfcompat diff --log LOG`") {
			t.Errorf("replay's description does not name the command that proves it: %q", m.Always)
		}
	}
}
