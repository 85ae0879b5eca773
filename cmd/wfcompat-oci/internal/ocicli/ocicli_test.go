package ocicli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/ocifetch"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &IO{Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestHelp(t *testing.T) {
	code, out, _ := run("--help")
	if code != ExitOK || !strings.Contains(out, "It is a helper:\nwfcompat runs it when a source is oci://… or https://…") || !strings.Contains(out, "fetch") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	code, out, _ = run("fetch", "--help")
	if code != ExitOK || !strings.Contains(out, "-o, --output") || !strings.Contains(out, "--blobs") || !strings.Contains(out, "--max-size") {
		t.Errorf("fetch --help: exit %d\n%s", code, out)
	}
}

// TestFetch runs fetch on an in-process registry: one line of JSON, the
// layer in the file.
func TestFetch(t *testing.T) {
	reg := ocitest.NewRegistry(t)
	wasm := []byte("\x00asm\x0d\x00\x01\x00 component")
	manifest := reg.Push("acme/app:v1", ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm))
	out := filepath.Join(t.TempDir(), "app.wasm")
	code, stdout, stderr := run("fetch", "-o", out, "oci://"+reg.Host+"/acme/app:v1")
	d, _ := source.Resolve(context.Background(), "-", source.Options{CacheDir: t.TempDir(), Stdin: bytes.NewReader(wasm)})
	checkFetched(t, code, stdout, stderr, source.OCIResult{Protocol: source.HelperProtocol, Reference: reg.Host + "/acme/app:v1", ManifestDigest: manifest,
		Digest: d.Digest, Size: int64(len(wasm)), MediaType: source.MediaTypeWasm, Path: out}, out, wasm)
}

// checkFetched checks what a fetch that succeeded gave: exit status 0,
// nothing on stderr, on stdout one line of JSON that decodes to want, and
// content in the file out.
func checkFetched[R any](t *testing.T, code int, stdout, stderr string, want R, out string, content []byte) {
	t.Helper()
	if code != ExitOK || stderr != "" || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	var got R
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, content) {
		t.Errorf("wrote %q", b)
	}
}

// checkFailed checks what a fetch that failed gave: exit status 2,
// nothing on stdout, on stderr one line starting "wfcompat-oci: " that
// holds want, and no file in dir (neither the output nor a temporary
// one).
func checkFailed(t *testing.T, code int, stdout, stderr, want, dir string) {
	t.Helper()
	if code != ExitError || stdout != "" || !strings.HasPrefix(stderr, "wfcompat-oci: ") || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d\nstdout %q\nstderr %q, want one line with %q", code, stdout, stderr, want)
	}
	if n, _ := os.ReadDir(dir); len(n) != 0 {
		t.Errorf("left %d files", len(n))
	}
}

// fetchWithin runs fetch with args through execute, adjust changing its
// options (a client trusting a test server, a shortened stall timeout)
// before runFetch runs them with ctx, and returns its exit status, stdout
// and stderr. A fetch that has not returned after a minute fails t: a
// hang guard, not a timing check.
func fetchWithin(t *testing.T, ctx context.Context, args []string, adjust func(*FetchOptions)) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- execute(ctx, append([]string{"fetch"}, args...), &IO{Out: &out, Err: &errb}, func(o *FetchOptions) error {
			adjust(o)
			return runFetch(ctx, o)
		})
	}()
	var code int
	select {
	case code = <-done:
	case <-time.After(time.Minute): // a hang, not a timing check
		t.Fatal("fetch did not return")
	}
	return code, out.String(), errb.String()
}

func TestFetchErrors(t *testing.T) {
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/big:v1", ocitest.WasmArtifact(t, bytes.Repeat([]byte("w"), 2000), source.MediaTypeWasm))
	dir := t.TempDir()
	out := filepath.Join(dir, "app.wasm")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"other protocol", []string{"fetch", "--protocol", "3", "-o", out, reg.Host + "/acme/big:v1"}, "wfcompat-oci: protocol version 3 is not spoken by this helper (it speaks 1 to 2)"},
		{"protocol 0", []string{"fetch", "--protocol", "0", "-o", out, reg.Host + "/acme/big:v1"}, "wfcompat-oci: protocol version 0 is not spoken by this helper (it speaks 1 to 2)"},
		{"no output", []string{"fetch", reg.Host + "/acme/big:v1"}, "wfcompat-oci: fetch: -o FILE is required"},
		{"bad limit", []string{"fetch", "--max-size", "0", "-o", out, reg.Host + "/acme/big:v1"}, "wfcompat-oci: fetch: --max-size 0: want a positive number of bytes"},
		{"no reference", []string{"fetch", "-o", out}, "wfcompat-oci: accepts 1 arg(s), received 0"},
		{"unknown flag", []string{"fetch", "--nope"}, "wfcompat-oci: unknown flag: --nope"},
		{"not found", []string{"fetch", "-o", out, reg.Host + "/acme/app:v1"}, "wfcompat-oci: fetch manifest: GET http://" + reg.Host},
		{"over the limit", []string{"fetch", "--max-size", "1000", "-o", out, reg.Host + "/acme/big:v1"}, "2000 bytes, larger than the limit of 1000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(c.args...)
			checkFailed(t, code, stdout, stderr, c.want, dir)
		})
	}
}

// TestFetchStall: a registry that sends the layer's headers and then
// nothing is given up (after the fetcher's stall timeout, shortened
// here), with one line naming the request and exit status 2, instead of
// hanging the caller.
func TestFetchStall(t *testing.T) {
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
	hold := reg.HoldNextBlob()
	dir := t.TempDir()
	code, stdout, stderr := fetchWithin(t, context.Background(), []string{"-o", filepath.Join(dir, "app.wasm"), reg.Host + "/acme/app:v1"}, func(o *FetchOptions) {
		o.Fetcher = &ocifetch.Fetcher{Stall: 300 * time.Millisecond}
	})
	if code != ExitError || stdout != "" || !strings.HasPrefix(stderr, "wfcompat-oci: fetch wasm layer sha256:") ||
		!strings.Contains(stderr, reg.Host+"/v2/acme/app/blobs/") || !strings.HasSuffix(stderr, ": no data for 300ms: giving up\n") ||
		strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	select {
	case <-hold.Gone:
	case <-time.After(30 * time.Second):
		t.Error("the stalled connection stayed open")
	}
	if n, _ := os.ReadDir(dir); len(n) != 0 {
		t.Errorf("left %d files", len(n))
	}
}
