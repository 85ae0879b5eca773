package source

import (
	"context"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestGitNoPrompt: the on-demand fetch of a partial clone whose promisor
// remote asks for credentials gives a one-line error at once instead of
// waiting for a person: git's own terminal prompt is off
// (GIT_TERMINAL_PROMPT=0), and so are the askpass programs git would run
// for it, core.askPass and SSH_ASKPASS (a desktop's password dialog), and
// Git Credential Manager's prompts (GCM_INTERACTIVE=never). A GIT_ASKPASS
// the user set is their choice, as a CI job's token script is: it runs,
// and with its credentials the fetch succeeds. The remote is a git
// http-backend behind basic authentication on localhost; the askpass
// programs that would stand for a person sleep. The test's deadline
// guards against a wait; it is not what the test asserts.
func TestGitNoPrompt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the askpass programs are shell scripts")
	}
	src := promisorRepo(t)
	bin, _ := exec.LookPath("git")
	backend := &cgi.Handler{Path: bin, Args: []string{"http-backend"},
		Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(src), "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "ci" || p != "token" {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "credentials, please", http.StatusUnauthorized)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	defer srv.Close()
	url := srv.URL + "/" + filepath.Base(src)

	scripts := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(scripts, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ran := filepath.Join(scripts, "ran")
	// A password dialog nobody answers.
	dialog := script("dialog", "echo \"$0 $*\" >> "+ran+"\nexec sleep 300")
	// A CI job's token script.
	token := script("token", "echo \"$0 $*\" >> "+ran+"\ncase \"$1\" in Username*) echo ci;; *) echo token;; esac")
	unsetEnv(t, "GIT_ASKPASS", "SSH_ASKPASS", "GCM_INTERACTIVE")
	for _, tc := range []struct {
		name   string
		url    string // the promisor remote, if not the server
		env    map[string]string
		config map[string]string // the clone's configuration
		want   string            // the error; "" reads the file
		ran    string            // the askpass program that ran, "" for none
	}{
		{name: "no askpass", want: "git ls-tree: could not read Username for '" + srv.URL + "': terminal prompts disabled (this partial clone fetches the objects it lacks from its promisor remote origin when they are read, and that failed; give git credentials for origin with a credential helper"},
		{name: "unreachable remote", url: "http://127.0.0.1:1/none", env: map[string]string{"SSH_ASKPASS": dialog}, want: "git ls-tree: unable to access 'http://127.0.0.1:1/none/': "},
		{name: "core.askPass", config: map[string]string{"core.askPass": dialog}, want: "terminal prompts disabled"},
		{name: "SSH_ASKPASS", env: map[string]string{"SSH_ASKPASS": dialog}, want: "terminal prompts disabled"},
		{name: "GIT_ASKPASS the user set", env: map[string]string{"GIT_ASKPASS": token}, ran: token},
		{name: "GIT_ASKPASS the user set, over core.askPass", env: map[string]string{"GIT_ASKPASS": token}, config: map[string]string{"core.askPass": dialog}, ran: token},
	} {
		t.Run(tc.name, func(t *testing.T) {
			part := filepath.Join(t.TempDir(), "part")
			gitCmd(t, src, "clone", "-q", "--filter=blob:none", "--no-checkout", "file://"+src, part)
			remote := url
			if tc.url != "" {
				remote = tc.url
			}
			gitCmd(t, part, "remote", "set-url", "origin", remote)
			if !strings.Contains(gitCmd(t, part, "rev-list", "--objects", "--missing=print", "HEAD"), "?") {
				t.Fatal("the partial clone holds every blob: nothing to fetch lazily")
			}
			for k, v := range tc.config {
				gitCmd(t, part, "config", k, v)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			os.Remove(ran)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type result struct {
				l   *Local
				err error
			}
			done := make(chan result, 1)
			go func() {
				l, err := Resolve(ctx, "git:HEAD:app.wasm", Options{CacheDir: t.TempDir(), RepoDir: part})
				done <- result{l, err}
			}()
			var r result
			select {
			case r = <-done:
				t.Logf("Resolve: %v", r.err)
			case <-time.After(60 * time.Second):
				cancel() // ends git (and its fetch)
				log, _ := os.ReadFile(ran)
				t.Fatalf("still waiting after a minute: a prompt? (askpass ran: %q)", log)
			}
			switch {
			case tc.want == "" && r.err != nil:
				t.Fatalf("Resolve: %v", r.err)
			case tc.want == "":
				if b, _ := os.ReadFile(r.l.Path); string(b) != "two" {
					t.Errorf("read %q, want \"two\"", b)
				}
			case r.err == nil:
				t.Fatalf("Resolve read %s without credentials", r.l.Path)
			case !strings.Contains(r.err.Error(), tc.want) || strings.Contains(r.err.Error(), "\n"):
				t.Errorf("error %q, want one line with %q", r.err, tc.want)
			}
			log, _ := os.ReadFile(ran)
			if got := strings.TrimSpace(string(log)); tc.ran == "" && got != "" || tc.ran != "" && !strings.HasPrefix(got, tc.ran+" ") {
				t.Errorf("askpass ran: %q, want %q", got, tc.ran)
			}
		})
	}
}
