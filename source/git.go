package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/internal/interrupt"
)

// Git sources are read with the git command, by plumbing commands only
// (rev-parse, ls-tree, cat-file): never a checkout, never the index or
// the working tree, no hooks. The git that made the repository reads every
// form it writes (shallow and partial clones, SHA-256 object names,
// reftable), and linking a Go implementation cost every wfcompat command
// about 1 ms of package initialization and 4 MB (README: Dependencies).

// gitCLI runs git in one repository.
type gitCLI struct {
	ctx context.Context
	bin string // the git command
	dir string // where git looks for the repository (it and its parents)
	env []string
}

// gitLowSpeedLimit and gitLowSpeedTime bound the network access a plumbing command may make: in a
// partial clone (actions/checkout with filter: blob:none or tree:0) the
// objects a baseline needs are fetched from the promisor remote on
// demand, by rev-parse, ls-tree or cat-file. Such a fetch must not hang a
// CI job: GIT_TERMINAL_PROMPT=0 (in run) makes a remote that asks for
// credentials an error instead of a prompt, and over http(s) a transfer
// below 1 byte a second for 60 seconds (a server that stopped sending) is
// given up, the policy of https baselines. The -c settings reach the
// fetch git runs for the missing objects (GIT_CONFIG_PARAMETERS);
// GIT_HTTP_LOW_SPEED_LIMIT and GIT_HTTP_LOW_SPEED_TIME, when set, still
// override them.
const gitLowSpeedLimit, gitLowSpeedTime = "http.lowSpeedLimit=1", "http.lowSpeedTime=60"

// gitSSHCommand bounds the same on-demand fetches over ssh, where http's
// low-speed limit does not apply. ConnectTimeout gives up a server that
// does not accept the connection and finish the SSH handshake within 60
// seconds; ServerAliveInterval and ServerAliveCountMax make ssh probe a
// server that sent nothing for 15 seconds and give up after 4 probes
// unanswered, about a minute after a server or the network path died. (A
// server whose sshd answers the probes while git on it sends nothing is
// not given up: no ssh option bounds that.) BatchMode=yes makes ssh fail
// instead of asking for a passphrase, a password or whether to trust an
// unknown host key, as GIT_TERMINAL_PROMPT=0 does for git's own prompts:
// a gate must not wait for a person. The user's ssh configuration
// (~/.ssh/config) still applies, except that these four options on the
// command line take precedence over it. It is used only when the user
// chose no ssh command: see sshEnv.
const gitSSHCommand = "ssh -o BatchMode=yes -o ConnectTimeout=60 -o ServerAliveInterval=15 -o ServerAliveCountMax=4"

// sshEnv returns the environment that gives git's ssh transport
// gitSSHCommand, or nothing when the user chose how git runs ssh: git
// runs GIT_SSH_COMMAND, else core.sshCommand (any configuration git reads:
// system, global, the repository's, -c through GIT_CONFIG_PARAMETERS),
// else GIT_SSH, else ssh, and the first of these that is set, even to an
// empty value, is left alone (set GIT_SSH_COMMAND=ssh to run ssh as
// configured, without these options). Asking git for core.sshCommand
// costs a git process. It reads only g's fixed fields: it may run while
// g runs another command.
func (g *gitCLI) sshEnv() []string {
	for _, v := range []string{"GIT_SSH_COMMAND", "GIT_SSH"} {
		if _, ok := os.LookupEnv(v); ok {
			return nil
		}
	}
	// Exit status 1: not set; anything else (a value, an unreadable
	// configuration) is not ours to override.
	var ee *exec.ExitError
	if _, err := g.run(nil, "config", "--get", "core.sshCommand"); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		return nil
	}
	return []string{"GIT_SSH_COMMAND=" + gitSSHCommand}
}

// noPromptEnv returns the environment that keeps the on-demand fetch of a
// partial clone (see gitLowSpeedLimit) from waiting for a person when its
// promisor remote asks for credentials. Git asks its credential helpers
// first, which is how credentials are given non-interactively, and only
// when none answers does it prompt: through an askpass program, then on
// the terminal. GIT_TERMINAL_PROMPT=0 (in run) turns the terminal off, but
// not the askpass program, which git takes from GIT_ASKPASS, else
// core.askPass, else SSH_ASKPASS (set by desktops to a password dialog,
// which in a CI job or an unattended shell waits for ever). GIT_ASKPASS
// set to "" makes git run none of them, so a remote that wants credentials
// no helper has is an error at once ("could not read Username for …:
// terminal prompts disabled"). A GIT_ASKPASS the user set (a CI job's
// token script, an editor's integration) is their choice and is left
// alone, as an ssh command they chose is (sshEnv). GCM_INTERACTIVE=never
// does the same for Git Credential Manager, a credential helper that can
// open a sign-in window; it still answers with the credentials it holds.
// Other helpers are not changed: a helper is configured to answer, and
// git does not know which ones prompt.
func noPromptEnv() []string {
	var env []string
	if _, ok := os.LookupEnv("GIT_ASKPASS"); !ok {
		env = append(env, "GIT_ASKPASS=")
	}
	if _, ok := os.LookupEnv("GCM_INTERACTIVE"); !ok {
		env = append(env, "GCM_INTERACTIVE=never")
	}
	return env
}

// run runs git with args and returns its standard output; a failure is
// an error carrying git's first line of standard error.
func (g *gitCLI) run(stdin io.Reader, args ...string) ([]byte, error) {
	full := append([]string{"-C", g.dir, "-c", gitLowSpeedLimit, "-c", gitLowSpeedTime}, args...)
	cmd := exec.CommandContext(g.ctx, g.bin, full...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	cmd.Env = append(cmd.Env, noPromptEnv()...)
	cmd.Env = append(cmd.Env, g.env...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := interrupt.Run(cmd); err != nil {
		return nil, &gitError{args: args, stderr: firstLine(stderr.String()), err: err}
	}
	return stdout.Bytes(), nil
}

// gitError is a failed git command.
type gitError struct {
	args   []string
	stderr string
	err    error
}

func (e *gitError) Error() string {
	if e.stderr != "" {
		return "git " + e.args[0] + ": " + e.stderr
	}
	return "git " + e.args[0] + ": " + e.err.Error()
}

func (e *gitError) Unwrap() error { return e.err }

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimPrefix(s, "fatal: ")
}

// resolveGit reads PATH at REV from the repository around opts.RepoDir,
// without a checkout: a file becomes a cache blob, a directory (a WIT
// package with deps/) a cache tree.
func resolveGit(ctx context.Context, r Ref, opts Options, c *cache) (*Local, error) {
	dir := opts.RepoDir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dir = wd
	}
	bin, err := exec.LookPath("git")
	if err != nil {
		return nil, errors.New("git: sources are read with the git command, which is not installed here (not found in PATH)")
	}
	g := &gitCLI{ctx: ctx, bin: bin, dir: dir}
	// Asking for core.sshCommand runs beside opening the repository.
	sshEnv := make(chan []string, 1)
	go func() { sshEnv <- g.sshEnv() }()
	_, err = g.run(nil, "rev-parse", "--git-dir")
	g.env = <-sshEnv
	if err != nil {
		return nil, fmt.Errorf("open the git repository at %s: %w", dir, err)
	}
	out, err := g.run(nil, "rev-parse", "--verify", "--quiet", "--end-of-options", r.Rev+"^{commit}")
	if err != nil {
		return nil, g.revisionError(r.Rev)
	}
	commit := strings.TrimSpace(string(out))
	p := strings.Trim(path.Clean("/"+filepath.ToSlash(r.Path)), "/")
	if p == "" {
		return g.extractTree(commit+"^{tree}", r.Rev, opts, c)
	}
	out, err = g.run(nil, "ls-tree", "--full-tree", "-z", "-l", commit, "--", p)
	if err != nil {
		return nil, fmt.Errorf("revision %s (%s): %w", r.Rev, short(commit), g.objectError(r.Rev, err))
	}
	entries, err := parseTree(out)
	if err != nil {
		return nil, fmt.Errorf("revision %s: %w", r.Rev, err)
	}
	if len(entries) != 1 || entries[0].name != p {
		return nil, fmt.Errorf("%s does not exist at revision %s (%s)", p, r.Rev, short(commit))
	}
	e := entries[0]
	switch e.mode {
	case "040000":
		return g.extractTree(e.hash, r.Rev, opts, c)
	case "100644", "100755", "100664":
	case "120000":
		return nil, fmt.Errorf("%s at %s is a symbolic link; name the file it points to", p, r.Rev)
	default:
		return nil, fmt.Errorf("%s at %s is not a file (mode %s)", p, r.Rev, e.mode)
	}
	if e.size > opts.maxSize() {
		return nil, fmt.Errorf("%s at %s: %d bytes, larger than the limit of %d", p, r.Rev, e.size, opts.maxSize())
	}
	blob, err := g.run(nil, "cat-file", "blob", e.hash)
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", p, r.Rev, g.objectError(r.Rev, err))
	}
	file, digest, err := c.store(bytes.NewReader(blob), opts.maxSize(), "")
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", p, r.Rev, err)
	}
	return &Local{Path: file, Digest: digest}, nil
}

func short(hash string) string { return hash[:min(12, len(hash))] }

// revisionError explains a revision that does not resolve, saying how to
// fetch it; a shallow clone (actions/checkout's default) is named as the
// likely cause.
func (g *gitCLI) revisionError(rev string) error {
	fetch := "git fetch origin " + rev
	if strings.HasPrefix(rev, "origin/") {
		fetch = "git fetch origin " + strings.TrimPrefix(rev, "origin/")
	}
	if g.shallow() {
		return fmt.Errorf("revision %s not found: this is a shallow clone that does not have it; fetch it first (%s --depth=1, or actions/checkout with fetch-depth: 0)", rev, fetch)
	}
	return fmt.Errorf("revision %s not found; fetch it first (%s)", rev, fetch)
}

// objectError explains a missing object: in a shallow clone, the history
// beyond the fetched depth is absent.
func (g *gitCLI) objectError(rev string, err error) error {
	if g.shallow() {
		return fmt.Errorf("%w: the shallow clone does not hold it; fetch %s first (git fetch --depth=1 origin %s)", err, rev, rev)
	}
	if remote := g.promisor(); remote != "" {
		return fmt.Errorf("%w (this partial clone fetches the objects it lacks from its promisor remote %s when they are read, and that failed; give git credentials for %s with a credential helper, as git runs here without prompts, or fetch the objects first)", err, remote, remote)
	}
	return err
}

// promisor returns the promisor remote of a partial clone, "" for a
// repository that holds all its objects: remote.NAME.promisor (what git
// clone --filter writes) or extensions.partialClone (older clones).
func (g *gitCLI) promisor() string {
	out, err := g.run(nil, "config", "--get-regexp", `^(remote\..*\.promisor|extensions\.partialclone)$`)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		key, value, _ := strings.Cut(line, " ")
		switch {
		case key == "extensions.partialclone" && value != "":
			return value
		case strings.HasPrefix(key, "remote.") && value == "true":
			return strings.TrimSuffix(strings.TrimPrefix(key, "remote."), ".promisor")
		}
	}
	return ""
}

func (g *gitCLI) shallow() bool {
	out, err := g.run(nil, "rev-parse", "--is-shallow-repository")
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// treeEntry is one line of `git ls-tree -z -l`.
type treeEntry struct {
	mode, typ, hash, name string
	size                  int64 // -1 for trees and submodules
}

// parseTree reads the NUL-terminated entries of `git ls-tree -z -l`.
func parseTree(out []byte) ([]treeEntry, error) {
	var es []treeEntry
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) < 4 {
			return nil, fmt.Errorf("unexpected git ls-tree output %q", rec)
		}
		e := treeEntry{mode: f[0], typ: f[1], hash: f[2], name: string(name), size: -1}
		if f[3] != "-" {
			n, err := strconv.ParseInt(f[3], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("unexpected git ls-tree size %q", f[3])
			}
			e.size = n
		}
		es = append(es, e)
	}
	return es, nil
}

// extractTree writes the files of the tree named tree into the cache
// (trees/git-HASH) and returns the directory. Symbolic links and
// submodules are refused: a directory of WIT must not point outside
// itself.
func (g *gitCLI) extractTree(tree, rev string, opts Options, c *cache) (*Local, error) {
	out, err := g.run(nil, "rev-parse", "--verify", "--quiet", "--end-of-options", tree)
	if err != nil {
		return nil, fmt.Errorf("tree %s at %s: %w", tree, rev, g.objectError(rev, err))
	}
	hash := strings.TrimSpace(string(out))
	dst := filepath.Join(c.dir, "trees", "git-"+hash)
	if fi, err := os.Stat(dst); err == nil && fi.IsDir() {
		return &Local{Path: dst}, nil
	}
	out, err = g.run(nil, "ls-tree", "--full-tree", "-r", "-z", "-l", hash)
	if err != nil {
		return nil, fmt.Errorf("tree %s at %s: %w", short(hash), rev, g.objectError(rev, err))
	}
	entries, err := parseTree(out)
	if err != nil {
		return nil, err
	}
	var total int64
	var want bytes.Buffer
	for _, e := range entries {
		switch e.mode {
		case "100644", "100755", "100664":
		case "120000":
			return nil, fmt.Errorf("%s is a symbolic link: a directory source must hold only files", e.name)
		default:
			return nil, fmt.Errorf("%s is a submodule or of unknown mode %s", e.name, e.mode)
		}
		if !filepath.IsLocal(filepath.FromSlash(e.name)) {
			return nil, fmt.Errorf("%q is not a path inside the tree", e.name)
		}
		if total += e.size; total > opts.maxSize() {
			return nil, fmt.Errorf("the tree holds more than %d bytes (the limit)", opts.maxSize())
		}
		want.WriteString(e.hash + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	tmp, removeTmp, err := tempDir(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	defer removeTmp() // no-op after the rename
	if len(entries) > 0 {
		// One cat-file for every blob: "HASH blob SIZE\n" then the bytes
		// and "\n", in the order asked.
		blobs, err := g.run(&want, "cat-file", "--batch")
		if err != nil {
			return nil, fmt.Errorf("tree %s at %s: %w", short(hash), rev, g.objectError(rev, err))
		}
		rd := bufio.NewReader(bytes.NewReader(blobs))
		for _, e := range entries {
			if err := writeBatchBlob(rd, e, filepath.Join(tmp, filepath.FromSlash(e.name))); err != nil {
				return nil, fmt.Errorf("%s: %w", e.name, g.objectError(rev, err))
			}
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		if fi, serr := os.Stat(dst); serr == nil && fi.IsDir() {
			return &Local{Path: dst}, nil // extracted concurrently
		}
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Local{Path: dst}, nil
}

// writeBatchBlob reads e's object from `git cat-file --batch` output and
// writes it to target.
func writeBatchBlob(rd *bufio.Reader, e treeEntry, target string) error {
	head, err := rd.ReadString('\n')
	if err != nil {
		return fmt.Errorf("git cat-file --batch: %w", err)
	}
	f := strings.Fields(head)
	if len(f) == 2 && f[1] == "missing" {
		return fmt.Errorf("object %s is missing", e.hash)
	}
	if len(f) != 3 || f[0] != e.hash || f[1] != "blob" {
		return fmt.Errorf("git cat-file --batch: unexpected header %q for %s", strings.TrimSpace(head), e.hash)
	}
	n, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || n != e.size {
		return fmt.Errorf("git cat-file --batch: size %q, ls-tree said %d", f[2], e.size)
	}
	// Created in a Do: a signal's removal of the temporary directory
	// does not race with a file being added to it.
	var out *os.File
	interrupt.Do(func() {
		if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
			out, err = os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		}
	})
	if err != nil {
		return err
	}
	if _, err := io.CopyN(out, rd, n); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if b, err := rd.ReadByte(); err != nil || b != '\n' {
		return errors.New("git cat-file --batch: object not followed by a newline")
	}
	return nil
}
