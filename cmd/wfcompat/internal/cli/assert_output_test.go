package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/schematest"
	"github.com/wfcompat/wfcompat/internal/shared"
)

// TestAssertOutputs: assert takes diff's --format and repeatable --output
// FORMAT=FILE; every output of one run is written, JSON valid against
// docs/assert.schema.json, SARIF against the SARIF 2.1.0 schema and JUnit
// against the Ant and Jenkins schemas (../shared/schemas).
func TestAssertOutputs(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	good := writeLog(t, dir, "good.jsonl", v1, invoke("golem:component/api#f2", "()", "3"))
	gone := writeLog(t, dir, "gone.jsonl", v1, invoke("golem:component/api#f2", "()", "3"), invoke("golem:component/api#f9", "()", "3"))
	out := func(name string) string { return filepath.Join(dir, name) }
	args := []string{"assert", "event-log", "--against", v2, "--format", "github",
		"--output", "json=" + out("a.json"), "--output", "sarif=" + out("a.sarif"), "--output", "junit=" + out("a.xml"),
		"--output", "markdown=" + out("a.md"), "--output", "text=" + out("a.txt"), "--output", "github=" + out("a.gh"),
		good, gone}
	code, stdout, stderr := run(t, args...)
	if code != ExitUnsafe || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "::error file="+gone+",line=3,title=wfcompat assert%3A export-missing::the new build does not export golem:component/api#f9") ||
		!strings.HasSuffix(stdout, "wfcompat assert event-log: FAIL: 2 logs: 1 compatible, 1 incompatible (export-missing: 1)\n") {
		t.Errorf("github on stdout:\n%s", stdout)
	}
	if gh := string(readFile(t, out("a.gh"))); gh != stdout {
		t.Errorf("--output github differs from stdout:\n%s", gh)
	}
	if txt := string(readFile(t, out("a.txt"))); !strings.Contains(txt, "FAIL  "+gone+":3  export-missing") {
		t.Errorf("text:\n%s", txt)
	}
	if md := string(readFile(t, out("a.md"))); !strings.HasPrefix(md, "### ❌ wfcompat assert event-log: fail\n") || !strings.Contains(md, "| ❌ | `"+gone+":3` | `export-missing` |") {
		t.Errorf("markdown:\n%s", md)
	}
	root := repoRoot(t)
	js := schematest.CompileJSONStrict(t, filepath.Join(root, "docs", "assert.schema.json"))
	if err := schematest.ValidateJSON(js, readFile(t, out("a.json"))); err != nil {
		t.Errorf("json: %v", err)
	}
	sarif := schematest.CompileJSON(t, shared.Path(t, "schemas/sarif-schema-2.1.0.json"))
	if err := schematest.ValidateJSON(sarif, readFile(t, out("a.sarif"))); err != nil {
		t.Errorf("sarif: %v", err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(readFile(t, out("a.sarif")), &log); err != nil || len(log.Runs[0].Results) != 1 {
		t.Fatalf("sarif: %v %+v", err, log)
	}
	if r := log.Runs[0].Results[0]; r.RuleID != "export-missing" || r.Level != "error" || r.Locations[0].PhysicalLocation.Region.StartLine != 3 ||
		!strings.HasSuffix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "/gone.jsonl") {
		t.Errorf("sarif result %+v", r)
	}
	for _, xsd := range []string{shared.Path(t, "schemas/ant-JUnit.xsd"), shared.Path(t, "schemas/jenkins-junit-10.xsd")} {
		if err := schematest.ValidateXML(t, xsd, readFile(t, out("a.xml"))); err != nil {
			t.Errorf("junit against %s: %v", filepath.Base(xsd), err)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// assert input takes them too; --json is --format json.
	code, stdout, _ = run(t, "assert", "input", "--against", v2, "--function", "golem:component/api#f1", "--args", "(7)", "--format", "sarif", "--output", "junit="+out("i.xml"))
	if code != 0 || !strings.Contains(stdout, `"version": "2.1.0"`) || !strings.Contains(string(readFile(t, out("i.xml"))), `tests="1" failures="0"`) {
		t.Errorf("input: exit %d\n%s", code, stdout)
	}
	if err := schematest.ValidateJSON(sarif, []byte(stdout)); err != nil {
		t.Errorf("input sarif: %v", err)
	}
	code, stdout, _ = run(t, "assert", "input", "--against", v2, "--function", "golem:component/api#f1", "--args", "(7)", "--json", "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"schema": "wfcompat.assert/v1"`) {
		t.Errorf("--json --format json: exit %d\n%s", code, stdout)
	}
}

// TestAssertOutputUsage: a bad --format or --output is a usage error (exit
// 2, one line) before anything is read or written; an output that is an
// input is refused.
func TestAssertOutputUsage(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	good := writeLog(t, dir, "good.jsonl", v1, invoke("golem:component/api#f2", "()", "3"))
	before := readFile(t, good)
	target := filepath.Join(dir, "out.sarif")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"event-log", "--against", v2, "--format", "yaml", good}, `--format: unknown format "yaml"`},
		{[]string{"event-log", "--against", v2, "--output", "yaml=" + target, good}, `unknown format "yaml"`},
		{[]string{"event-log", "--against", v2, "--output", "sarif", good}, "want FORMAT=FILE"},
		{[]string{"event-log", "--against", v2, "--output", "sarif=" + target, "--output", "json=" + target, good}, "is written twice"},
		{[]string{"event-log", "--against", v2, "--output", "json=" + good, good}, "is an input; wfcompat never overwrites its inputs"},
		{[]string{"event-log", "--against", v2, "--output", "json=" + dir, good}, "is not a regular file"},
		{[]string{"event-log", "--against", v2, "--json", "--format", "sarif", good}, "--json and --format sarif exclude each other"},
		{[]string{"event-log", "--against", v2, "--output", "sarif=" + filepath.Join(dir, "nope", "x.sarif"), good}, "does not exist"},
		{[]string{"input", "--against", v2, "--runs", good, "--output", "text=" + good}, "is an input"},
	} {
		code, stdout, stderr := run(t, append([]string{"assert"}, tc.args...)...)
		if code != ExitError || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("an output was written by a failed run")
	}
	if string(readFile(t, good)) != string(before) {
		t.Error("an input was modified")
	}
}

// TestAssertStepSummary: on GitHub Actions (GITHUB_STEP_SUMMARY set) the
// Markdown report is appended to the step summary, after what is there.
func TestAssertStepSummary(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	good := writeLog(t, dir, "good.jsonl", v1, invoke("golem:component/api#f2", "()", "3"))
	summary := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step output\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	code, stdout, stderr := run(t, "assert", "event-log", "--against", v2, good)
	got := string(readFile(t, summary))
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "ok    ") ||
		!strings.HasPrefix(got, "earlier step output\n### ✅ wfcompat assert event-log: pass\n") {
		t.Errorf("exit %d, stderr %q, summary:\n%s", code, stderr, got)
	}
	// An unwritable summary is a warning; the verdict stands.
	t.Setenv("GITHUB_STEP_SUMMARY", dir)
	code, _, stderr = run(t, "assert", "event-log", "--against", v2, good)
	if code != 0 || !strings.Contains(stderr, "warning: GITHUB_STEP_SUMMARY") {
		t.Errorf("unwritable summary: exit %d, stderr %q", code, stderr)
	}
}
