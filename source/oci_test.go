package source_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/internal/testbuild"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/ocifetch"
)

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// The helper, built once per test binary by the first test that needs it.
var helperBuild testbuild.Once

func TestMain(m *testing.M) {
	code := m.Run()
	helperBuild.Remove()
	os.Exit(code)
}

// helperPath builds cmd/wfcompat-oci with go build and returns its path.
func helperPath(t testing.TB) string {
	t.Helper()
	dir, err := helperBuild.Do(func(dir string) error {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			return fmt.Errorf("no go command to build the helper with: %w", err)
		}
		out, err := exec.Command(goCmd, "build", "-o", filepath.Join(dir, testbuild.Exe(source.HelperName)), "github.com/wfcompat/wfcompat/cmd/wfcompat-oci").CombinedOutput()
		if err != nil {
			return fmt.Errorf("go build ./cmd/wfcompat-oci: %v\n%s", err, out)
		}
		return nil
	})
	if err != nil {
		t.Skip(err)
	}
	return filepath.Join(dir, testbuild.Exe(source.HelperName))
}

// fetchers are the two ways Resolve fetches oci:// sources: in process
// and through the helper executable.
func fetchers(t *testing.T) []struct {
	name string
	opts func() source.Options
} {
	helper := helperPath(t)
	return []struct {
		name string
		opts func() source.Options
	}{
		{"in-process", func() source.Options { return source.Options{CacheDir: t.TempDir(), OCI: &ocifetch.Fetcher{}} }},
		{"helper", func() source.Options { return source.Options{CacheDir: t.TempDir(), OCIHelper: helper} }},
	}
}

// cacheLeftovers lists what the cache holds besides finished blobs.
func cacheLeftovers(t *testing.T, cacheDir string) []string {
	t.Helper()
	var left []string
	filepath.WalkDir(cacheDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tmp") {
			left = append(left, p)
		}
		return nil
	})
	return left
}

func TestResolveOCI(t *testing.T) {
	for _, f := range fetchers(t) {
		t.Run(f.name, func(t *testing.T) {
			reg := ocitest.NewRegistry(t)
			wasm := []byte("\x00asm\x0d\x00\x01\x00 component bytes")
			manifest := reg.Push("acme/app:v1", ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm))
			reg.Push("acme/other:v1", ocitest.WasmArtifact(t, wasm, "application/octet-stream")) // single layer: accepted by its config
			ctx := context.Background()
			opts := f.opts()
			for _, ref := range []string{"oci://" + reg.Host + "/acme/app:v1", "oci://" + reg.Host + "/acme/app@" + manifest, "oci://" + reg.Host + "/acme/other:v1"} {
				l, err := source.Resolve(ctx, ref, opts)
				if err != nil {
					t.Errorf("%s: %v", ref, err)
					continue
				}
				if got, _ := os.ReadFile(l.Path); !bytes.Equal(got, wasm) || l.Digest != sha(wasm) || l.Kind != source.KindOCI || l.Name != ref ||
					l.Path != filepath.Join(opts.CacheDir, "blobs", "sha256", strings.TrimPrefix(sha(wasm), "sha256:")) {
					t.Errorf("%s: %+v", ref, l)
				}
			}
			// The layer is cached by digest: resolving again fetches only the manifest.
			before := reg.BlobGets()
			if _, err := source.Resolve(ctx, "oci://"+reg.Host+"/acme/app:v1", opts); err != nil {
				t.Fatal(err)
			}
			if n := reg.BlobGets() - before; n != 0 {
				t.Errorf("%d blob downloads for a cached layer", n)
			}
			// A pinned reference is served from the cache once fetched: no
			// registry needed. A tag is always asked for (it may have moved).
			pinned := "oci://" + reg.Host + "/acme/app@" + manifest
			reg.Server.Close()
			if l, err := source.Resolve(ctx, pinned, opts); err != nil || l.Digest != sha(wasm) {
				t.Errorf("pinned, registry gone: %+v, %v", l, err)
			}
			if _, err := source.Resolve(ctx, "oci://"+reg.Host+"/acme/app:v1", opts); err == nil || !strings.Contains(err.Error(), "fetch manifest") {
				t.Errorf("tag, registry gone: %v", err)
			}
			// A damaged cache entry is fetched again (here: cannot be, the
			// registry is gone), never returned.
			os.WriteFile(filepath.Join(opts.CacheDir, "blobs", "sha256", strings.TrimPrefix(sha(wasm), "sha256:")), []byte("damaged"), 0o644)
			if l, err := source.Resolve(ctx, pinned, opts); err == nil || !strings.Contains(err.Error(), "fetch wasm layer") {
				t.Errorf("pinned, damaged cache, registry gone: %+v, %v", l, err)
			}
			if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
				t.Errorf("left in the cache: %v", left)
			}
		})
	}
}

func TestResolveOCIErrors(t *testing.T) {
	for _, f := range fetchers(t) {
		t.Run(f.name, func(t *testing.T) {
			reg := ocitest.NewRegistry(t)
			reg.Push("acme/container:v1", ocitest.ContainerImage(t))
			reg.Push("acme/big:v1", ocitest.WasmArtifact(t, bytes.Repeat([]byte("w"), 2000), source.MediaTypeWasm))
			reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
			for _, c := range []struct {
				name, ref, want string
				tamper          bool
			}{
				{"not found", "oci://" + reg.Host + "/acme/app:v2", "/acme/app:v2: fetch manifest:", false},
				{"container image", "oci://" + reg.Host + "/acme/container:v1", "a container image", false},
				{"bad reference", "oci://" + reg.Host + "/Bad Name", "not an OCI reference", false},
				{"over the limit", "oci://" + reg.Host + "/acme/big:v1", "2000 bytes, larger than the limit of 1000", false},
				{"digest mismatch", "oci://" + reg.Host + "/acme/app:v1", "sha256 checksum", true},
			} {
				reg.Tamper(c.tamper)
				opts := f.opts()
				opts.MaxSize = 1000
				l, err := source.Resolve(context.Background(), c.ref, opts)
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.ref+": ") || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s: %+v, err = %v, want one line with the source and %q", c.name, l, err, c.want)
				}
				if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
					t.Errorf("%s: left in the cache: %v", c.name, left)
				}
				if n, _ := os.ReadDir(filepath.Join(opts.CacheDir, "blobs", "sha256")); len(n) != 0 {
					t.Errorf("%s: %d entries in the cache", c.name, len(n))
				}
			}
		})
	}
}

// TestResolveOCICancel cancels a fetch in the middle of the layer's
// download: Resolve returns, the helper is gone (its connection closed),
// and nothing is left in the cache.
func TestResolveOCICancel(t *testing.T) {
	for _, f := range fetchers(t) {
		t.Run(f.name, func(t *testing.T) {
			reg := ocitest.NewRegistry(t)
			reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
			hold := reg.HoldNextBlob()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := f.opts()
			done := make(chan error, 1)
			go func() {
				_, err := source.Resolve(ctx, "oci://"+reg.Host+"/acme/app:v1", opts)
				done <- err
			}()
			select {
			case <-hold.Arrived:
			case err := <-done:
				t.Fatalf("Resolve returned before the download: %v", err)
			case <-time.After(time.Minute):
				t.Fatal("the layer download never started")
			}
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("Resolve did not return after the cancellation")
			}
			select {
			case <-hold.Gone:
			case <-time.After(30 * time.Second):
				t.Fatal("the download's connection stayed open after the cancellation")
			}
			if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
				t.Errorf("left in the cache: %v", left)
			}
		})
	}
}

// TestOCIHelperLookup: the helper is found through the environment and
// on PATH, and a missing helper is one line saying how to install it.
func TestOCIHelperLookup(t *testing.T) {
	helper := helperPath(t)
	reg := ocitest.NewRegistry(t)
	wasm := []byte("\x00asm\x0d\x00\x01\x00")
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm))
	ref := "oci://" + reg.Host + "/acme/app:v1"
	ctx := context.Background()

	t.Setenv(source.HelperEnv, helper)
	t.Setenv("PATH", t.TempDir())
	if l, err := source.Resolve(ctx, ref, source.Options{CacheDir: t.TempDir()}); err != nil || l.Digest != sha(wasm) {
		t.Errorf("helper from %s: %+v, %v", source.HelperEnv, l, err)
	}
	t.Setenv(source.HelperEnv, "")
	t.Setenv("PATH", filepath.Dir(helper))
	if l, err := source.Resolve(ctx, ref, source.Options{CacheDir: t.TempDir()}); err != nil || l.Digest != sha(wasm) {
		t.Errorf("helper on PATH: %+v, %v", l, err)
	}

	t.Setenv("PATH", t.TempDir())
	_, err := source.Resolve(ctx, ref, source.Options{CacheDir: t.TempDir()})
	for _, want := range []string{ref + ": ", "wfcompat-oci helper, which is not installed", "go install github.com/wfcompat/wfcompat/cmd/wfcompat-oci@", source.HelperEnv} {
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("no helper: err = %v, want one line with %q", err, want)
		}
	}
	missing := filepath.Join(t.TempDir(), "wfcompat-oci")
	t.Setenv(source.HelperEnv, missing)
	if _, err := source.Resolve(ctx, ref, source.Options{CacheDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), source.HelperEnv) {
		t.Errorf("%s names a missing file: err = %v", source.HelperEnv, err)
	}
	if _, err := source.Resolve(ctx, ref, source.Options{CacheDir: t.TempDir(), OCIHelper: missing}); err == nil || !strings.Contains(err.Error(), "source.Options.OCIHelper") {
		t.Errorf("Options.OCIHelper names a missing file: err = %v", err)
	}
}

// TestOCIHelperProtocol runs fake helpers (shell scripts) that break the
// protocol: Resolve trusts none of what they claim.
func TestOCIHelperProtocol(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake helpers are shell scripts")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh for the fake helpers")
	}
	wasm := []byte("\x00asm\x01\x00\x00\x00")
	d := sha(wasm)
	// out writes FILE (the argument after -o) with wasm's bytes.
	const out = `while [ "$1" != -o ]; do shift; done; printf '\000asm\001\000\000\000' > "$2"; `
	result := func(digest, size, path string) string {
		return fmt.Sprintf(`printf '{"protocol":1,"reference":"r","digest":"%s","size":%s,"mediaType":"application/wasm","path":"%%s"}\n' "%s"`, digest, size, path)
	}
	for _, c := range []struct{ name, script, want string }{
		{"ok", out + result(d, "8", "$2"), ""},
		{"error line", `echo "wfcompat-oci: fetch manifest: GET x: MANIFEST_UNKNOWN" >&2; exit 2`, "oci://r/a:v1: fetch manifest: GET x: MANIFEST_UNKNOWN"},
		{"crash", `echo "panic: boom" >&2; exit 1`, "exit status 1: panic: boom"},
		{"Go panic", `echo "panic: boom" >&2; echo "goroutine 1 [running]:" >&2; exit 2`, "/wfcompat-oci: exit status 2: panic: boom"},
		{"silent failure", `exit 3`, "exit status 3"},
		{"not json", `echo hello`, "output is not one line of JSON"},
		{"two lines", out + result(d, "8", "$2") + `; echo '{}'`, "output is not one line of JSON"},
		{"other protocol", `echo '{"protocol":2}'`, "protocol version 2, want 1"},
		{"wrong digest", out + result(sha([]byte("other")), "8", "$2"), "content has digest " + d},
		{"bad digest", out + result("md5:00", "8", "$2"), `wasm layer digest "md5:00": only sha256 is supported`},
		{"over the limit", out + result(d, "100000", "$2"), "100000 bytes, larger than the limit of 1000"},
		{"names another file", result(d, "8", "$9/sha256/nothing"), "does not hold it"},
		{"wrote no file", result(d, "8", "$7"), "no such file"},
		{"arguments", `[ "$*" = "fetch --protocol 1 --max-size 1000 -o $7 --blobs $9 -- r/a:v1" ] || { echo "args: $*" >&2; exit 2; }; ` + out + result(d, "8", "$2"), ""},
	} {
		script := filepath.Join(t.TempDir(), "wfcompat-oci")
		os.WriteFile(script, []byte("#!"+sh+"\n"+c.script+"\n"), 0o755)
		opts := source.Options{CacheDir: t.TempDir(), OCIHelper: script, MaxSize: 1000}
		l, err := source.Resolve(context.Background(), "oci://r/a:v1", opts)
		if c.want == "" {
			if err != nil || l.Digest != d {
				t.Errorf("%s: %+v, %v", c.name, l, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %+v, err = %v, want %q", c.name, l, err, c.want)
		}
		if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
			t.Errorf("%s: left in the cache: %v", c.name, left)
		}
	}
}

// fetchFunc is an OCIFetcher in a function.
type fetchFunc func(context.Context, source.OCIRequest) (*source.OCIResult, error)

func (f fetchFunc) FetchOCI(ctx context.Context, req source.OCIRequest) (*source.OCIResult, error) {
	return f(ctx, req)
}

// TestOCIFetcherChecked: Resolve checks what an in-process fetcher
// returns as it checks the helper's answer.
func TestOCIFetcherChecked(t *testing.T) {
	wasm := []byte("\x00asm\x01\x00\x00\x00")
	write := func(req source.OCIRequest, digest string, size int64) (*source.OCIResult, error) {
		if err := os.WriteFile(req.Output, wasm, 0o644); err != nil {
			return nil, err
		}
		return &source.OCIResult{Digest: digest, Size: size, Path: req.Output}, nil
	}
	for _, c := range []struct {
		name string
		f    fetchFunc
		want string
	}{
		{"ok", func(_ context.Context, req source.OCIRequest) (*source.OCIResult, error) {
			return write(req, sha(wasm), 8)
		}, ""},
		{"no result", func(context.Context, source.OCIRequest) (*source.OCIResult, error) { return nil, nil }, "returned no result"},
		{"wrong digest", func(_ context.Context, req source.OCIRequest) (*source.OCIResult, error) {
			return write(req, sha([]byte("x")), 8)
		}, "content has digest " + sha(wasm)},
		{"declared over the limit", func(_ context.Context, req source.OCIRequest) (*source.OCIResult, error) {
			return write(req, sha(wasm), req.MaxSize+1)
		}, "larger than the limit of 4"},
		{"written over the limit", func(_ context.Context, req source.OCIRequest) (*source.OCIResult, error) {
			return write(req, sha(wasm), 3)
		}, "larger than 4 bytes"},
		{"error", func(context.Context, source.OCIRequest) (*source.OCIResult, error) {
			return nil, errors.New("fetch manifest: denied")
		}, "oci://r/a:v1: fetch manifest: denied"},
	} {
		opts := source.Options{CacheDir: t.TempDir(), OCI: c.f}
		if strings.HasSuffix(c.name, "over the limit") {
			opts.MaxSize = 4
		}
		l, err := source.Resolve(context.Background(), "oci://r/a:v1", opts)
		if c.want == "" {
			if got, _ := os.ReadFile(l.Path); err != nil || !bytes.Equal(got, wasm) || l.Digest != sha(wasm) {
				t.Errorf("%s: %+v, %v", c.name, l, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %+v, err = %v, want %q", c.name, l, err, c.want)
		}
		if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
			t.Errorf("%s: left in the cache: %v", c.name, left)
		}
	}
}
