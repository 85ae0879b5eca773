package source_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/ocifetch"
)

// countingHelper wraps the helper in a script that notes each run in a
// log file; runs reports how many there were.
func countingHelper(t *testing.T) (path string, runs func() int) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the counting helper is a shell script")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh for the counting helper")
	}
	real := helperPath(t)
	dir := t.TempDir()
	log, path := filepath.Join(dir, "runs"), filepath.Join(dir, "wfcompat-oci")
	script := fmt.Sprintf("#!%s\necho run >> '%s'\nexec '%s' \"$@\"\n", sh, log, real)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, func() int {
		b, _ := os.ReadFile(log)
		return bytes.Count(b, []byte("run\n"))
	}
}

// noFetcher is an OCIFetcher that fails the test when asked.
func noFetcher(t *testing.T) source.OCIFetcher {
	return fetchFunc(func(_ context.Context, req source.OCIRequest) (*source.OCIResult, error) {
		t.Errorf("fetcher asked for %s", req.Reference)
		return nil, fmt.Errorf("no fetcher here")
	})
}

// TestResolveOCICachedPinned: a pinned reference whose manifest and layer
// are in the cache resolves without a fetcher (the helper is not run, nor
// even looked for), to what the fetcher resolved it to; a tag still asks.
func TestResolveOCICachedPinned(t *testing.T) {
	for _, f := range fetchers(t) {
		t.Run(f.name, func(t *testing.T) {
			reg := ocitest.NewRegistry(t)
			wasm := []byte("\x00asm\x0d\x00\x01\x00 cached component")
			manifest := reg.Push("acme/app:v1", ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm))
			other := reg.Push("acme/other:v1", ocitest.WasmArtifact(t, wasm, "application/octet-stream")) // single layer of a wasm config
			ctx := context.Background()
			var opts source.Options
			for _, ref := range []string{
				"oci://" + reg.Host + "/acme/app@" + manifest,
				"oci://" + reg.Host + "/acme/app:v1@" + manifest, // the tag is ignored
				"oci://" + reg.Host + "/acme/other@" + other,
			} {
				opts = f.opts() // a cold cache: the fetcher fetches
				fetched, err := source.Resolve(ctx, ref, opts)
				if err != nil {
					t.Fatalf("%s: %v", ref, err)
				}
				for _, cached := range []source.Options{
					{CacheDir: opts.CacheDir, OCIHelper: filepath.Join(t.TempDir(), "no-such-helper")},
					{CacheDir: opts.CacheDir, OCI: noFetcher(t)},
				} {
					l, err := source.Resolve(ctx, ref, cached)
					if err != nil || *l != *fetched {
						t.Errorf("%s from the cache: %+v, %v; the fetcher resolved %+v", ref, l, err, fetched)
						continue
					}
					if got, _ := os.ReadFile(l.Path); !bytes.Equal(got, wasm) {
						t.Errorf("%s from the cache: %q", ref, got)
					}
				}
			}
			// A tag may have moved: it is always asked for.
			tag := "oci://" + reg.Host + "/acme/app:v1"
			if _, err := source.Resolve(ctx, tag, source.Options{CacheDir: opts.CacheDir, OCI: fetchFunc(func(context.Context, source.OCIRequest) (*source.OCIResult, error) {
				return nil, fmt.Errorf("asked")
			})}); err == nil || !strings.Contains(err.Error(), "asked") {
				t.Errorf("tag with a warm cache: err = %v, want the fetcher asked", err)
			}
		})
	}
}

// TestResolveOCICacheDamaged: a cache entry that is missing or does not
// hold what its name and the manifest say is not used: the helper runs
// (and fetches it again), and the result is the same.
func TestResolveOCICacheDamaged(t *testing.T) {
	helper, runs := countingHelper(t)
	reg := ocitest.NewRegistry(t)
	wasm := []byte("\x00asm\x0d\x00\x01\x00 component bytes")
	manifest := reg.Push("acme/app:v1", ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm))
	ref := "oci://" + reg.Host + "/acme/app@" + manifest
	ctx := context.Background()
	blob := func(cacheDir, digest string) string {
		return filepath.Join(cacheDir, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:"))
	}
	for _, c := range []struct {
		name   string
		damage func(manifestPath, layerPath string) error
	}{
		{"intact", func(string, string) error { return nil }},
		{"manifest missing", func(m, _ string) error { return os.Remove(m) }},
		{"manifest of other content", func(m, _ string) error { return flipLastByte(m) }},
		{"manifest truncated", func(m, _ string) error { return os.Truncate(m, 10) }},
		{"manifest a directory", func(m, _ string) error {
			if err := os.Remove(m); err != nil {
				return err
			}
			return os.Mkdir(m, 0o755)
		}},
		{"layer missing", func(_, l string) error { return os.Remove(l) }},
		{"layer of other content", func(_, l string) error { return flipLastByte(l) }},
		{"layer longer than its size", func(_, l string) error { return appendTo(l, "x") }},
		{"layer truncated", func(_, l string) error { return os.Truncate(l, 4) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := source.Options{CacheDir: t.TempDir(), OCIHelper: helper}
			fetched, err := source.Resolve(ctx, ref, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.damage(blob(opts.CacheDir, manifest), blob(opts.CacheDir, sha(wasm))); err != nil {
				t.Fatal(err)
			}
			before := runs()
			l, err := source.Resolve(ctx, ref, opts)
			if err != nil || *l != *fetched {
				t.Fatalf("%+v, %v; want %+v", l, err, fetched)
			}
			if got, _ := os.ReadFile(l.Path); !bytes.Equal(got, wasm) {
				t.Errorf("resolved to %q", got)
			}
			wantRuns := 1
			if c.name == "intact" {
				wantRuns = 0
			}
			if n := runs() - before; n != wantRuns {
				t.Errorf("helper ran %d times, want %d", n, wantRuns)
			}
			// The helper's fetch repaired the cache (a directory in the
			// manifest's place stays): served from it again.
			if c.name == "manifest a directory" {
				return
			}
			if l, err := source.Resolve(ctx, ref, source.Options{CacheDir: opts.CacheDir, OCI: noFetcher(t)}); err != nil || *l != *fetched {
				t.Errorf("after the repair: %+v, %v", l, err)
			}
			if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
				t.Errorf("left in the cache: %v", left)
			}
		})
	}
}

func flipLastByte(p string) error {
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	b[len(b)-1] ^= 0xff
	return os.WriteFile(p, b, 0o644)
}

func appendTo(p, s string) error {
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// TestResolveOCICachedErrors: a cached pinned manifest the layer cannot be
// picked from fails without a fetcher, with the error the fetcher gives
// for the same cache (ocifetch, which the helper runs) and the helper
// gives from the registry.
func TestResolveOCICachedErrors(t *testing.T) {
	helper := helperPath(t)
	reg := ocitest.NewRegistry(t)
	wasm := []byte("\x00asm\x0d\x00\x01\x00")
	big := bytes.Repeat([]byte("w"), 2000)
	twoLayers, err := mutate.Append(ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm), mutate.Addendum{Layer: static.NewLayer(big, source.MediaTypeWasm)})
	if err != nil {
		t.Fatal(err)
	}
	textOnly, err := mutate.Append(empty.Image, mutate.Addendum{Layer: static.NewLayer([]byte("text"), "text/plain")})
	if err != nil {
		t.Fatal(err)
	}
	textOnly = mutate.ConfigMediaType(mutate.MediaType(textOnly, types.OCIManifestSchema1), "application/x-other")
	ctx := context.Background()
	for _, c := range []struct {
		name string
		img  v1.Image
		want string
	}{
		{"container image", ocitest.ContainerImage(t), "a container image (layers application/vnd.oci.image.layer.v1.tar+gzip), not a wasm artifact"},
		{"over the limit", ocitest.WasmArtifact(t, big, source.MediaTypeWasm), "2000 bytes, larger than the limit of 1000"},
		{"two wasm layers", twoLayers, "the artifact has 2 application/wasm layers; expected one"},
		{"no wasm layer", textOnly, "no application/wasm layer (layers: text/plain)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			repo := "acme/" + strings.ReplaceAll(c.name, " ", "-")
			pin := reg.Push(repo+":v1", c.img)
			raw, err := c.img.RawManifest()
			if err != nil || sha(raw) != pin {
				t.Fatalf("manifest %s, %v: want digest %s", sha(raw), err, pin)
			}
			image := reg.Host + "/" + repo + "@" + pin
			ref := "oci://" + image
			// Cache the manifest, and every layer, as any blob is cached.
			cacheDir := t.TempDir()
			blobs := [][]byte{raw}
			layers, _ := c.img.Layers()
			for _, l := range layers {
				rc, _ := l.Compressed()
				b, _ := io.ReadAll(rc)
				blobs = append(blobs, b)
			}
			for _, b := range blobs {
				if _, err := source.Resolve(ctx, "-", source.Options{CacheDir: cacheDir, Stdin: bytes.NewReader(b)}); err != nil {
					t.Fatal(err)
				}
			}
			const maxSize = 1000
			_, err = source.Resolve(ctx, ref, source.Options{CacheDir: cacheDir, MaxSize: maxSize, OCI: noFetcher(t)})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), ref+": ") {
				t.Fatalf("from the cache: err = %v, want %q", err, c.want)
			}
			_, ferr := (&ocifetch.Fetcher{}).FetchOCI(ctx, source.OCIRequest{Reference: image, MaxSize: maxSize,
				Output: filepath.Join(t.TempDir(), "layer"), Blobs: filepath.Join(cacheDir, "blobs")})
			if ferr == nil || err.Error() != ref+": "+ferr.Error() {
				t.Errorf("from the cache: %v\nthe fetcher on the same cache: %v", err, ferr)
			}
			_, herr := source.Resolve(ctx, ref, source.Options{CacheDir: t.TempDir(), MaxSize: maxSize, OCIHelper: helper})
			if herr == nil || err.Error() != herr.Error() {
				t.Errorf("from the cache: %v\nthe helper from the registry: %v", err, herr)
			}
		})
	}
}

// TestPinnedDigest: the references served from the cache are pinned ones
// the registry client parses as that digest; the rest go to the fetcher.
func TestPinnedDigest(t *testing.T) {
	d := "sha256:" + strings.Repeat("0a", 32)
	for _, c := range []struct {
		image string
		ok    bool
	}{
		{"ghcr.io/acme/app@" + d, true},
		{"ghcr.io/acme/app:v1.2@" + d, true},
		{"localhost:5000/app@" + d, true},
		{"127.0.0.1:5000/a/b/c@" + d, true},
		{"acme/app@" + d, true}, // Docker Hub
		{"ghcr.io/acme/app:v1", false},
		{"ghcr.io/acme/app", false},
		{"ghcr.io/acme/app@sha256:" + strings.Repeat("0A", 32), false},
		{"ghcr.io/acme/app@sha512:" + strings.Repeat("0a", 64), false},
		{"ghcr.io/acme/App@" + d, false},
		{"ghcr.io/acme/app:@" + d, false},
		{"ghcr.io/acme/app:v!@" + d, false},
		{"ghcr.io/acme/app@" + d + "@" + d, false},
		{"user@ghcr.io/acme/app@" + d, false},
		{"http://ghcr.io/acme/app@" + d, false},
		{"@" + d, false},
	} {
		pin, ok := source.PinnedDigest(c.image)
		if ok != c.ok || ok && pin != d {
			t.Errorf("%s: %q, %v; want %v", c.image, pin, ok, c.ok)
		}
		_, err := name.ParseReference(c.image)
		if c.ok && err != nil {
			t.Errorf("%s: the registry client refuses it: %v", c.image, err)
		}
	}
}

// FuzzPinnedDigest holds pinnedDigest to the registry client's parser: a
// reference it serves from the cache is one name.ParseReference reads as
// a reference by the same digest.
func FuzzPinnedDigest(f *testing.F) {
	d := "sha256:" + strings.Repeat("0a", 32)
	for _, s := range []string{"ghcr.io/acme/app@" + d, "ghcr.io/acme/app:v1@" + d, "localhost:5000@" + d, "a:b:c/d@" + d,
		"[::1]:5000/app@" + d, "http:/x@" + d, "ghcr.io:/app@" + d, "x.y/a//b@" + d} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pin, ok := source.PinnedDigest(s)
		if !ok {
			return
		}
		ref, err := name.ParseReference(s)
		if err != nil {
			t.Fatalf("%q: served from the cache as %s; the registry client: %v", s, pin, err)
		}
		if d, isDigest := ref.(name.Digest); !isDigest || d.DigestStr() != pin {
			t.Fatalf("%q: served from the cache as %s; the registry client reads %#v", s, pin, ref)
		}
	})
}

// noNetwork is a transport that fails every request.
type noNetwork struct{}

func (noNetwork) RoundTrip(req *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("no network in this test (%s)", req.URL.Host)
}

// FuzzResolveOCICachedOracle puts a manifest (any bytes) and a wasm layer
// in the cache and resolves the manifest's pinned reference, without a
// network, both in package source and with ocifetch (the helper's code)
// given the cache's blobs. What package source answers without asking a
// fetcher is what ocifetch answers: the same layer, or the same error.
// What it leaves to the fetcher, ocifetch cannot serve from the cache
// either, unless the manifest misstates the layer's size (which package
// source does not trust).
func FuzzResolveOCICachedOracle(f *testing.F) {
	wasm := []byte("\x00asm\x01\x00\x00\x00")
	d := sha(wasm)
	layer := func(mediaType string, size int, digest string) string {
		return fmt.Sprintf(`{"mediaType":%q,"size":%d,"digest":%q}`, mediaType, size, digest)
	}
	artifact := func(config string, layers ...string) string {
		return `{"schemaVersion":2,"config":{"mediaType":"` + config + `","size":2,"digest":"` + sha([]byte("{}")) + `"},"layers":[` + strings.Join(layers, ",") + `]}`
	}
	for _, s := range []string{
		artifact(source.MediaTypeWasmConfig, layer(source.MediaTypeWasm, 8, d)),
		artifact(source.MediaTypeWasmConfig, layer("application/octet-stream", 8, d)),
		artifact("application/x-other", layer("text/plain", 8, d), layer(source.MediaTypeWasm, 8, d)),
		artifact(source.MediaTypeWasmConfig, layer(source.MediaTypeWasm, 9, d)),
		artifact(source.MediaTypeWasmConfig, layer(source.MediaTypeWasm, 2000, d)),
		artifact(source.MediaTypeWasmConfig, layer(source.MediaTypeWasm, 8, d), layer(source.MediaTypeWasm, 8, d)),
		artifact("application/vnd.oci.image.config.v1+json", layer("application/vnd.oci.image.layer.v1.tar", 8, d)),
		artifact(source.MediaTypeWasmConfig, layer(source.MediaTypeWasm, 8, sha([]byte("not cached")))),
		artifact(source.MediaTypeWasmConfig, layer(source.MediaTypeWasm, 8, "sha512:"+strings.Repeat("0", 128))),
		`{"layers":[` + layer(source.MediaTypeWasm, 8, d) + `]} trailing`,
		`null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, manifest []byte) {
		ctx := context.Background()
		cacheDir := t.TempDir()
		for _, b := range [][]byte{manifest, wasm} {
			if _, err := source.Resolve(ctx, "-", source.Options{CacheDir: cacheDir, Stdin: bytes.NewReader(b)}); err != nil {
				t.Fatal(err)
			}
		}
		image := "127.0.0.1:1/acme/app@" + sha(manifest)
		ref := "oci://" + image
		const maxSize = 1000
		asked := false
		l, err := source.Resolve(ctx, ref, source.Options{CacheDir: cacheDir, MaxSize: maxSize,
			OCI: fetchFunc(func(context.Context, source.OCIRequest) (*source.OCIResult, error) {
				asked = true
				return nil, errors.New("asked")
			})})
		res, ferr := (&ocifetch.Fetcher{Transport: noNetwork{}}).FetchOCI(ctx, source.OCIRequest{Reference: image, MaxSize: maxSize,
			Output: filepath.Join(t.TempDir(), "layer"), Blobs: filepath.Join(cacheDir, "blobs")})
		switch {
		case asked && ferr == nil:
			if fi, err := os.Stat(res.Path); err != nil || fi.Size() == res.Size {
				t.Fatalf("left to the fetcher, which served it from the cache: %+v", res)
			}
		case asked:
		case err != nil:
			if ferr == nil || err.Error() != ref+": "+ferr.Error() {
				t.Fatalf("from the cache: %v\nocifetch: %+v, %v", err, res, ferr)
			}
		default:
			if ferr != nil || res.Digest != l.Digest || res.Path != l.Path || res.Size != 8 {
				t.Fatalf("from the cache: %+v\nocifetch: %+v, %v", l, res, ferr)
			}
		}
	})
}
