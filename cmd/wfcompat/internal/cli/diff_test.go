package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/internal/testfiles"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/format"
)

var corpusDir = shared.CorpusDir()

func golem(name string) string { return filepath.Join(corpusDir, "golem-v1.1.0", name) }

// runCLI runs wfcompat in-process with args, in working directory dir (""
// for an empty temporary one, so no stray wfcompat.yaml is picked up).
func runCLI(t *testing.T, dir string, tty bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	io, out, errb := Test()
	io.OutTTY = tty
	io.Getwd = func() (string, error) { return dir, nil }
	code = Main(args, io)
	return code, out.String(), errb.String()
}

func TestDiffExitCodes(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	v1, v2, v3 := golem("update-test-v1.wasm"), golem("update-test-v2.wasm"), golem("update-test-v3.wasm")
	tests := []struct {
		name string
		args []string
		code int
		// out and errOut must appear in stdout and stderr.
		out, errOut string
	}{
		// The default gate: v1 exports no save-snapshot, so no worker of it
		// can take the snapshot path; snapshot is reported, not gating.
		{"default gate", []string{"diff", v1, v2}, ExitOK, "snapshot   UNSAFE    not gating", ""},
		{"default gate, first line", []string{"diff", v1, v2}, ExitOK, "deployable via: api, restart, replay (unproven) · blocked: snapshot (save-snapshot missing", ""},
		{"default gate still fails api", []string{"diff", v1, v3}, ExitUnsafe, "EXPORT_FUNCTION_REMOVED", ""},
		{"snapshot gates when asked", []string{"diff", "--mode", "snapshot", v1, v2}, ExitUnsafe, "SNAPSHOT_SAVE_MISSING", ""},
		{"golem-manual gates on snapshot", []string{"diff", "--platform", "golem-manual", v1, v2}, ExitUnsafe, "fails the gate", ""},
		{"golem-automatic gates on replay", []string{"diff", "--platform", "golem-automatic", v1, v2}, ExitOK, "PASS (unproven): replay unproven", ""},
		{"golem-automatic with proof required", []string{"diff", "--platform", "golem-automatic", "--require-proof", v1, v2}, ExitUnsafe, "replay unproven (proof required)", ""},
		{"--mode wins over the profile", []string{"diff", "--platform", "golem-manual", "--mode", "api", v1, v2}, ExitOK, "", ""},
		{"vercel gates on restart", []string{"diff", "--platform", "vercel", v1, v3}, ExitUnsafe, "restart    UNSAFE    fails the gate", ""},
		{"ic gates on api and in-flight", []string{"diff", "--platform", "ic", v1, v2}, ExitOK, "restart    SAFE      not gating", ""},
		{"any passes on one safe mode", []string{"diff", "--platform", "any", v1, v2}, ExitOK, "PASS: every gating mode is safe", ""},
		{"any, every mode blocked", []string{"diff", "--platform", "any", v1, v3}, ExitUnsafe, "deployable via: none · blocked: api (f1 removed, +2 more)", ""},
		{"any, the best mode unproven", []string{"diff", "--platform", "any", v2, v3}, ExitOK, "PASS (unproven): snapshot unproven", ""},
		{"identical with proof required", []string{"diff", "--require-proof", v1, v1}, ExitOK, "(identical artifacts)", ""},
		{"unknown platform", []string{"diff", "--platform", "golem-auto", v1, v2}, ExitError, "", `unknown platform "golem-auto" (did you mean "golem-automatic"?`},
		{"mode typo", []string{"diff", "--mode", "inflight", v1, v2}, ExitError, "", `unknown mode "inflight" (did you mean "in-flight"?`},
		{"api only", []string{"diff", "--mode", "api", v1, v2}, ExitOK, "api", ""},
		{"api and restart", []string{"diff", "--mode", "api", "--mode", "restart", "--require-proof", v1, v2}, ExitOK, "", ""},
		{"comma list", []string{"diff", "--mode", "api,restart", v1, v2}, ExitOK, "", ""},
		{"replay unproven passes", []string{"diff", "--mode", "replay", v1, v2}, ExitOK, "", ""},
		{"replay unproven fails with proof required", []string{"diff", "--mode", "replay", "--require-proof", v1, v2}, ExitUnsafe, "", ""},
		{"api unsafe", []string{"diff", "--mode", "api", v1, v3}, ExitUnsafe, "EXPORT_FUNCTION_REMOVED", ""},
		{"snapshot unproven v2 to v3", []string{"diff", "--mode", "snapshot", v2, v3}, ExitOK, "", ""},
		{"unknown mode", []string{"diff", "--mode", "hot-swap", v1, v2}, ExitError, "", `unknown mode "hot-swap"`},
		{"unknown format", []string{"diff", "--format", "xml", v1, v2}, ExitError, "", `unknown format "xml"`},
		{"missing file", []string{"diff", v1, "no-such.wasm"}, ExitError, "", "wfcompat: no-such.wasm:"},
		{"not wasm", []string{"diff", v1, "diff.go"}, ExitError, "", "wfcompat: diff.go:"},
		{"one argument", []string{"diff", v1}, ExitError, "", "accepts 2 arg(s)"},
		{"missing config", []string{"diff", "--config", "nope.yaml", v1, v2}, ExitError, "", "nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", false, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.out) {
				t.Errorf("stdout lacks %q:\n%s", tt.out, out)
			}
			if !strings.Contains(errOut, tt.errOut) {
				t.Errorf("stderr lacks %q:\n%s", tt.errOut, errOut)
			}
			if code == ExitError && out != "" {
				t.Errorf("error with output on stdout:\n%s", out)
			}
		})
	}
}

func TestDiffFormats(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	v1, v3 := golem("update-test-v1.wasm"), golem("update-test-v3.wasm")
	for _, f := range format.Formats() {
		t.Run(f, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", false, "diff", "--format", f, v1, v3)
			if code != ExitUnsafe || out == "" || errOut != "" {
				t.Errorf("exit %d, stdout %d bytes, stderr %q", code, len(out), errOut)
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("color on a non-terminal")
			}
		})
	}
	code, out, _ := runCLI(t, "", false, "diff", "--format", "json", v1, v3)
	var r compat.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if code != ExitUnsafe || r.Schema != compat.ReportSchema || r.Modes[compat.ModeAPI].Verdict != compat.Unsafe ||
		r.Modes[compat.ModeSnapshot].Verdict != compat.Unsafe || r.Old.Path != v1 || r.Old.Kind != "component" || r.Old.SHA256 == "" {
		t.Errorf("report: exit %d, %+v", code, r)
	}
}

func TestDiffColor(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	_, out, _ := runCLI(t, "", true, "diff", golem("update-test-v1.wasm"), golem("update-test-v3.wasm"))
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("no color on a terminal:\n%s", out)
	}
}

func TestDiffConfig(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	v1, v2, v3 := golem("update-test-v1.wasm"), golem("update-test-v2.wasm"), golem("update-test-v3.wasm")
	write := func(t *testing.T, content string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "wfcompat.yaml"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	t.Run("modes from the working directory", func(t *testing.T) {
		dir := write(t, "modes: [api, restart]\n")
		if code, out, errOut := runCLI(t, dir, false, "diff", v1, v2); code != ExitOK {
			t.Errorf("exit %d\n%s%s", code, out, errOut)
		}
		// --mode replaces the configured modes.
		if code, _, _ := runCLI(t, dir, false, "diff", "--mode", "snapshot", v1, v2); code != ExitUnsafe {
			t.Errorf("--mode snapshot: exit %d", code)
		}
	})
	t.Run("require_proof", func(t *testing.T) {
		dir := write(t, "modes: [replay]\nrequire_proof: true\n")
		if code, _, _ := runCLI(t, dir, false, "diff", v1, v2); code != ExitUnsafe {
			t.Errorf("exit %d", code)
		}
	})
	t.Run("ignore and except", func(t *testing.T) {
		dir := write(t, "modes: [api]\nignore_only:\n  EXPORT_FUNCTION_REMOVED:\n    - golem:component/api\nexcept: [EXPORT_FUNCTION_ADDED]\n")
		code, out, errOut := runCLI(t, dir, false, "diff", "--format", "json", v1, v3)
		if code != ExitOK {
			t.Errorf("exit %d\n%s%s", code, out, errOut)
		}
		var r compat.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		suppressed := map[string]int{}
		for _, s := range r.Suppressed {
			suppressed[s.Rule]++
			if s.Reason == "" {
				t.Errorf("suppressed without a reason: %+v", s)
			}
		}
		for _, f := range r.Findings {
			if f.Rule == "EXPORT_FUNCTION_REMOVED" || f.Rule == "EXPORT_FUNCTION_ADDED" {
				t.Errorf("ignored finding reported: %+v", f)
			}
		}
		if suppressed["EXPORT_FUNCTION_REMOVED"] != 3 || suppressed["EXPORT_FUNCTION_ADDED"] != 2 {
			t.Errorf("suppressed %v", suppressed)
		}
		if r.Config != filepath.Join(dir, "wfcompat.yaml") {
			t.Errorf("config %q", r.Config)
		}
		// Counted in text too.
		_, text, _ := runCLI(t, dir, false, "diff", v1, v3)
		if !strings.Contains(text, ", 5 suppressed") {
			t.Errorf("text does not count the suppressed findings:\n%s", text)
		}
	})
	t.Run("ignore entries: reason, expiry, unmatched", func(t *testing.T) {
		dir := write(t, `ignore:
  - rule: SNAPSHOT_SAVE_MISSING
    reason: v1 never offered snapshots
  - rule: SNAPSHOT_LOAD_MISSING
    subject: golem:api/load-snapshot
    reason: we update automatically
    until: 2020-01-31
  - rule: EXPORT_FUNCTION_REMOVED
  - wasi:http/types
`)
		code, out, errOut := runCLI(t, dir, false, "diff", "--format", "json", "--mode", "snapshot", v1, v2)
		var r compat.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("exit %d: %v\n%s", code, err, errOut)
		}
		// The expired entry no longer applies: load-snapshot still fails.
		if code != ExitUnsafe || len(r.Suppressed) != 1 || r.Suppressed[0].Rule != "SNAPSHOT_SAVE_MISSING" || r.Suppressed[0].Reason != "v1 never offered snapshots" {
			t.Errorf("exit %d, suppressed %+v", code, r.Suppressed)
		}
		cfg := filepath.Join(dir, "wfcompat.yaml")
		for _, want := range []string{
			"wfcompat: warning: ignore entry at " + cfg + ":4 (rule SNAPSHOT_LOAD_MISSING, subject golem:api/load-snapshot) expired on 2020-01-31",
			"wfcompat: warning: ignore entry at " + cfg + ":8 (rule EXPORT_FUNCTION_REMOVED) matched no finding",
			"wfcompat: warning: ignore entry at " + cfg + ":9 (subject wasi:http/types) matched no finding",
		} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
		if len(r.Warnings) != 3 {
			t.Errorf("report warnings %q", r.Warnings)
		}
	})
	t.Run("found in a parent up to the repository root", func(t *testing.T) {
		repo := write(t, "modes: [snapshot]\n")
		sub := filepath.Join(repo, "svc", "worker")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		code, out, _ := runCLI(t, sub, false, "diff", "--format", "json", v1, v2)
		if code != ExitUnsafe || !strings.Contains(out, `"config": "`+filepath.Join(repo, "wfcompat.yaml")+`"`) {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
	t.Run("WFCOMPAT_CONFIG", func(t *testing.T) {
		path := filepath.Join(write(t, "modes: [snapshot]\n"), "wfcompat.yaml")
		io, out, errb := Test()
		io.Getwd = func() (string, error) { return t.TempDir(), nil }
		io.Getenv = func(k string) string {
			if k == "WFCOMPAT_CONFIG" {
				return path
			}
			return ""
		}
		if code := Main([]string{"diff", v1, v2}, io); code != ExitUnsafe {
			t.Errorf("exit %d\n%s%s", code, out, errb)
		}
		// --config wins.
		other := filepath.Join(write(t, "modes: [api]\n"), "wfcompat.yaml")
		if code := Main([]string{"diff", "--config", other, v1, v2}, io); code != ExitOK {
			t.Errorf("--config: exit %d", code)
		}
	})
	t.Run("severity override", func(t *testing.T) {
		path := filepath.Join(write(t, "severity:\n  EXPORT_INTERFACE_ADDED: error\n"), "wfcompat.yaml")
		code, out, _ := runCLI(t, "", false, "diff", "--config", path, "--mode", "api", v1, v2)
		if code != ExitUnsafe || !strings.Contains(out, "EXPORT_INTERFACE_ADDED") {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		dir := write(t, "mode: [api]\n")
		code, _, errOut := runCLI(t, dir, false, "diff", v1, v2)
		if code != ExitError || !strings.Contains(errOut, `wfcompat.yaml: line 1, column 1: unknown key "mode" (did you mean "modes"?)`) {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("unknown rule", func(t *testing.T) {
		dir := write(t, "except: [NO_SUCH_RULE]\n")
		code, _, errOut := runCLI(t, dir, false, "diff", v1, v2)
		if code != ExitError || !strings.Contains(errOut, `unknown rule "NO_SUCH_RULE"`) {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

func TestDiffWIT(t *testing.T) {
	dir := "../../../../compat/testdata/rules/PARAM_RENAMED"
	old, nw := filepath.Join(dir, "old.wit"), filepath.Join(dir, "new.wit")
	code, out, errOut := runCLI(t, "", false, "diff", "--old-world", "w", "--new-world", "w", "--mode", "restart", old, nw)
	if code != ExitOK || !strings.Contains(out, "PARAM_RENAMED") {
		t.Errorf("restart: exit %d\n%s%s", code, out, errOut)
	}
	code, _, _ = runCLI(t, "", false, "diff", "--mode", "api", old, nw)
	if code != ExitUnsafe {
		t.Errorf("api: exit %d", code)
	}
	code, _, errOut = runCLI(t, "", false, "diff", "--old-world", "nope", old, nw)
	if code != ExitError || !strings.Contains(errOut, "nope") {
		t.Errorf("unknown world: exit %d, stderr %q", code, errOut)
	}
}

func TestDiffCoreModules(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	ic := filepath.Join(corpusDir, "ic")
	code, out, errOut := runCLI(t, "", false, "diff", "--format", "json", filepath.Join(ic, "wallet-0.7.0.wasm"), filepath.Join(ic, "wallet-0.8.2.wasm"))
	var r compat.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, errOut)
	}
	// The callback analysis ran: the verdict is its own, not n/a and not
	// the "not run" placeholder.
	res := r.Modes[compat.ModeInFlight]
	if res.Verdict == compat.NotApplicable || strings.Contains(out, "callback analysis not run") {
		t.Errorf("in-flight %+v", res)
	}
	code, _, errOut = runCLI(t, "", false, "diff", "--callback-import", "nonsense", filepath.Join(ic, "wallet-0.7.0.wasm"), filepath.Join(ic, "wallet-0.8.2.wasm"))
	if code != ExitError || !strings.Contains(errOut, "--callback-import") {
		t.Errorf("bad --callback-import: exit %d, stderr %q", code, errOut)
	}
}

// TestNewCmdDiffOptions checks flag parsing without running the diff.
func TestNewCmdDiffOptions(t *testing.T) {
	io, _, _ := Test()
	var got *DiffOptions
	cmd := NewCmdDiff(io, func(o *DiffOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--mode", "api", "--mode", "snapshot", "--format", "sarif", "--require-proof", "--old-world", "a", "--new-world", "b", "--config", "c.yaml", "o.wasm", "n.wasm"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := DiffOptions{IO: io, Old: "o.wasm", New: "n.wasm", OldWorld: "a", NewWorld: "b", Format: "sarif",
		Modes: []string{"api", "snapshot"}, RequireProof: true, Config: "c.yaml"}
	if got == nil || got.Old != want.Old || got.New != want.New || got.OldWorld != want.OldWorld || got.NewWorld != want.NewWorld ||
		got.Format != want.Format || strings.Join(got.Modes, ",") != "api,snapshot" || !got.RequireProof || got.Config != want.Config {
		t.Errorf("options %+v", got)
	}
}

// TestDiffVercel diffs Vercel Workflow DevKit build manifests: removed and
// renamed workflows and steps, in every format, with the exit codes of any
// other diff; a Vercel manifest against anything else is a usage error.
func TestDiffVercel(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	const vdir = "../../../../compat/vercel/testdata"
	old, nw := filepath.Join(vdir, "old.manifest.json"), filepath.Join(vdir, "new.manifest.json")
	// A workflow renamed (same file, new export name and id).
	dir := t.TempDir()
	renamed := filepath.Join(dir, "renamed.manifest.json")
	src := string(readFile(t, old))
	if !strings.Contains(src, `"fulfill": {`) {
		t.Fatal("fixture changed: no fulfill workflow")
	}
	src = strings.Replace(src, `"fulfill": {`, `"fulfillOrder": {`, 1)
	src = strings.Replace(src, `"workflowId": "workflow//./src/workflows/order//fulfill"`, `"workflowId": "workflow//./src/workflows/order//fulfillOrder"`, 1)
	if err := os.WriteFile(renamed, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, f := range format.Formats() {
		code, out, errOut := runCLI(t, "", false, "diff", "--format", f, old, nw)
		if code != ExitUnsafe || errOut != "" || !strings.Contains(out, "VERCEL_STEP_RENAMED") || !strings.Contains(out, "VERCEL_WORKFLOW_REMOVED") {
			t.Errorf("%s: exit %d, stderr %q:\n%.600s", f, code, errOut, out)
		}
	}
	code, out, _ := runCLI(t, "", false, "diff", "--format", "json", old, renamed)
	var r compat.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	rules := map[string]bool{}
	for _, f := range r.Findings {
		rules[f.Rule] = true
	}
	if code != ExitUnsafe || !rules["VERCEL_WORKFLOW_RENAMED"] || r.Old.Kind != "vercel-manifest" || r.Old.Path != old || r.New.SHA256 == "" ||
		r.Modes[compat.ModeAPI].Verdict != compat.Unsafe || r.Modes[compat.ModeInFlight].Verdict != compat.NotApplicable {
		t.Errorf("renamed workflow: exit %d, rules %v, report %+v", code, rules, r.Modes)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"same manifest", []string{old, old}, ExitOK},
		// The same manifest is the same build: safe in every mode.
		{"same manifest, proof required", []string{"--require-proof", old, old}, ExitOK},
		{"gating on a mode the change keeps", []string{"--mode", "snapshot", old, nw}, ExitOK},
		{"gating on replay", []string{"--mode", "replay", old, nw}, ExitUnsafe},
		// The vercel profile gates two manifests on every mode the Vercel
		// rules judge.
		{"vercel profile", []string{"--platform", "vercel", old, nw}, ExitUnsafe},
	} {
		if code, out, errOut := runCLI(t, "", false, append([]string{"diff"}, tc.args...)...); code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tc.name, code, tc.code, out, errOut)
		}
	}

	if _, out, _ := runCLI(t, "", false, "diff", "--platform", "vercel", "--format", "json", old, nw); !strings.Contains(out, `"modes": [
      "api",
      "restart",
      "replay"
    ],`) {
		t.Errorf("vercel profile on manifests: gate\n%.3000s", out[strings.Index(out, `"gate"`):])
	}

	// Mixed or broken inputs: one line, exit 2, nothing on stdout.
	broken := filepath.Join(dir, "broken.manifest.json")
	if err := os.WriteFile(broken, []byte(`{"workflows": {"a.ts": {"f": {"workflowId": 7}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	v1 := golem("update-test-v1.wasm")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"vercel then wasm", []string{old, v1}, old + " is a Vercel Workflow manifest but " + v1 + " is not"},
		{"wasm then vercel", []string{v1, nw}, nw + " is a Vercel Workflow manifest but " + v1 + " is not"},
		{"malformed vercel manifest", []string{old, broken}, broken + ":1:"},
	} {
		code, out, errOut := runCLI(t, "", false, append([]string{"diff"}, tc.args...)...)
		if code != ExitError || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want one line with %q", tc.name, code, out, errOut, tc.want)
		}
	}
}

// TestDiffOutputs: --output FORMAT=FILE writes more formats in one run,
// --format stays on stdout, and GITHUB_STEP_SUMMARY gets the markdown.
func TestDiffOutputs(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	v1, v2 := golem("update-test-v1.wasm"), golem("update-test-v2.wasm")
	dir := t.TempDir()
	sarif, js, summary := filepath.Join(dir, "r.sarif"), filepath.Join(dir, "r.json"), filepath.Join(dir, "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	io, out, errb := Test()
	io.Getwd = func() (string, error) { return dir, nil }
	io.Getenv = func(k string) string {
		if k == "GITHUB_STEP_SUMMARY" {
			return summary
		}
		return ""
	}
	code := Main([]string{"diff", "--output", "sarif=" + sarif, "--output", "json=" + js, "--format", "github", v1, v2}, io)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	if !strings.Contains(out.String(), "wfcompat: UNPROVEN: replay unproven") || !strings.Contains(out.String(), "wfcompat: deployable via: api, restart, replay (unproven)") {
		t.Errorf("stdout is not the github format:\n%s", out)
	}
	var r compat.Report
	if err := json.Unmarshal(readFile(t, js), &r); err != nil || r.Gate == nil || r.Gate.Outcome != "unproven" {
		t.Errorf("json output: %v %+v", err, r.Gate)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(readFile(t, sarif), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("sarif output: %v", err)
	}
	// SARIF follows the gate: snapshot does not gate, so its errors are notes.
	for _, res := range log.Runs[0].Results {
		if strings.HasPrefix(res.RuleID, "SNAPSHOT_") && res.Level != "note" {
			t.Errorf("%s at level %s, want note (snapshot does not gate)", res.RuleID, res.Level)
		}
	}
	if !strings.Contains(out.String(), "::notice ") || strings.Contains(out.String(), "::error ") {
		t.Errorf("github annotations do not follow the gate:\n%s", out)
	}
	sum := string(readFile(t, summary))
	if !strings.HasPrefix(sum, "earlier step\n### ") || !strings.Contains(sum, "**deployable via: api, restart, replay (unproven)") {
		t.Errorf("step summary:\n%s", sum)
	}
	if names := testfiles.Names(t, dir); len(names) != 3 {
		t.Errorf("files left: %v", names)
	}

	// An unwritable step summary is a warning; the gate still decides.
	io2, out2, errb2 := Test()
	io2.Getwd = func() (string, error) { return dir, nil }
	io2.Getenv = func(k string) string {
		if k == "GITHUB_STEP_SUMMARY" {
			return dir // a directory: cannot be appended to
		}
		return ""
	}
	if code := Main([]string{"diff", "--mode", "snapshot", v1, v2}, io2); code != ExitUnsafe || !strings.Contains(errb2.String(), "wfcompat: warning: GITHUB_STEP_SUMMARY") || !strings.Contains(out2.String(), "FAIL") {
		t.Errorf("unwritable summary: exit %d, stderr %q\n%s", code, errb2, out2)
	}

	// Bad --output values: usage errors, nothing written.
	mine := filepath.Join(t.TempDir(), "v1.wasm")
	if err := os.WriteFile(mine, readFile(t, v1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ arg, want string }{
		{"sarif", "want FORMAT=FILE"},
		{"xml=r.xml", `unknown format "xml"`},
		{"json=" + mine, "never overwrites an input"},
		{"json=" + dir, "is a directory"},
	} {
		io, out, errb := Test()
		io.Getwd = func() (string, error) { return dir, nil }
		if code := Main([]string{"diff", "--output", tc.arg, mine, v2}, io); code != ExitError || out.Len() != 0 || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("--output %s: exit %d, stdout %d bytes, stderr %q", tc.arg, code, out.Len(), errb)
		}
	}
}
