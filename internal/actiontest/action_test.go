package actiontest

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/wfcompat/wfcompat/internal/testbuild"
	"go.yaml.in/yaml/v3"
)

// root is the module root.
func root(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// wfcompatBuild holds the command, built once per test binary.
var wfcompatBuild testbuild.Once

// wfcompatBin builds the command once per test binary.
func wfcompatBin(t *testing.T) string {
	t.Helper()
	dir, err := wfcompatBuild.Do(func(dir string) error {
		// As action.yml installs it (go install ./cmd/...: the complete
		// build), static as the Dockerfile and the releases build it.
		return testbuild.Build{Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-trimpath"}}.Command(filepath.Join(dir, "wfcompat"), "github.com/wfcompat/wfcompat/cmd/wfcompat")
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "wfcompat")
}

func TestMain(m *testing.M) {
	code := m.Run()
	wfcompatBuild.Remove()
	os.Exit(code)
}

// fakeGitHub is the part of the GitHub REST API the script calls.
type fakeGitHub struct {
	mu       sync.Mutex
	comments map[int]string // id → body
	nextID   int
	requests []string
	auth     []string
}

func (g *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests = append(g.requests, r.Method+" "+r.URL.Path)
	g.auth = append(g.auth, r.Header.Get("Authorization"))
	body, _ := io.ReadAll(r.Body)
	var in struct{ Body string }
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/repos/acme/worker/issues/7/comments":
		var out []map[string]any
		for id, b := range g.comments {
			out = append(out, map[string]any{"id": id, "body": b})
		}
		out = append(out, map[string]any{"id": 999, "body": "an unrelated comment"})
		json.NewEncoder(w).Encode(out)
	case r.Method == http.MethodPost && r.URL.Path == "/repos/acme/worker/issues/7/comments":
		json.Unmarshal(body, &in)
		g.nextID++
		g.comments[g.nextID] = in.Body
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{}`))
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/acme/worker/issues/comments/"):
		json.Unmarshal(body, &in)
		var id int
		for k := range g.comments {
			if r.URL.Path == "/repos/acme/worker/issues/comments/"+itoa(k) {
				id = k
			}
		}
		if id == 0 {
			http.NotFound(w, r)
			return
		}
		g.comments[id] = in.Body
		w.Write([]byte(`{}`))
	default:
		http.NotFound(w, r)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// env is a fake GitHub Actions environment in a temporary directory.
type env struct {
	dir, output, summary, event string
	vars                        map[string]string
}

func newEnv(t *testing.T, api string) *env {
	t.Helper()
	dir := t.TempDir()
	e := &env{
		dir:     dir,
		output:  filepath.Join(dir, "output"),
		summary: filepath.Join(dir, "summary.md"),
		event:   filepath.Join(dir, "event.json"),
	}
	os.WriteFile(e.event, []byte(`{"pull_request": {"number": 7}}`), 0o644)
	os.WriteFile(e.output, nil, 0o644)
	e.vars = map[string]string{
		"GITHUB_OUTPUT":       e.output,
		"GITHUB_STEP_SUMMARY": e.summary,
		"GITHUB_EVENT_PATH":   e.event,
		"GITHUB_API_URL":      api,
		"GITHUB_REPOSITORY":   "acme/worker",
		"GITHUB_TOKEN":        "test-token",
		"RUNNER_TEMP":         filepath.Join(dir, "runner-temp"),
		"WFCOMPAT_BIN":        wfcompatBin(t),
		"PATH":                os.Getenv("PATH"),
		"HOME":                dir,
	}
	os.MkdirAll(e.vars["RUNNER_TEMP"], 0o755)
	return e
}

// run runs the action's script in workdir with the environment and the
// given inputs; it returns the script's exit status and output.
func (e *env) run(t *testing.T, workdir string, inputs map[string]string) (int, string) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(root(t), ".github", "action", "run.sh"))
	cmd.Dir = workdir
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range inputs {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatal(err)
		}
		code = ee.ExitCode()
	}
	return code, string(out)
}

// outputs parses GITHUB_OUTPUT (name=value lines).
func (e *env) outputs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(e.output)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

func requireTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "jq", "curl", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: the action's script needs it (GitHub's runners have it)", tool)
		}
	}
}

func TestActionScript(t *testing.T) {
	requireTools(t)
	gh := &fakeGitHub{comments: map[int]string{}}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	wat := filepath.Join(root(t), "testdata", "wat")
	old, moved := filepath.Join(wat, "cb_table_old.wasm"), filepath.Join(wat, "cb_table_reused.wasm")

	// A failing gate: annotations in the log, outputs, summary, a comment.
	e := newEnv(t, srv.URL)
	code, log := e.run(t, e.dir, map[string]string{
		"WFCOMPAT_NEW": moved, "WFCOMPAT_BASELINE": old, "WFCOMPAT_MODES": "in-flight", "WFCOMPAT_COMMENT": "true",
	})
	if code != 0 {
		t.Fatalf("script exit %d (it leaves the failing to action.yml's last step):\n%s", code, log)
	}
	out := e.outputs(t)
	if out["outcome"] != "fail" || out["exit-code"] != "1" {
		t.Errorf("outputs %v, want outcome fail, exit-code 1\n%s", out, log)
	}
	if !strings.Contains(log, "::error file=") || !strings.Contains(log, "wfcompat: FAIL") {
		t.Errorf("log lacks annotations or the verdict:\n%s", log)
	}
	for _, f := range []string{"sarif", "markdown", "json"} {
		if fi, err := os.Stat(out[f]); err != nil || fi.Size() == 0 {
			t.Errorf("%s report %q: %v", f, out[f], err)
		}
	}
	summary, _ := os.ReadFile(e.summary)
	if strings.Count(string(summary), "wfcompat: upgrade blocked") != 1 {
		t.Errorf("step summary, want the report once:\n%s", summary)
	}
	if len(gh.comments) != 1 || !strings.Contains(gh.comments[1], "<!-- wfcompat: "+moved+" -->") || !strings.Contains(gh.comments[1], "upgrade blocked") {
		t.Errorf("comments %v", gh.comments)
	}
	if gh.auth[0] != "Bearer test-token" {
		t.Errorf("Authorization %q", gh.auth[0])
	}

	// The next run updates the same comment instead of adding one.
	e2 := newEnv(t, srv.URL)
	code, log = e2.run(t, e2.dir, map[string]string{
		"WFCOMPAT_NEW": moved, "WFCOMPAT_BASELINE": moved, "WFCOMPAT_MODES": "in-flight", "WFCOMPAT_COMMENT": "true",
	})
	if code != 0 || e2.outputs(t)["outcome"] != "pass" || e2.outputs(t)["exit-code"] != "0" {
		t.Errorf("passing gate: exit %d, outputs %v\n%s", code, e2.outputs(t), log)
	}
	if s, _ := os.ReadFile(e2.summary); strings.Count(string(s), "### ") != 1 {
		t.Errorf("step summary of the passing gate, want one report:\n%s", s)
	}
	// summary: false writes none.
	noSum := newEnv(t, srv.URL)
	if code, log := noSum.run(t, noSum.dir, map[string]string{
		"WFCOMPAT_NEW": moved, "WFCOMPAT_BASELINE": old, "WFCOMPAT_MODES": "in-flight", "WFCOMPAT_SUMMARY": "false",
	}); code != 0 {
		t.Errorf("summary false: exit %d\n%s", code, log)
	}
	if s, err := os.ReadFile(noSum.summary); err == nil && len(s) > 0 {
		t.Errorf("summary false wrote a summary:\n%s", s)
	}
	// The platform input picks the profile: any passes on api, the
	// in-flight failure becomes a notice.
	anyEnv := newEnv(t, srv.URL)
	if code, log := anyEnv.run(t, anyEnv.dir, map[string]string{"WFCOMPAT_NEW": moved, "WFCOMPAT_BASELINE": old, "WFCOMPAT_PLATFORM": "any"}); code != 0 ||
		anyEnv.outputs(t)["outcome"] != "pass" || !strings.Contains(log, "::notice ") || strings.Contains(log, "::error ") {
		t.Errorf("platform any: exit %d, outputs %v\n%s", code, anyEnv.outputs(t), log)
	}
	if len(gh.comments) != 1 || !strings.Contains(gh.comments[1], "safe to upgrade") {
		t.Errorf("comment not updated in place: %v", gh.comments)
	}
	if last := gh.requests[len(gh.requests)-1]; !strings.HasPrefix(last, "PATCH ") {
		t.Errorf("last request %q, want a PATCH", last)
	}

	// An input error is exit-code 2 and outcome error, with the message in the log.
	e3 := newEnv(t, srv.URL)
	code, log = e3.run(t, e3.dir, map[string]string{"WFCOMPAT_NEW": filepath.Join(e3.dir, "missing.wasm"), "WFCOMPAT_BASELINE": old})
	if code != 0 || e3.outputs(t)["outcome"] != "error" || e3.outputs(t)["exit-code"] != "2" || !strings.Contains(log, "missing.wasm") {
		t.Errorf("input error: exit %d, outputs %v\n%s", code, e3.outputs(t), log)
	}

	// Not a pull request: no comment, a notice.
	e4 := newEnv(t, srv.URL)
	os.WriteFile(e4.event, []byte(`{"push": {}}`), 0o644)
	before := len(gh.requests)
	_, log = e4.run(t, e4.dir, map[string]string{"WFCOMPAT_NEW": moved, "WFCOMPAT_BASELINE": moved, "WFCOMPAT_COMMENT": "true"})
	if len(gh.requests) != before || !strings.Contains(log, "not a pull request event") {
		t.Errorf("push event: %d API requests\n%s", len(gh.requests)-before, log)
	}
}

// gitRun runs git in dir, failing t if it fails, and returns its output.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// prClone makes a repository (upstream) with the deployed build on main
// and a new one on the branch pr, and a shallow clone of pr (clone), as
// actions/checkout makes it for a pull request: main is not in it.
func prClone(t *testing.T) (upstream, clone string) {
	t.Helper()
	wat := filepath.Join(root(t), "testdata", "wat")
	copyFile := func(src, dst string) {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	upstream = t.TempDir()
	gitRun(t, upstream, "init", "-q")
	copyFile(filepath.Join(wat, "cb_table_old.wasm"), filepath.Join(upstream, "app.wasm"))
	gitRun(t, upstream, "add", "app.wasm")
	gitRun(t, upstream, "commit", "-qm", "deployed build")
	gitRun(t, upstream, "checkout", "-qb", "pr")
	copyFile(filepath.Join(wat, "cb_table_reused.wasm"), filepath.Join(upstream, "app.wasm"))
	gitRun(t, upstream, "commit", "-qam", "new build")
	clone = filepath.Join(t.TempDir(), "clone")
	gitRun(t, filepath.Dir(clone), "clone", "-q", "--depth=1", "--branch", "pr", "file://"+upstream, clone)
	return upstream, clone
}

// TestActionGitBaseline runs the script in a shallow clone of a pull
// request branch (as actions/checkout makes it) with the baseline on main,
// which the clone lacks: the script fetches it and wfcompat reads it.
func TestActionGitBaseline(t *testing.T) {
	requireTools(t)
	_, clone := prClone(t)
	e := newEnv(t, "http://127.0.0.1:1") // no comment: the API is not called
	e.vars["XDG_CACHE_HOME"] = filepath.Join(e.dir, "cache")
	code, log := e.run(t, clone, map[string]string{
		"WFCOMPAT_NEW": "app.wasm", "WFCOMPAT_BASELINE": "git:origin/main:app.wasm", "WFCOMPAT_MODES": "in-flight",
	})
	out := e.outputs(t)
	if code != 0 || out["outcome"] != "fail" || out["exit-code"] != "1" || !strings.Contains(log, "fetching main from origin") ||
		!strings.Contains(log, "CALLBACK_") {
		t.Errorf("exit %d, outputs %v\n%s", code, out, log)
	}
	summary, _ := os.ReadFile(e.summary)
	if !strings.Contains(string(summary), "git:origin/main:app.wasm") {
		t.Errorf("the summary does not name the baseline:\n%s", summary)
	}
}

// TestActionGitBaselineSSH: with an ssh origin, the script's fetch of the
// baseline runs ssh with the bounds wfcompat's own git runs use (package
// source, gitSSHCommand): BatchMode (no host-key or passphrase prompt),
// ConnectTimeout and keep-alives (no wait on a silent server), unless the
// user chose how git runs ssh. The origin is ssh://fakehost/…: an ssh on
// PATH that logs its arguments and runs the remote command here. It also
// logs GIT_TERMINAL_PROMPT, GIT_ASKPASS and GCM_INTERACTIVE as git passed
// them on: the fetch runs with 0, empty and never (an https origin that
// wants credentials fails instead of asking on a terminal, in an askpass
// dialog or in Git Credential Manager's window) unless the user set them,
// even empty.
func TestActionGitBaselineSSH(t *testing.T) {
	requireTools(t)
	if runtime.GOOS == "windows" {
		t.Skip("the fake ssh is a shell script")
	}
	bin := t.TempDir()
	log, promptLog := filepath.Join(t.TempDir(), "log"), filepath.Join(t.TempDir(), "prompt")
	fake := filepath.Join(bin, "ssh")
	// ssh [-o OPT]... [-p PORT] HOST COMMAND: log, then run COMMAND.
	script := "#!/bin/sh\necho \"$0 $*\" >> " + log + "\necho \"[${GIT_TERMINAL_PROMPT-unset}|${GIT_ASKPASS-unset}|${GCM_INTERACTIVE-unset}]\" >> " + promptLog +
		"\nfor last; do :; done\nexec sh -c \"$last\"\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ours := fake + " -o BatchMode=yes -o ConnectTimeout=60 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 "
	for _, tc := range []struct {
		name   string
		env    map[string]string
		config string // core.sshCommand in the clone's configuration
		want   string // the logged ssh command starts with it
		prompt string // [GIT_TERMINAL_PROMPT|GIT_ASKPASS|GCM_INTERACTIVE] as ssh got them ("" for [0||never])
	}{
		{name: "default", want: ours},
		{name: "GIT_SSH_COMMAND", env: map[string]string{"GIT_SSH_COMMAND": "ssh -o ConnectTimeout=5"}, want: fake + " -o ConnectTimeout=5 "},
		{name: "GIT_SSH", env: map[string]string{"GIT_SSH": fake}, want: fake + " "},
		{name: "core.sshCommand", config: "ssh -o ConnectTimeout=7", want: fake + " -o ConnectTimeout=7 "},
		{name: "GIT_TERMINAL_PROMPT=1", env: map[string]string{"GIT_TERMINAL_PROMPT": "1"}, want: ours, prompt: "[1||never]"},
		{name: "GIT_TERMINAL_PROMPT empty", env: map[string]string{"GIT_TERMINAL_PROMPT": ""}, want: ours, prompt: "[||never]"},
		{name: "GIT_ASKPASS and GCM_INTERACTIVE set", env: map[string]string{"GIT_ASKPASS": "/usr/local/bin/token", "GCM_INTERACTIVE": "always"}, want: ours, prompt: "[0|/usr/local/bin/token|always]"},
		{name: "GIT_ASKPASS empty", env: map[string]string{"GIT_ASKPASS": ""}, want: ours, prompt: "[0||never]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			upstream, clone := prClone(t)
			gitRun(t, clone, "remote", "set-url", "origin", "ssh://fakehost"+upstream)
			if tc.config != "" {
				gitRun(t, clone, "config", "core.sshCommand", tc.config)
			}
			os.Remove(log)
			os.Remove(promptLog)
			e := newEnv(t, "http://127.0.0.1:1")
			e.vars["XDG_CACHE_HOME"] = filepath.Join(e.dir, "cache")
			e.vars["PATH"] = bin + string(os.PathListSeparator) + os.Getenv("PATH")
			for k, v := range tc.env {
				e.vars[k] = v
			}
			code, out := e.run(t, clone, map[string]string{
				"WFCOMPAT_NEW": "app.wasm", "WFCOMPAT_BASELINE": "git:origin/main:app.wasm", "WFCOMPAT_MODES": "in-flight",
			})
			if code != 0 || e.outputs(t)["exit-code"] != "1" {
				t.Fatalf("exit %d, outputs %v\n%s", code, e.outputs(t), out)
			}
			b, err := os.ReadFile(log)
			if err != nil {
				t.Fatalf("ssh did not run: %v\n%s", err, out)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if !strings.HasPrefix(line, tc.want) || !strings.HasSuffix(line, "fakehost git-upload-pack '"+upstream+"'") {
					t.Errorf("ssh ran as %q, want %q… fakehost git-upload-pack '%s'", line, tc.want, upstream)
				}
				if tc.want != ours && strings.Contains(line, "ServerAliveInterval") {
					t.Errorf("the user's ssh command was changed: %s", line)
				}
			}
			want := cmp.Or(tc.prompt, "[0||never]")
			b, _ = os.ReadFile(promptLog)
			for _, got := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if got != want {
					t.Errorf("the fetch ran with [GIT_TERMINAL_PROMPT|GIT_ASKPASS|GCM_INTERACTIVE] %q, want %q", got, want)
				}
			}
		})
	}
}

// TestActionYAML checks that action.yml passes every input to the script
// and that the script reads only inputs action.yml sets.
func TestActionYAML(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Required bool
			Default  string
		}
		Outputs map[string]struct{ Value string }
		Runs    struct {
			Using string
			Steps []struct {
				ID   string
				Uses string
				Run  string
				Env  map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", action.Runs.Using)
	}
	script, err := os.ReadFile(filepath.Join(root(t), ".github", "action", "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, s := range action.Runs.Steps {
		for k, v := range s.Env {
			used[k] = true
			if strings.HasPrefix(k, "WFCOMPAT_") && !strings.Contains(string(script), k) {
				t.Errorf("action.yml sets %s, which run.sh does not read", k)
			}
			for name := range action.Inputs {
				if strings.Contains(v, "inputs."+name+" ") {
					used["input:"+name] = true
				}
			}
		}
		for name := range action.Inputs {
			if strings.Contains(s.Run, "inputs."+name) || strings.Contains(s.Uses, "inputs."+name) {
				used["input:"+name] = true
			}
		}
	}
	for _, k := range []string{"WFCOMPAT_NEW", "WFCOMPAT_BASELINE", "WFCOMPAT_MODES", "WFCOMPAT_PLATFORM", "WFCOMPAT_REQUIRE_PROOF", "WFCOMPAT_CONFIG", "WFCOMPAT_COMMENT", "WFCOMPAT_SUMMARY"} {
		if !used[k] {
			t.Errorf("action.yml does not pass %s to the script", k)
		}
	}
	for name := range action.Inputs {
		if !strings.Contains(string(b), "inputs."+name) {
			t.Errorf("input %s is never used", name)
		}
	}
	for name, o := range action.Outputs {
		if !strings.Contains(o.Value, "steps.gate.outputs.") || !strings.Contains(string(script), name+"=") {
			t.Errorf("output %s is not written by the script", name)
		}
	}
}

// TestShellGate runs examples/gate.sh: exit 0 when NEW may take over, 1
// when it may not, 2 when an input cannot be read.
func TestShellGate(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	bin := wfcompatBin(t)
	ex := filepath.Join(root(t), "testdata", "examples", "golem")
	for _, c := range []struct {
		old, new string
		code     int
	}{
		{filepath.Join(ex, "v1.wasm"), filepath.Join(ex, "v1.wasm"), 0},
		{filepath.Join(ex, "v1.wasm"), filepath.Join(ex, "v2.wasm"), 1},
		{filepath.Join(ex, "missing.wasm"), filepath.Join(ex, "v2.wasm"), 2},
	} {
		cmd := exec.Command("sh", filepath.Join(root(t), "examples", "gate.sh"), c.old, c.new)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code {
			t.Errorf("gate.sh %s %s: exit %d, want %d\n%s", filepath.Base(c.old), filepath.Base(c.new), code, c.code, out)
		}
	}
}
