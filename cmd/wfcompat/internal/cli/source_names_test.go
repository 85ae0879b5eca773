package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitTreeErrorsNameArgument: a malformed WIT directory read from
// git:REV:DIR is reported under the argument, never under the cache
// directory it was unpacked into. Found by the bad-input QA: errors
// named ~/.cache/wfcompat/trees/git-…/a.wit.
func TestGitTreeErrorsNameArgument(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir())
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed: git: sources are read with it")
	}
	repo := t.TempDir()
	gitRun := func(args ...string) {
		cmd := exec.Command(gitBin, append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q")
	for name, text := range map[string]string{
		"wit/a.wit":     "package a:b;\nworld w { export f: func(x: u32 -> u32; }\n",
		"empty/x.txt":   "not WIT\n",
		"good/good.wit": "package a:b;\nworld w { export f: func(x: u32) -> u32; }\n",
	} {
		p := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun("add", ".")
	gitRun("commit", "-q", "-m", "wit")
	for _, c := range []struct{ arg, want string }{
		{"git:HEAD:wit", "wfcompat: git:HEAD:wit: git:HEAD:wit/a.wit:2:33: expected ')'"},
		{"git:HEAD:empty", "wfcompat: git:HEAD:empty: no `package` header"},
	} {
		io, _, errb := Test()
		io.Getwd = func() (string, error) { return repo, nil }
		code := Main([]string{"diff", c.arg, filepath.Join(repo, "good")}, io)
		if code != ExitError || !strings.HasPrefix(errb.String(), c.want) || strings.Contains(errb.String(), cache) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want one line starting %q, without the cache directory", c.arg, code, errb.String(), c.want)
		}
	}
}
