package ocifetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/docker/cli/cli/config"
	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/cli/cli/config/types"
	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/wfcompat/wfcompat/internal/interrupt"
)

// DefaultCredentialTimeout is how long a Docker credential helper
// (docker-credential-NAME, named by credsStore or credHelpers in the
// Docker configuration) may take to answer before the fetch gives up: a
// helper that asks a person (a desktop keychain to unlock) would
// otherwise block a CI gate for ever. Helpers that fetch a token over the
// network (ecr-login, gcloud) answer in seconds.
const DefaultCredentialTimeout = time.Minute

// credentialKeychain is authn.DefaultKeychain with its credential helper
// runs bounded. The default keychain runs docker-credential-NAME through
// docker/cli's credential store, which runs it with
// github.com/docker/docker-credential-helpers/client.NewShellProgramFunc:
// exec.Command, no context, no timeout (authn's ResolveContext ignores
// its context), and neither package lets a caller supply the program
// runner. So this keychain chooses and loads the configuration file as
// authn.DefaultKeychain does (go-containerregistry v0.22.1; the file is
// read and parsed by docker/cli's config package, as there), looks up the
// same keys, and resolves a key without a credential helper with docker/cli
// itself (its file store and DOCKER_AUTH_CONFIG); a key with a helper is
// answered from DOCKER_AUTH_CONFIG when that has it (as docker/cli does),
// else by running the helper through docker-credential-helpers' client
// (its protocol and its errors) with a program of ours, which the context
// and the timeout kill.
type credentialKeychain struct {
	// timeout bounds one credential helper run; 0 is
	// DefaultCredentialTimeout.
	timeout time.Duration
}

var _ authn.ContextKeychain = (*credentialKeychain)(nil)

// Resolve implements authn.Keychain.
func (k *credentialKeychain) Resolve(target authn.Resource) (authn.Authenticator, error) {
	return k.ResolveContext(context.Background(), target)
}

// ResolveContext implements authn.ContextKeychain.
func (k *credentialKeychain) ResolveContext(ctx context.Context, target authn.Resource) (authn.Authenticator, error) {
	cf, err := loadDockerConfig()
	if err != nil || cf == nil {
		return authn.Anonymous, err
	}
	// The helpers are taken out of cf: what docker/cli resolves below
	// never runs one.
	helpers, store := cf.CredentialHelpers, cf.CredentialsStore
	cf.CredentialHelpers, cf.CredentialsStore = nil, ""
	envOnly := configfile.New("") // DOCKER_AUTH_CONFIG over an empty file
	var cfg, empty types.AuthConfig
	for _, key := range []string{target.String(), target.RegistryStr()} {
		if key == name.DefaultRegistry {
			key = authn.DefaultAuthKey
		}
		helper := store
		if h, ok := helpers[authConfigKey(key)]; ok {
			helper = h
		}
		if helper == "" {
			cfg, err = cf.GetAuthConfig(key)
		} else if cfg, err = envOnly.GetAuthConfig(key); err == nil && cfg.Username == "" && cfg.Password == "" {
			cfg, err = k.runHelper(ctx, helper, authConfigKey(key))
		}
		if err != nil {
			return nil, err
		}
		cfg.ServerAddress = "" // as authn: not part of the "is empty" test
		if cfg != empty {
			break
		}
	}
	if cfg == empty {
		return authn.Anonymous, nil
	}
	return authn.FromConfig(authn.AuthConfig{
		Username:      cfg.Username,
		Password:      cfg.Password,
		Auth:          cfg.Auth,
		IdentityToken: cfg.IdentityToken,
		RegistryToken: cfg.RegistryToken,
	}), nil
}

// authConfigKey is docker/cli's key for a registry (configfile's
// getAuthConfigKey, unexported): Docker Hub's is its v1 URL.
func authConfigKey(key string) string {
	if key == "docker.io" || key == "index.docker.io" {
		return authn.DefaultAuthKey
	}
	return key
}

// loadDockerConfig reads the configuration authn.DefaultKeychain reads
// (go-containerregistry v0.22.1, keychain.go): $HOME/.docker/config.json
// or $DOCKER_CONFIG/config.json through docker/cli's config.Load, else
// $REGISTRY_AUTH_FILE, else Podman's containers/auth.json (under
// $XDG_RUNTIME_DIR, else $XDG_CONFIG_HOME or ~/.config), parsed by
// docker/cli. None is nil: anonymous access.
func loadDockerConfig() (*configfile.ConfigFile, error) {
	found := false
	home, err := os.UserHomeDir()
	if err == nil {
		found = fileExists(filepath.Join(home, ".docker/config.json"))
	}
	if !found && os.Getenv("DOCKER_CONFIG") != "" {
		found = fileExists(filepath.Join(os.Getenv("DOCKER_CONFIG"), "config.json"))
	}
	if found {
		return config.Load(os.Getenv("DOCKER_CONFIG"))
	}
	configDir := os.Getenv("XDG_CONFIG_HOME")
	if configDir == "" && home != "" {
		configDir = filepath.Join(home, ".config")
	}
	podman := filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "containers/auth.json")
	if (os.Getenv("XDG_RUNTIME_DIR") == "" || !fileExists(podman)) && configDir != "" {
		podman = filepath.Join(configDir, "containers/auth.json")
	}
	for _, p := range []string{filepath.Clean(os.Getenv("REGISTRY_AUTH_FILE")), filepath.Clean(podman)} {
		if !fileExists(p) {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return config.LoadFromReader(f)
	}
	return nil, nil
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// runHelper asks docker-credential-HELPER for serverURL's credentials
// (docker/cli's nativeStore.Get: not found is none; a "<token>" user
// name is an identity token), killing it when ctx is done or after the
// timeout.
func (k *credentialKeychain) runHelper(ctx context.Context, helper, serverURL string) (types.AuthConfig, error) {
	timeout := k.timeout
	if timeout <= 0 {
		timeout = DefaultCredentialTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	prog := "docker-credential-" + helper
	var stderr bytes.Buffer
	creds, err := client.Get(func(args ...string) client.Program {
		return &program{cmd: exec.CommandContext(ctx, prog, args...), stderr: &stderr}
	}, serverURL)
	var ret types.AuthConfig
	switch {
	case err == nil:
	case credentials.IsErrCredentialsNotFound(err):
		return ret, nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return ret, fmt.Errorf("credential helper %s (the Docker configuration's for %s) did not answer within %v and was killed: it may be waiting for a person (a keychain to unlock, a sign-in); answer it by hand (echo %s | %s get), then try again",
			prog, serverURL, timeout, serverURL, prog)
	case ctx.Err() != nil:
		return ret, fmt.Errorf("credential helper %s: %w", prog, context.Cause(ctx))
	default:
		msg := strings.Join(strings.Fields(err.Error()), " ")
		if line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n"); line != "" {
			msg += " (" + strings.TrimSpace(line) + ")"
		}
		return ret, fmt.Errorf("credential helper %s for %s: %s", prog, serverURL, msg)
	}
	if creds.Username == "<token>" {
		ret.IdentityToken = creds.Secret
	} else {
		ret.Username, ret.Password = creds.Username, creds.Secret
	}
	ret.ServerAddress = serverURL
	return ret, nil
}

// program is a client.Program that runs its command with a context (a
// kill when it is done) and a signal ending the process passed on
// (internal/interrupt), and keeps its standard error (at most 4 KiB)
// rather than mixing it into the helper's own one-line error.
type program struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
}

func (p *program) Input(in io.Reader) { p.cmd.Stdin = in }

func (p *program) Output() ([]byte, error) {
	var out bytes.Buffer
	p.cmd.Stdout = &out
	p.cmd.Stderr = &limitWriter{w: p.stderr, n: 4 << 10}
	// A process the credential helper started may hold its pipes open
	// after it was killed: give up on them after a while.
	p.cmd.WaitDelay = 2 * time.Second
	err := interrupt.Run(p.cmd)
	return out.Bytes(), err
}

// limitWriter writes at most n bytes to w and drops the rest.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(b []byte) (int, error) {
	if l.n > 0 {
		k := min(len(b), l.n)
		l.w.Write(b[:k])
		l.n -= k
	}
	return len(b), nil
}
