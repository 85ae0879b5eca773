package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffBaselineSources diffs against baselines that are not local
// files: a git revision (read without a checkout) and standard input.
func TestDiffBaselineSources(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the fetch cache
	t.Setenv("HOME", t.TempDir())
	wat := filepath.Join(repoRoot(t), "testdata", "wat")
	oldBin, err := os.ReadFile(filepath.Join(wat, "cb_table_old.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	newBin, err := os.ReadFile(filepath.Join(wat, "cb_table_reused.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	// A repository whose first commit holds the old build and whose work
	// tree holds the new one.
	repoDir := t.TempDir()
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed: git: sources are read with it")
	}
	gitRun := func(args ...string) {
		cmd := exec.Command(gitBin, append([]string{"-C", repoDir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	build := filepath.Join(repoDir, "app.wasm")
	gitRun("init", "-q")
	os.WriteFile(build, oldBin, 0o644)
	gitRun("add", "app.wasm")
	gitRun("commit", "-q", "-m", "old build")
	os.WriteFile(build, newBin, 0o644)

	io, out, errb := Test()
	io.Getwd = func() (string, error) { return repoDir, nil }
	code := Main([]string{"diff", "--mode", "in-flight", "git:HEAD:app.wasm", build}, io)
	if code != ExitUnsafe || !strings.Contains(out.String(), "old  git:HEAD:app.wasm  (core") || !strings.Contains(out.String(), "CALLBACK_") {
		t.Errorf("git baseline: exit %d\n%s%s", code, out, errb)
	}
	// The work tree was not touched.
	if b, _ := os.ReadFile(build); !bytes.Equal(b, newBin) {
		t.Error("the work tree changed")
	}

	io, out, errb = Test()
	io.In = bytes.NewReader(oldBin)
	code = Main([]string{"diff", "--mode", "in-flight", "-", filepath.Join(wat, "cb_table_old.wasm")}, io)
	if code != ExitOK || !strings.Contains(out.String(), "old  -  (core") {
		t.Errorf("stdin baseline: exit %d\n%s%s", code, out, errb)
	}

	// Errors name the argument and what failed: exit 2, one line.
	for _, c := range []struct{ arg, want string }{
		{"git:nope:app.wasm", "wfcompat: git:nope:app.wasm: revision nope not found"},
		{"git:HEAD:missing.wasm", "wfcompat: git:HEAD:missing.wasm: missing.wasm does not exist at revision HEAD"},
		{"http://example.com/a.wasm", "wfcompat: http://example.com/a.wasm: plain http is not accepted"},
	} {
		io, _, errb := Test()
		io.Getwd = func() (string, error) { return repoDir, nil }
		if code := Main([]string{"diff", c.arg, build}, io); code != ExitError || !strings.HasPrefix(errb.String(), c.want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q, want %q", c.arg, code, errb.String(), c.want)
		}
	}
	// Content that is not Wasm, from stdin: the error names "-".
	io, _, errb = Test()
	io.In = strings.NewReader("not wasm")
	if code := Main([]string{"diff", "-", build}, io); code != ExitError || !strings.HasPrefix(errb.String(), "wfcompat: -: ") {
		t.Errorf("bad stdin: exit %d, %q", code, errb.String())
	}
}
