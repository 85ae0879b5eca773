package source

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// wasmArtifact builds an artifact in the wasm OCI layout: an OCI manifest
// with the wasm config media type and one application/wasm layer.
func wasmArtifact(t *testing.T, wasm []byte, layerType types.MediaType) v1.Image {
	t.Helper()
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: static.NewLayer(wasm, layerType)})
	if err != nil {
		t.Fatal(err)
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	return mutate.ConfigMediaType(img, MediaTypeWasmConfig)
}

func TestResolveOCI(t *testing.T) {
	var blobGets atomic.Int32
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/") {
			blobGets.Add(1)
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://") // 127.0.0.1:PORT: spoken to over http

	wasm := []byte("\x00asm\x0d\x00\x01\x00 component bytes")
	push := func(ref string, img v1.Image) string {
		r, err := name.ParseReference(host + "/" + ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := remote.Write(r, img); err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d.String()
	}
	manifest := push("acme/app:v1", wasmArtifact(t, wasm, MediaTypeWasm))
	push("acme/other:v1", wasmArtifact(t, wasm, "application/octet-stream")) // single layer: accepted by its config
	ctx := context.Background()
	opts := Options{CacheDir: t.TempDir()}
	for _, ref := range []string{"oci://" + host + "/acme/app:v1", "oci://" + host + "/acme/app@" + manifest, "oci://" + host + "/acme/other:v1"} {
		l, err := Resolve(ctx, ref, opts)
		if err != nil {
			t.Errorf("%s: %v", ref, err)
			continue
		}
		if got, _ := os.ReadFile(l.Path); !bytes.Equal(got, wasm) || l.Digest != digestOf(wasm) || l.Kind != KindOCI {
			t.Errorf("%s: %+v", ref, l)
		}
	}
	// The layer is cached by digest: resolving again fetches only the manifest.
	before := blobGets.Load()
	if _, err := Resolve(ctx, "oci://"+host+"/acme/app:v1", opts); err != nil {
		t.Fatal(err)
	}
	if n := blobGets.Load() - before; n != 0 {
		t.Errorf("%d blob downloads for a cached layer", n)
	}

	// A pinned reference is served from the cache once fetched: no registry
	// needed. A tag is always asked for (it may have moved).
	pinned := "oci://" + host + "/acme/app@" + manifest
	if _, err := Resolve(ctx, pinned, opts); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if l, err := Resolve(ctx, pinned, opts); err != nil || l.Digest != digestOf(wasm) {
		t.Errorf("pinned, registry gone: %+v, %v", l, err)
	}
	if _, err := Resolve(ctx, "oci://"+host+"/acme/app:v1", opts); err == nil || !strings.Contains(err.Error(), "fetch manifest") {
		t.Errorf("tag, registry gone: %v", err)
	}
}

func TestResolveOCIErrors(t *testing.T) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(reg)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	container, err := mutate.Append(empty.Image, mutate.Addendum{Layer: static.NewLayer([]byte("tar"), types.OCILayer)})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := name.ParseReference(host + "/acme/container:v1")
	if err := remote.Write(r, mutate.MediaType(container, types.OCIManifestSchema1)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opts := Options{CacheDir: t.TempDir()}
	for _, c := range []struct{ ref, want string }{
		{"oci://" + host + "/acme/app:v2", "/acme/app:v2: fetch manifest:"},
		{"oci://" + host + "/acme/container:v1", "a container image"},
		{"oci://" + host + "/Bad Name", "not an OCI reference"},
	} {
		_, err := Resolve(ctx, c.ref, opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.ref) {
			t.Errorf("%s: err = %v, want the source and %q", c.ref, err, c.want)
		}
	}
}

func TestWasmLayer(t *testing.T) {
	wasm := v1.Descriptor{MediaType: MediaTypeWasm, Size: 1}
	for _, c := range []struct {
		name string
		m    v1.Manifest
		err  string
	}{
		{"one wasm layer", v1.Manifest{Layers: []v1.Descriptor{{MediaType: "text/plain"}, wasm}}, ""},
		{"two wasm layers", v1.Manifest{Layers: []v1.Descriptor{wasm, wasm}}, "has 2 application/wasm layers"},
		{"no wasm layer", v1.Manifest{Config: v1.Descriptor{MediaType: "application/x-other"}, Layers: []v1.Descriptor{{MediaType: "text/plain"}}}, "no application/wasm layer (layers: text/plain)"},
	} {
		_, err := wasmLayer(&c.m)
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.err)
		}
	}
}
