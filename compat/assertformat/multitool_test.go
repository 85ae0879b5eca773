package assertformat

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSARIFMultitool runs the SARIF Multitool's validator with its SARIF
// and GitHub (GH) rule sets on the SARIF output of every test report: no
// error may remain. The Multitool is a .NET program (npm:
// @microsoft/sarif-multitool-linux); set WFCOMPAT_SARIF_MULTITOOL to its
// Sarif.Multitool binary, or put it on PATH; the test skips, saying so,
// without it.
func TestSARIFMultitool(t *testing.T) {
	tool := os.Getenv("WFCOMPAT_SARIF_MULTITOOL")
	if tool == "" {
		var err error
		if tool, err = exec.LookPath("Sarif.Multitool"); err != nil {
			t.Skip("SARIF Multitool not available: set WFCOMPAT_SARIF_MULTITOOL (npm install @microsoft/sarif-multitool-linux)")
		}
	}
	dir := t.TempDir()
	var files []string
	for name, doc := range reports() {
		p := filepath.Join(dir, name+".sarif")
		if err := os.WriteFile(p, render(t, SARIF, doc), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	log := filepath.Join(dir, "validation.sarif")
	cmd := exec.Command(tool, append([]string{"validate", "--rule-kind", "Gh;Sarif", "-o", log}, files...)...)
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("Sarif.Multitool validate: %v\n%s", err, out)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, run := range v.Runs {
		for _, res := range run.Results {
			n++
			if res.Level == "error" || res.Level == "" {
				t.Errorf("%s %v", res.RuleID, res.Message.Arguments)
			}
		}
	}
	t.Logf("%d files validated, %d warnings or notes", len(files), n)
}
