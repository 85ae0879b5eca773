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
	if code != ExitOK || stderr != "" || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	var got source.OCIResult
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	d, _ := source.Resolve(context.Background(), "-", source.Options{CacheDir: t.TempDir(), Stdin: bytes.NewReader(wasm)})
	want := source.OCIResult{Protocol: source.HelperProtocol, Reference: reg.Host + "/acme/app:v1", ManifestDigest: manifest,
		Digest: d.Digest, Size: int64(len(wasm)), MediaType: source.MediaTypeWasm, Path: out}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, wasm) {
		t.Errorf("wrote %q", b)
	}
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
		code, stdout, stderr := run(c.args...)
		if code != ExitError || stdout != "" || !strings.HasPrefix(stderr, "wfcompat-oci: ") || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q, want one line with %q", c.name, code, stdout, stderr, c.want)
		}
	}
	if n, _ := os.ReadDir(dir); len(n) != 0 {
		t.Errorf("left %d files", len(n))
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
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- execute(context.Background(), []string{"fetch", "-o", filepath.Join(dir, "app.wasm"), reg.Host + "/acme/app:v1"},
			&IO{Out: &out, Err: &errb}, func(o *FetchOptions) error {
				o.Fetcher = &ocifetch.Fetcher{Stall: 300 * time.Millisecond}
				return runFetch(context.Background(), o)
			})
	}()
	var code int
	select {
	case code = <-done:
	case <-time.After(time.Minute): // a hang, not a timing check
		t.Fatal("fetch did not return")
	}
	stderr := errb.String()
	if code != ExitError || out.Len() != 0 || !strings.HasPrefix(stderr, "wfcompat-oci: fetch wasm layer sha256:") ||
		!strings.Contains(stderr, reg.Host+"/v2/acme/app/blobs/") || !strings.HasSuffix(stderr, ": no data for 300ms: giving up\n") ||
		strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, out.String(), stderr)
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
