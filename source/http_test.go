package source_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/httpfetch"
)

// certFileHonored says whether a child process trusts the certificates
// of SSL_CERT_FILE: crypto/x509 reads it on Linux and the BSDs, not on
// macOS and Windows, which verify with the system.
var certFileHonored = runtime.GOOS != "darwin" && runtime.GOOS != "ios" && runtime.GOOS != "windows"

// tlsServer starts a TLS test server whose certificate the helper, a
// child process, trusts through SSL_CERT_FILE (set for the rest of the
// test; see certFileHonored). The in-process fetcher uses the server's
// client instead.
func tlsServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	pemFile := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSL_CERT_FILE", pemFile)
	t.Setenv("SSL_CERT_DIR", "")
	return srv
}

// TestResolveHTTPS downloads through both fetchers, in process
// (httpfetch) and the helper executable (protocol version 2): the same
// cache entries, and the same one-line errors, naming the source.
func TestResolveHTTPS(t *testing.T) {
	helper := helperPath(t)
	body := []byte("\x00asm\x01\x00\x00\x00 https")
	var requests atomic.Int64
	srv := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/app.wasm":
			w.Write(body)
		case "/big.wasm":
			w.Write(make([]byte, 2048))
		case "/downgrade":
			http.Redirect(w, r, "http://"+r.Host+"/app.wasm", http.StatusFound)
		case "/upgrade":
			http.Redirect(w, r, "/app.wasm", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	fetchers := []struct {
		name string
		opts func() source.Options
	}{
		{"in-process", func() source.Options {
			return source.Options{CacheDir: t.TempDir(), HTTP: &httpfetch.Fetcher{Client: srv.Client()}}
		}},
		{"helper", func() source.Options { return source.Options{CacheDir: t.TempDir(), OCIHelper: helper} }},
	}
	if !certFileHonored {
		t.Logf("the helper is not run: on %s it cannot be made to trust the test server", runtime.GOOS)
		fetchers = fetchers[:1]
	}
	ctx := context.Background()
	hexBody := strings.TrimPrefix(sha(body), "sha256:")
	for _, f := range fetchers {
		t.Run(f.name, func(t *testing.T) {
			opts := f.opts()
			for _, ref := range []string{srv.URL + "/app.wasm", srv.URL + "/upgrade", srv.URL + "/app.wasm#sha256=" + hexBody} {
				l, err := source.Resolve(ctx, ref, opts)
				if err != nil {
					t.Errorf("%s: %v", ref, err)
					continue
				}
				want := filepath.Join(opts.CacheDir, "blobs", "sha256", hexBody)
				if got, _ := os.ReadFile(l.Path); !bytes.Equal(got, body) || l.Digest != sha(body) || l.Path != want || l.Kind != source.KindHTTP || l.Name != ref {
					t.Errorf("%s: %+v", ref, l)
				}
			}
			// With a digest whose content is cached: no request, no helper.
			before := requests.Load()
			noHelper := opts
			noHelper.OCIHelper = filepath.Join(t.TempDir(), "no-such-helper")
			if l, err := source.Resolve(ctx, srv.URL+"/app.wasm#sha256="+hexBody, noHelper); err != nil || l.Digest != sha(body) || requests.Load() != before {
				t.Errorf("cached: %+v, %v, %d requests", l, err, requests.Load()-before)
			}
			if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
				t.Errorf("left %v", left)
			}
		})
	}

	// Errors: the same line from both fetchers.
	for _, c := range []struct {
		name, ref string
		maxSize   int64
		want      string
	}{
		{"not found", srv.URL + "/missing.wasm", 0, srv.URL + "/missing.wasm: download: HTTP 404 Not Found"},
		{"other digest", srv.URL + "/big.wasm#sha256=" + strings.Repeat("0", 64), 0, srv.URL + "/big.wasm#sha256=" + strings.Repeat("0", 64) + ": download: content has digest sha256:"},
		{"redirect to http", srv.URL + "/downgrade", 0, srv.URL + "/downgrade: download: Get \"http://"},
		{"over the limit", srv.URL + "/big.wasm", 1024, srv.URL + "/big.wasm: download: 2048 bytes, larger than the limit of 1024"},
		{"unreachable", "https://127.0.0.1:1/unreachable.wasm", 0, "https://127.0.0.1:1/unreachable.wasm: download: Get \"https://127.0.0.1:1/unreachable.wasm\": dial tcp 127.0.0.1:1: connect:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var msgs []string
			for _, f := range fetchers {
				opts := f.opts()
				opts.MaxSize = c.maxSize
				l, err := source.Resolve(ctx, c.ref, opts)
				if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s: %+v, %v; want one line starting %q", f.name, l, err, c.want)
				}
				if err != nil {
					msgs = append(msgs, err.Error())
				}
				if left := cacheLeftovers(t, opts.CacheDir); len(left) != 0 {
					t.Errorf("%s: left %v", f.name, left)
				}
			}
			if len(msgs) == 2 && msgs[0] != msgs[1] {
				t.Errorf("in process: %s\nhelper:     %s", msgs[0], msgs[1])
			}
		})
	}
}
