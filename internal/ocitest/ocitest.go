// Package ocitest serves Wasm OCI artifacts from go-containerregistry's
// in-process registry, for the tests of source, source/ocifetch and the
// wfcompat-oci helper (cmd/wfcompat-oci). Only tests import it.
package ocitest

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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

	"github.com/wfcompat/wfcompat/source"
)

// Registry is an in-process registry behind an httptest server on
// 127.0.0.1, which clients speak to over http.
type Registry struct {
	t testing.TB
	// Server serves the registry; Host is its address (127.0.0.1:PORT).
	Server *httptest.Server
	Host   string

	blobGets atomic.Int32
	tamper   atomic.Bool
	mu       sync.Mutex
	hold     *Hold
}

// Hold is a blob download held open: Arrived is closed when it starts,
// Gone when the client went away (its connection closed).
type Hold struct {
	Arrived, Gone chan struct{}
}

// NewRegistry starts a registry, stopped when the test ends.
func NewRegistry(t testing.TB) *Registry {
	r := &Registry{t: t}
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet || !strings.Contains(req.URL.Path, "/blobs/") {
			reg.ServeHTTP(w, req)
			return
		}
		r.blobGets.Add(1)
		r.mu.Lock()
		h := r.hold
		r.hold = nil
		r.mu.Unlock()
		if h != nil {
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			close(h.Arrived)
			<-req.Context().Done()
			close(h.Gone)
			return
		}
		if !r.tamper.Load() {
			reg.ServeHTTP(w, req)
			return
		}
		rec := httptest.NewRecorder()
		reg.ServeHTTP(rec, req)
		b := rec.Body.Bytes()
		if len(b) > 0 {
			b[len(b)-1] ^= 0xff // same length, other content
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(b)
	}))
	t.Cleanup(r.Server.Close)
	r.Host = strings.TrimPrefix(r.Server.URL, "http://")
	return r
}

// BlobGets counts the blob downloads so far.
func (r *Registry) BlobGets() int { return int(r.blobGets.Load()) }

// Tamper makes the registry serve blobs of the right length and another
// content (on) or the right ones (off).
func (r *Registry) Tamper(on bool) { r.tamper.Store(on) }

// HoldNextBlob makes the next blob download send its headers and then
// hang until the client goes away.
func (r *Registry) HoldNextBlob() *Hold {
	h := &Hold{Arrived: make(chan struct{}), Gone: make(chan struct{})}
	r.mu.Lock()
	r.hold = h
	r.mu.Unlock()
	return h
}

// Push writes img as ref (REPOSITORY:TAG) and returns its manifest digest.
func (r *Registry) Push(ref string, img v1.Image) string {
	r.t.Helper()
	n, err := name.ParseReference(r.Host + "/" + ref)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := remote.Write(n, img); err != nil {
		r.t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		r.t.Fatal(err)
	}
	return d.String()
}

// WasmArtifact builds an artifact in the wasm OCI layout: an OCI manifest
// with the wasm config media type and one layer of layerType holding wasm.
func WasmArtifact(t testing.TB, wasm []byte, layerType types.MediaType) v1.Image {
	t.Helper()
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: static.NewLayer(wasm, layerType)})
	if err != nil {
		t.Fatal(err)
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	return mutate.ConfigMediaType(img, source.MediaTypeWasmConfig)
}

// ContainerImage builds a one-layer container image (not a wasm artifact).
func ContainerImage(t testing.TB) v1.Image {
	t.Helper()
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: static.NewLayer([]byte("tar"), types.OCILayer)})
	if err != nil {
		t.Fatal(err)
	}
	return mutate.MediaType(img, types.OCIManifestSchema1)
}
