package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
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
	repo, err := git.PlainInit(repoDir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	build := filepath.Join(repoDir, "app.wasm")
	os.WriteFile(build, oldBin, 0o644)
	wt.Add("app.wasm")
	sig := &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(0, 0)}
	if _, err := wt.Commit("old build", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
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
