package source

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// gitCmd runs git in dir with a fixed identity and date; it skips the
// test where git is not installed (git: sources need it).
func gitCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed: git: sources are read with it")
	}
	cmd := exec.Command(bin, append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// gitRepo makes a repository with two commits: v1 holds app.wasm "one"
// and wit/{world.wit,deps/dep.wit}; v2 changes app.wasm to "two". It
// returns the directory and the hashes of both commits.
func gitRepo(t *testing.T) (string, string, string) {
	t.Helper()
	dir := t.TempDir()
	gitCmd(t, dir, "init", "-q", "-b", "master")
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		gitCmd(t, dir, "add", name)
	}
	commit := func(msg string) string {
		gitCmd(t, dir, "commit", "-q", "-m", msg)
		return gitCmd(t, dir, "rev-parse", "HEAD")
	}
	write("app.wasm", "one")
	write("wit/world.wit", "package a:b;\nworld w {}\n")
	write("wit/deps/dep.wit", "package a:dep;\n")
	v1 := commit("v1")
	write("app.wasm", "two")
	v2 := commit("v2")
	gitCmd(t, dir, "tag", "v1", v1)
	return dir, v1, v2
}

func TestResolveGit(t *testing.T) {
	dir, v1, _ := gitRepo(t)
	ctx := context.Background()
	opts := Options{CacheDir: t.TempDir(), RepoDir: filepath.Join(dir, "wit")} // found from a subdirectory
	for _, c := range []struct{ ref, want string }{
		{"git:HEAD:app.wasm", "two"},
		{"git:HEAD~1:app.wasm", "one"},
		{"git:v1:app.wasm", "one"},
		{"git:" + v1[:10] + ":./app.wasm", "one"},
		{"git:master:/app.wasm", "two"},
	} {
		l, err := Resolve(ctx, c.ref, opts)
		if err != nil {
			t.Errorf("%s: %v", c.ref, err)
			continue
		}
		if got, _ := os.ReadFile(l.Path); string(got) != c.want || l.Kind != KindGit || l.Name != c.ref || l.Digest != digestOf([]byte(c.want)) {
			t.Errorf("%s: %+v holds %q, want %q", c.ref, l, got, c.want)
		}
	}
	// A directory comes out as a tree with its files.
	l, err := Resolve(ctx, "git:v1:wit", opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(l.Path, "deps", "dep.wit")); string(got) != "package a:dep;\n" {
		t.Errorf("tree: deps/dep.wit = %q", got)
	}
	// The worktree was never touched: app.wasm still holds v2's content.
	if got, _ := os.ReadFile(filepath.Join(dir, "app.wasm")); string(got) != "two" {
		t.Errorf("worktree changed: %q", got)
	}
	for _, c := range []struct{ ref, want string }{
		{"git:HEAD:missing.wasm", "git:HEAD:missing.wasm: missing.wasm does not exist at revision HEAD"},
		{"git:nope:app.wasm", "git:nope:app.wasm: revision nope not found"},
		{"git:origin/main:app.wasm", "fetch it first (git fetch origin main)"},
	} {
		_, err := Resolve(ctx, c.ref, opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.ref, err, c.want)
		}
	}
	if _, err := Resolve(ctx, "git:HEAD:app.wasm", Options{CacheDir: t.TempDir(), RepoDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "open the git repository") {
		t.Errorf("outside a repository: %v", err)
	}
}

// TestResolveGitShallow clones the repository at depth 1 with git (as
// actions/checkout does) and asks for the older revision.
func TestResolveGitShallow(t *testing.T) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed: cannot make a shallow clone")
	}
	dir, v1, _ := gitRepo(t)
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command(gitBin, "clone", "-q", "--depth=1", "file://"+dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	opts := Options{CacheDir: t.TempDir(), RepoDir: clone}
	ctx := context.Background()
	if l, err := Resolve(ctx, "git:HEAD:app.wasm", opts); err != nil {
		t.Errorf("HEAD of a shallow clone: %v", err)
	} else if got, _ := os.ReadFile(l.Path); string(got) != "two" {
		t.Errorf("HEAD: %q", got)
	}
	for _, ref := range []string{"git:" + v1 + ":app.wasm", "git:HEAD~1:app.wasm", "git:v1:app.wasm"} {
		_, err := Resolve(ctx, ref, opts)
		if err == nil || !strings.Contains(err.Error(), "shallow clone") || !strings.Contains(err.Error(), "fetch") {
			t.Errorf("%s: err = %v, want it to say the shallow clone lacks it and how to fetch", ref, err)
		}
	}
	// Once fetched, it resolves.
	if out, err := exec.Command(gitBin, "-C", clone, "fetch", "-q", "--depth=1", "origin", "tag", "v1").CombinedOutput(); err != nil {
		t.Fatalf("git fetch: %v\n%s", err, out)
	}
	if l, err := Resolve(ctx, "git:v1:app.wasm", opts); err != nil {
		t.Errorf("after fetching v1: %v", err)
	} else if got, _ := os.ReadFile(l.Path); string(got) != "one" {
		t.Errorf("v1 after fetch: %q", got)
	}
}

// TestResolveGitRefusals: symbolic links, in a tree or named, and a
// machine without git.
func TestResolveGitRefusals(t *testing.T) {
	dir, _, _ := gitRepo(t)
	if err := os.Symlink("../app.wasm", filepath.Join(dir, "wit", "link.wasm")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	gitCmd(t, dir, "add", "wit/link.wasm")
	gitCmd(t, dir, "commit", "-q", "-m", "link")
	ctx := context.Background()
	opts := Options{CacheDir: t.TempDir(), RepoDir: dir}
	for _, c := range []struct{ ref, want string }{
		{"git:HEAD:wit", "link.wasm is a symbolic link: a directory source must hold only files"},
		{"git:HEAD:wit/link.wasm", "is a symbolic link; name the file it points to"},
		{"git:HEAD:wit/deps/dep.wit/x", "does not exist at revision HEAD"},
	} {
		if _, err := Resolve(ctx, c.ref, opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.ref, err, c.want)
		}
	}
	small := Options{CacheDir: t.TempDir(), RepoDir: dir, MaxSize: 2}
	if _, err := Resolve(ctx, "git:HEAD:app.wasm", small); err == nil || !strings.Contains(err.Error(), "3 bytes, larger than the limit of 2") {
		t.Errorf("file over the size limit: %v", err)
	}
	if _, err := Resolve(ctx, "git:v1:wit", small); err == nil || !strings.Contains(err.Error(), "more than 2 bytes") {
		t.Errorf("tree over the size limit: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := Resolve(ctx, "git:HEAD:app.wasm", opts); err == nil || !strings.Contains(err.Error(), "git command, which is not installed here") {
		t.Errorf("without git: %v", err)
	}
}

// TestGitBoundsLazyFetch: in a partial clone, reading a baseline fetches
// the missing blob from the promisor remote, a network access. Every git
// command Resolve runs gets GIT_TERMINAL_PROMPT=0 and the http low-speed
// limit (no data for 60 s gives up; -c reaches the fetch git starts),
// checked through a git on PATH that logs its arguments and environment
// before running the real one.
func TestGitBoundsLazyFetch(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the logging git is a shell script")
	}
	src := promisorRepo(t)
	part := filepath.Join(t.TempDir(), "part")
	gitCmd(t, src, "clone", "-q", "--filter=blob:none", "--no-checkout", "file://"+src, part)
	missing := func() string { return gitCmd(t, part, "rev-list", "--objects", "--missing=print", "HEAD") }
	if !strings.Contains(missing(), "?") {
		t.Fatal("the partial clone holds every blob: nothing to fetch lazily")
	}
	real, _ := exec.LookPath("git")
	bin := t.TempDir()
	log := filepath.Join(t.TempDir(), "log")
	script := "#!/bin/sh\necho \"prompt=$GIT_TERMINAL_PROMPT askpass=${GIT_ASKPASS-unset} gcm=${GCM_INTERACTIVE-unset} args=$*\" >> " + log + "\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	for _, v := range []string{"GIT_ASKPASS", "GCM_INTERACTIVE"} {
		t.Setenv(v, "") // restored after the test
		os.Unsetenv(v)
	}
	l, err := Resolve(context.Background(), "git:HEAD:app.wasm", Options{CacheDir: t.TempDir(), RepoDir: part})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(l.Path); string(b) != "two" {
		t.Errorf("read %q, want \"two\"", b)
	}
	b, err := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if err != nil || len(lines) < 3 {
		t.Fatalf("git ran %d times (%v)", len(lines), err)
	}
	for _, line := range lines {
		// No prompt: no terminal, no askpass program (GIT_ASKPASS empty:
		// not core.askPass, not SSH_ASKPASS either), no Git Credential
		// Manager window.
		if !strings.HasPrefix(line, "prompt=0 askpass= gcm=never args=-C "+part+" -c http.lowSpeedLimit=1 -c http.lowSpeedTime=60 ") {
			t.Errorf("git ran without the bounds: %s", line)
		}
	}
}

// TestGitSSHBounds: the on-demand fetch of a partial clone over ssh runs
// ssh with the stall bounds and BatchMode when the user chose no ssh
// command, and the user's own (GIT_SSH_COMMAND, GIT_SSH, core.sshCommand)
// otherwise. The clone's remote is ssh://fakehost/…: an ssh on PATH that
// logs its arguments runs the remote command locally (no network).
func TestGitSSHBounds(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake ssh is a shell script")
	}
	src := promisorRepo(t)
	bin := t.TempDir()
	log := filepath.Join(t.TempDir(), "log")
	// ssh [-o OPT]... [-p PORT] HOST COMMAND: log, then run COMMAND.
	script := `#!/bin/sh
echo "$0 $*" >> ` + log + `
for last; do :; done
exec sh -c "$last"
`
	fake := filepath.Join(bin, "ssh")
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	unsetEnv(t, "GIT_SSH_COMMAND", "GIT_SSH")
	ours := "-o BatchMode=yes -o ConnectTimeout=60 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 "
	for _, tc := range []struct {
		name   string
		env    map[string]string
		config string // core.sshCommand in the clone's configuration
		want   string // the logged ssh command starts with it
	}{
		{name: "default", want: fake + " " + ours},
		{name: "GIT_SSH_COMMAND", env: map[string]string{"GIT_SSH_COMMAND": "ssh -o ConnectTimeout=5"}, want: fake + " -o ConnectTimeout=5 "},
		{name: "GIT_SSH", env: map[string]string{"GIT_SSH": fake}, want: fake + " "},
		{name: "core.sshCommand", config: "ssh -o ConnectTimeout=7", want: fake + " -o ConnectTimeout=7 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			part := filepath.Join(t.TempDir(), "part")
			gitCmd(t, t.TempDir(), "clone", "-q", "--filter=blob:none", "--no-checkout", "ssh://fakehost"+src, part)
			if !strings.Contains(gitCmd(t, part, "rev-list", "--objects", "--missing=print", "HEAD"), "?") {
				t.Fatal("the partial clone holds every blob: nothing to fetch lazily")
			}
			if tc.config != "" {
				gitCmd(t, part, "config", "core.sshCommand", tc.config)
			}
			os.Remove(log)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			l, err := Resolve(context.Background(), "git:HEAD:app.wasm", Options{CacheDir: t.TempDir(), RepoDir: part})
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(l.Path); string(b) != "two" {
				t.Errorf("read %q, want \"two\"", b)
			}
			b, err := os.ReadFile(log)
			if err != nil {
				t.Fatalf("ssh did not run: %v", err)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if !strings.HasPrefix(line, tc.want) || !strings.HasSuffix(line, "fakehost git-upload-pack '"+src+"'") {
					t.Errorf("ssh ran as %q, want %q… fakehost git-upload-pack '%s'", line, tc.want, src)
				}
				if tc.name != "default" && strings.Contains(line, "ServerAliveInterval") {
					t.Errorf("the user's ssh command was changed: %s", line)
				}
			}
		})
	}
}

// promisorRepo is gitRepo's source repository, set to serve partial
// clones: a clone made with --filter fetches what it misses from it on
// demand.
func promisorRepo(t *testing.T) string {
	t.Helper()
	src, _, _ := gitRepo(t)
	gitCmd(t, src, "config", "uploadpack.allowFilter", "true")
	gitCmd(t, src, "config", "uploadpack.allowAnySHA1InWant", "true")
	return src
}

// unsetEnv unsets the environment variables names for the test (restored
// after it).
func unsetEnv(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		t.Setenv(n, "")
		os.Unsetenv(n)
	}
}
