//go:build unix

package ocifetch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/source"
)

// fakeDocker makes a Docker configuration (DOCKER_CONFIG/config.json, and
// an empty HOME: docker/cli caches the directory it derives from HOME
// for the process) and docker-credential-fake, running script, first on
// PATH.
func fakeDocker(t *testing.T, configJSON, script string) {
	t.Helper()
	home := t.TempDir()
	bin := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".docker"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".docker", "config.json"), []byte(configJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "docker-credential-fake"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("DOCKER_CONFIG", filepath.Join(home, ".docker"))
	t.Setenv("DOCKER_AUTH_CONFIG", "")
	t.Setenv("REGISTRY_AUTH_FILE", "")
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// resolve resolves reg.example/acme/app with k, failing t if it does not
// return within a minute (a hang guard: the bound under test is shorter).
func resolve(t *testing.T, k authn.Keychain) (*authn.AuthConfig, error) {
	t.Helper()
	repo, err := name.NewRepository("reg.example/acme/app")
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		cfg *authn.AuthConfig
		err error
	}
	done := make(chan result, 1)
	go func() {
		a, err := authn.Resolve(context.Background(), k, repo)
		if err != nil {
			done <- result{nil, err}
			return
		}
		cfg, err := a.Authorization()
		done <- result{cfg, err}
	}()
	select {
	case r := <-done:
		return r.cfg, r.err
	case <-time.After(time.Minute):
		t.Fatal("the keychain did not return")
		return nil, nil
	}
}

// TestCredentialKeychain: credentials come from the configuration's
// credential helper, run as docker/cli runs it, or from the file; a
// helper that does not answer is killed after the timeout with one line
// naming it and what to do.
func TestCredentialKeychain(t *testing.T) {
	const (
		helperFor = `{"credHelpers": {"reg.example": "fake"}}`
		store     = `{"credsStore": "fake"}`
	)
	for _, c := range []struct {
		name, config, script string
		env                  string // DOCKER_AUTH_CONFIG
		want                 authn.AuthConfig
		err                  []string // substrings of the error
	}{
		{name: "answers", config: helperFor,
			script: `read url; [ "$1" = get ] && [ "$url" = reg.example ] || exit 3; echo '{"ServerURL":"reg.example","Username":"u","Secret":"p"}'`,
			want:   authn.AuthConfig{Username: "u", Password: "p"}},
		{name: "credsStore", config: store,
			script: `echo '{"ServerURL":"reg.example","Username":"u","Secret":"p"}'`,
			want:   authn.AuthConfig{Username: "u", Password: "p"}},
		{name: "token", config: helperFor,
			script: `echo '{"ServerURL":"reg.example","Username":"<token>","Secret":"tok"}'`,
			want:   authn.AuthConfig{IdentityToken: "tok"}},
		{name: "not found", config: helperFor,
			script: `echo 'credentials not found in native keychain'; exit 1`},
		{name: "another registry's helper", config: `{"credHelpers": {"other.example": "fake"}, "auths": {"reg.example": {"auth": "dTpw"}}}`,
			script: `exit 3`,
			want:   authn.AuthConfig{Username: "u", Password: "p"}},
		{name: "DOCKER_AUTH_CONFIG first", config: helperFor, env: `{"auths": {"reg.example": {"auth": "dTpw"}}}`,
			script: `exit 3`,
			want:   authn.AuthConfig{Username: "u", Password: "p"}},
		{name: "DOCKER_AUTH_CONFIG for another", config: helperFor, env: `{"auths": {"other.example": {"auth": "eDp5"}}}`,
			script: `echo '{"ServerURL":"reg.example","Username":"u","Secret":"p"}'`,
			want:   authn.AuthConfig{Username: "u", Password: "p"}},
		{name: "fails", config: helperFor,
			script: `echo 'keychain locked' >&2; exit 1`,
			err:    []string{"credential helper docker-credential-fake for reg.example", "keychain locked"}},
		{name: "waits", config: helperFor,
			script: `exec sleep 600`,
			err:    []string{"credential helper docker-credential-fake", "reg.example", "did not answer within 200ms and was killed", "echo reg.example | docker-credential-fake get"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fakeDocker(t, c.config, c.script)
			t.Setenv("DOCKER_AUTH_CONFIG", c.env)
			cfg, err := resolve(t, &credentialKeychain{timeout: 200 * time.Millisecond})
			if c.err != nil {
				if err == nil {
					t.Fatalf("no error, credentials %+v", cfg)
				}
				for _, s := range c.err {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not say %q", err, s)
					}
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error %q is not one line", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *cfg != c.want {
				t.Errorf("credentials %+v, want %+v", *cfg, c.want)
			}
			// The library's keychain, unbounded, answers alike.
			lib, err := resolve(t, authn.DefaultKeychain)
			if err != nil || *lib != *cfg {
				t.Errorf("authn.DefaultKeychain: %+v, %v; ours: %+v", lib, err, *cfg)
			}
		})
	}
}

// TestFetchCredentialTimeout: a fetch whose registry's credential helper
// never answers fails after Fetcher.CredentialTimeout, before any
// request, and leaves no file.
func TestFetchCredentialTimeout(t *testing.T) {
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
	fakeDocker(t, `{"credHelpers": {"`+reg.Host+`": "fake"}}`, "exec sleep 600\n")
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() {
		_, err := (&Fetcher{CredentialTimeout: 200 * time.Millisecond}).FetchOCI(context.Background(),
			source.OCIRequest{Reference: reg.Host + "/acme/app:v1", MaxSize: 1 << 20, Output: filepath.Join(dir, "layer")})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "docker-credential-fake") || !strings.Contains(err.Error(), "did not answer") {
			t.Errorf("err = %v, want the credential helper's timeout", err)
		}
	case <-time.After(time.Minute): // a hang guard
		t.Fatal("FetchOCI did not return")
	}
	if left := testfiles.Names(t, dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}
