package source

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
	"github.com/wfcompat/wfcompat/internal/helperpath"
	"github.com/wfcompat/wfcompat/internal/interrupt"
)

// The OCI helper. Like git, which runs git-remote-https for https remotes
// so that every other git command does without an HTTP stack, wfcompat
// fetches oci:// sources, and downloads https:// ones, through a separate
// executable, wfcompat-oci (cmd/wfcompat-oci), unless the caller supplies
// an in-process OCIFetcher (Options.OCI) or HTTPFetcher (Options.HTTP):
// the wfcompat command then links neither a registry client nor net/http
// and crypto/tls, whose package initialization every process would pay.
//
// Resolve looks for the helper, in order: Options.OCIHelper; the
// WFCOMPAT_OCI_HELPER environment variable; wfcompat-oci (wfcompat-oci.exe
// on Windows) in the directory of the running executable (os.Executable,
// and the directory its symbolic links lead to); wfcompat-oci on PATH.
// A helper named by Options.OCIHelper or the variable must exist.
//
// The protocol has versions, each a superset of the one before; a helper
// speaks every version from 1 to its own HelperProtocol, and Resolve asks
// for each fetch in the lowest version that has it (so a helper older
// than wfcompat still fetches oci:// sources), and the helper answers in
// the version asked. Version 1 fetches OCI artifacts; version 2 adds
// https:// URLs. A helper asked for a version it does not speak says so
// on standard error ("protocol version 2 is not spoken by this helper (it
// speaks 1): install the wfcompat-oci of your wfcompat's version") and
// exits 2.
//
// Version 1, an oci:// source. Resolve runs
//
//	wfcompat-oci fetch --protocol 1 --max-size N -o FILE [--blobs DIR] -- REFERENCE
//
// with the caller's environment (Docker configuration, proxy variables)
// and no standard input. REFERENCE is the source without oci://. The
// helper fetches the manifest (from DIR/sha256/HEX when REFERENCE names
// it by digest and DIR holds it), picks the wasm layer, and, unless
// DIR/sha256/HEX holds the layer, downloads it to FILE through a temporary
// file in FILE's directory and a rename, refusing more than N bytes and
// content of another digest. It then prints one line of JSON on standard
// output, an OCIResult:
//
//	{"protocol":1,"reference":"ghcr.io/acme/app:v1","manifestDigest":"sha256:…",
//	 "digest":"sha256:…","size":1234,"mediaType":"application/wasm","path":"FILE"}
//
// ("manifest", base64, when REFERENCE is pinned and the manifest was
// downloaded) and exits 0.
//
// Version 2, an https:// source. Resolve runs
//
//	wfcompat-oci fetch --protocol 2 --max-size N -o FILE -- https://HOST/PATH[#sha256=HEX]
//
// with the caller's environment (proxy variables, SSL_CERT_FILE and
// SSL_CERT_DIR) and no standard input: the URL as given, with its
// #sha256= fragment when it has one. The helper downloads the URL with
// package source/httpfetch (redirects to https:// only, at most N bytes,
// declared or read, status 200 OK, a minute at most without receiving a
// byte) to FILE, through a temporary file in FILE's directory and a
// rename, refusing content of another digest than the fragment's. It
// then prints one line of JSON on standard output, an HTTPResult:
//
//	{"protocol":2,"url":"https://example.com/app.wasm","digest":"sha256:…","size":1234,"path":"FILE"}
//
// and exits 0. (--blobs is refused with an https:// URL. Version 2
// fetches OCI references exactly as version 1, answering with
// "protocol":2.)
//
// On failure the helper prints one line on standard error,
// "wfcompat-oci: MESSAGE", leaves no FILE, and exits 2; MESSAGE is the
// error Resolve reports, as if the fetch had run in process. Resolve
// checks the content's digest and size itself, and kills the helper when
// its context is canceled (a signal that ends wfcompat sends it SIGTERM,
// internal/interrupt), or when it runs for ten minutes without writing
// to FILE's directory (the helper itself gives up a request after a
// minute without data, and a credential helper after a minute). On Unix
// the helper runs in a process group of its own, and a kill is sent to
// the group: a process the helper started (a docker-credential-*
// program) is not left running. It does not run the helper for a pinned OCI
// REFERENCE whose manifest and layer are in DIR (see the package
// documentation), nor for an https:// URL with #sha256= whose content is
// in the cache.
const (
	// HelperName is the helper executable's name (without .exe).
	HelperName = "wfcompat-oci"
	// HelperEnv names the environment variable that may hold the
	// helper's path.
	HelperEnv = "WFCOMPAT_OCI_HELPER"
	// HelperProtocol is the newest version of the helper protocol this
	// package speaks (2, the first with https:// URLs).
	HelperProtocol = helperProtocolHTTPS
)

// The protocol version Resolve asks for each kind of fetch in: the first
// to have it.
const (
	helperProtocolOCI   = 1
	helperProtocolHTTPS = 2
)

// modulePath is the module whose helper Resolve asks to install.
const modulePath = buildinfo.ModulePath

// helperOutputLimit caps what Resolve reads from the helper's standard
// output: the result line, with at most a 4 MiB manifest in base64.
const helperOutputLimit = 8 << 20

// helperStall is how long the helper may run without writing to its
// output directory before Resolve kills it. The helper gives up a registry
// request after a minute without data itself; this is the guard for a
// helper that cannot keep to that (an older build, or a Docker credential
// helper waiting for input), and it is generous: before the layer's
// download writes anything, the helper may make several requests (token,
// manifest), each retried by the registry client, and run credential
// helpers.
const helperStall = 10 * time.Minute

// helper is an OCIFetcher that runs the helper executable at path.
type helper struct {
	path string
	// stall, when not 0, replaces helperStall (tests).
	stall time.Duration
}

// findHelper looks for the helper as the documentation above says.
func findHelper(opts Options) (*helper, error) {
	p, err := helperpath.Find(HelperName,
		helperpath.Explicit{Path: opts.OCIHelper, From: "source.Options.OCIHelper"},
		helperpath.Explicit{Path: os.Getenv(HelperEnv), From: HelperEnv})
	var nf *helperpath.NotFoundError
	switch {
	case err == nil:
		return &helper{path: p}, nil
	case !errors.As(err, &nf):
		return nil, fmt.Errorf("OCI helper %w", err)
	}
	return nil, fmt.Errorf("oci:// and https:// sources are fetched by the %s helper, which is not installed (not %s): "+
		"go install %s/cmd/%s@%s, or use a release archive or the container image, which ship it; "+
		"%s may name it", HelperName, nf.Where(), modulePath, HelperName, installVersion(), HelperEnv)
}

// installVersion is the version of this module in the running binary, to
// install the helper of the same version, or "latest" when the binary
// was built from a checkout.
func installVersion() string { return buildinfo.Read().InstallVersion() }

// FetchOCI runs the helper in protocol version 1, which every helper
// speaks.
func (h *helper) FetchOCI(ctx context.Context, req OCIRequest) (*OCIResult, error) {
	args := []string{"fetch", "--protocol", strconv.Itoa(helperProtocolOCI),
		"--max-size", strconv.FormatInt(req.MaxSize, 10), "-o", req.Output}
	if req.Blobs != "" {
		args = append(args, "--blobs", req.Blobs)
	}
	args = append(args, "--", req.Reference)
	var res OCIResult
	if err := h.run(ctx, args, req.Output, helperProtocolOCI, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// FetchHTTP runs the helper in protocol version 2, the first to download
// https:// URLs.
func (h *helper) FetchHTTP(ctx context.Context, req HTTPRequest) (*HTTPResult, error) {
	args := []string{"fetch", "--protocol", strconv.Itoa(helperProtocolHTTPS),
		"--max-size", strconv.FormatInt(req.MaxSize, 10), "-o", req.Output, "--", helperURL(req)}
	var res HTTPResult
	if err := h.run(ctx, args, req.Output, helperProtocolHTTPS, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// run runs the helper with args, which ask it to write output, and reads
// its answer, one line of JSON in protocol version protocol, into res.
func (h *helper) run(ctx context.Context, args []string, output string, protocol int, res helperAnswer) error {
	stall := h.stall
	if stall <= 0 {
		stall = helperStall
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stalled := watchDir(ctx, filepath.Dir(output), stall, cancel)
	cmd := exec.CommandContext(ctx, h.path, args...)
	stdout := &capBuffer{max: helperOutputLimit}
	stderr := &capBuffer{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	ownGroup(cmd) // a kill ends what the helper started too (Unix)
	// A process the helper started (a Docker credential helper) may hold
	// its pipes open after it was killed: give up on them after a while.
	cmd.WaitDelay = 2 * time.Second
	err := interrupt.Run(cmd) // a signal that ends wfcompat ends the helper too
	if parent.Err() != nil {
		return fmt.Errorf("fetch canceled: %w", context.Cause(parent))
	}
	if err != nil && stalled.Load() {
		return fmt.Errorf("OCI helper %s: ran for %v without writing to %s: killed", h.path, stall, filepath.Dir(output))
	}
	if err != nil {
		msg := strings.TrimPrefix(firstLine(stderr.String()), HelperName+": ")
		var ee *exec.ExitError
		crashed := strings.HasPrefix(msg, "panic: ") || strings.HasPrefix(msg, "fatal error: ") // the Go runtime's exit status 2
		if errors.As(err, &ee) && ee.ExitCode() == 2 && msg != "" && !crashed {
			return &helperError{msg: msg, err: err}
		}
		if msg != "" {
			return fmt.Errorf("OCI helper %s: %w: %s", h.path, err, msg)
		}
		return fmt.Errorf("OCI helper %s: %w", h.path, err)
	}
	if stdout.over {
		return fmt.Errorf("OCI helper %s: more than %d bytes of output", h.path, helperOutputLimit)
	}
	if err := parseHelperOutput(stdout.Bytes(), protocol, res); err != nil {
		return fmt.Errorf("OCI helper %s: %w", h.path, err)
	}
	return nil
}

// helperAnswer is what the helper prints: an OCIResult or an HTTPResult.
type helperAnswer interface {
	protocol() int
}

func (r *OCIResult) protocol() int  { return r.Protocol }
func (r *HTTPResult) protocol() int { return r.Protocol }

// parseHelperOutput reads the helper's standard output into res: one
// line of JSON, in protocol version protocol.
func parseHelperOutput(out []byte, protocol int, res helperAnswer) error {
	line := bytes.TrimSpace(out)
	if err := json.Unmarshal(line, res); err != nil || bytes.IndexByte(line, '\n') >= 0 {
		return fmt.Errorf("output is not one line of JSON (protocol %d): %.80q", protocol, line)
	}
	if res.protocol() != protocol {
		return fmt.Errorf("answered in protocol version %d, want %d: install the helper of this wfcompat's version (go install %s/cmd/%s@%s)",
			res.protocol(), protocol, modulePath, HelperName, installVersion())
	}
	return nil
}

// helperError is the helper's own message (exit status 2): it is the
// error's text, as if the fetch had run in process.
type helperError struct {
	msg string
	err error
}

func (e *helperError) Error() string { return e.msg }
func (e *helperError) Unwrap() error { return e.err }

// capBuffer keeps the first max bytes written to it and notes whether
// there were more.
type capBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *capBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

// watchDir calls stop when the files in dir (their names and sizes) do not
// change for stall, until ctx is done, and reports whether it did.
func watchDir(ctx context.Context, dir string, stall time.Duration, stop func()) *atomic.Bool {
	var stalled atomic.Bool
	poll := min(stall/4, 5*time.Second)
	go func() {
		t := time.NewTicker(poll)
		defer t.Stop()
		last, since := dirState(dir), time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if s := dirState(dir); s != last {
				last, since = s, time.Now()
			} else if time.Since(since) >= stall {
				stalled.Store(true)
				stop()
				return
			}
		}
	}()
	return &stalled
}

// dirState sums up the names and sizes of the files in dir.
func dirState(dir string) string {
	des, _ := os.ReadDir(dir)
	var b strings.Builder
	for _, de := range des {
		if fi, err := de.Info(); err == nil {
			fmt.Fprintf(&b, "%s %d\n", de.Name(), fi.Size())
		}
	}
	return b.String()
}
