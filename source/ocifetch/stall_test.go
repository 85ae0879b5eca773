package ocifetch

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/source"
)

// stallingRegistry is a proxy in front of reg that, for requests whose
// path contains match, sends nothing (mode "headers"), sends the headers
// and the first byte and then nothing ("body"), or sends the body a byte
// at a time, each after pause ("slow").
func stallingRegistry(t *testing.T, reg *ocitest.Registry, match, mode string, pause time.Duration) string {
	t.Helper()
	u, _ := url.Parse(reg.Server.URL)
	proxy := httputil.NewSingleHostReverseProxy(u)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, match) || r.Method != http.MethodGet {
			proxy.ServeHTTP(w, r)
			return
		}
		if mode == "headers" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		rec := httptest.NewRecorder()
		proxy.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		for i := range body {
			w.Write(body[i : i+1])
			w.(http.Flusher).Flush()
			if mode == "body" {
				select {
				case <-release:
				case <-r.Context().Done():
				}
				return
			}
			time.Sleep(pause)
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	return strings.TrimPrefix(srv.URL, "http://")
}

// TestFetchStall: a registry that accepts the request and then stops
// sending, before the headers or in the body, of the manifest or of the
// layer, is given up after Stall without data, with a StallError naming
// the request; one that sends slowly but keeps sending is waited for,
// longer than Stall in all.
func TestFetchStall(t *testing.T) {
	const stall = 500 * time.Millisecond
	reg := ocitest.NewRegistry(t)
	wasm := []byte("\x00asm\x0d\x00\x01\x00 component bytes")
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm))
	for _, c := range []struct {
		name, match, mode, want string
	}{
		{"manifest headers", "/manifests/", "headers", "fetch manifest: "},
		{"manifest body", "/manifests/", "body", "fetch manifest: "},
		{"layer headers", "/blobs/", "headers", "fetch wasm layer sha256:"},
		{"layer body", "/blobs/", "body", "fetch wasm layer sha256:"},
		{"layer slow", "/blobs/", "slow", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			host := stallingRegistry(t, reg, c.match, c.mode, stall/10)
			dir := t.TempDir()
			out := filepath.Join(dir, "layer")
			done := make(chan error, 1)
			go func() {
				_, err := (&Fetcher{Stall: stall}).FetchOCI(context.Background(),
					source.OCIRequest{Reference: host + "/acme/app:v1", MaxSize: 1 << 20, Output: out})
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute): // a hang, not a timing check
				t.Fatal("FetchOCI did not return")
			}
			t.Logf("%v", err)
			if c.want == "" {
				if got, _ := os.ReadFile(out); err != nil || !bytes.Equal(got, wasm) {
					t.Errorf("err = %v, wrote %q", err, got)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) || !strings.Contains(err.Error(), "no data for 500ms: giving up") ||
				!strings.Contains(err.Error(), host+"/v2/acme/app/") || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want %q… naming the request and the stall", err, c.want)
			}
			var se *StallError
			if c.mode == "body" && !errors.As(err, &se) {
				t.Errorf("err = %v, want a StallError", err)
			}
			if n := testfiles.Names(t, dir); len(n) != 0 {
				t.Errorf("left %v", n)
			}
		})
	}
}
