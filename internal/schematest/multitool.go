package schematest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ValidateSARIF runs the SARIF Multitool's validator with its SARIF and
// GitHub (GH) rule sets on the SARIF logs docs (each written to a file of
// its name and ".sarif") and reports every error it finds as a test error;
// warnings and notes are counted in the test log. The Multitool is a .NET
// program (npm: @microsoft/sarif-multitool-linux); set
// WFCOMPAT_SARIF_MULTITOOL to its Sarif.Multitool binary, or put it on
// PATH; without it ValidateSARIF skips tb, saying so.
func ValidateSARIF(tb testing.TB, docs map[string][]byte) {
	tb.Helper()
	tool := os.Getenv("WFCOMPAT_SARIF_MULTITOOL")
	if tool == "" {
		var err error
		if tool, err = exec.LookPath("Sarif.Multitool"); err != nil {
			tb.Skip("SARIF Multitool not available: set WFCOMPAT_SARIF_MULTITOOL (npm install @microsoft/sarif-multitool-linux)")
		}
	}
	dir := tb.TempDir()
	var files []string
	for name, doc := range docs {
		p := filepath.Join(dir, name+".sarif")
		if err := os.WriteFile(p, doc, 0o644); err != nil {
			tb.Fatal(err)
		}
		files = append(files, p)
	}
	log := filepath.Join(dir, "validation.sarif")
	cmd := exec.Command(tool, append([]string{"validate", "--rule-kind", "Gh;Sarif", "-o", log}, files...)...)
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("Sarif.Multitool validate: %v\n%s", err, out)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		tb.Fatal(err)
	}
	var v struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text      string   `json:"text"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatal(err)
	}
	checked := 0
	for _, run := range v.Runs {
		for _, res := range run.Results {
			checked++
			if res.Level == "error" || res.Level == "" {
				tb.Errorf("%s: %s %v", res.RuleID, res.Message.Text, res.Message.Arguments)
			}
		}
	}
	tb.Logf("%d files validated, %d warnings or notes", len(files), checked)
}
