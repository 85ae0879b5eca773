package httpfetch_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/internal/stallhttp"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/httpfetch"
)

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// server serves the cases of the tests over TLS: release ends the
// handlers that hold their response, arrived says a held request came.
type server struct {
	*httptest.Server
	release chan struct{}
	arrived chan string
}

var wasm = []byte("\x00asm\x01\x00\x00\x00 downloaded")

func newServer(t *testing.T) *server {
	s := &server{release: make(chan struct{}), arrived: make(chan string, 8)}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/app.wasm":
			w.Write(wasm)
		case "/big.wasm": // declared: Content-Length
			w.Write(make([]byte, 2000))
		case "/big-chunked.wasm": // not declared: only counting finds it
			for i := 0; i < 20; i++ {
				w.Write(make([]byte, 100))
				w.(http.Flusher).Flush()
			}
		case "/downgrade":
			http.Redirect(w, r, "http://"+r.Host+"/app.wasm", http.StatusFound)
		case "/upgrade":
			http.Redirect(w, r, "/app.wasm", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/stall-headers":
			s.arrived <- r.URL.Path
			<-s.release
		case "/stall-body":
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("\x00asm"))
			w.(http.Flusher).Flush()
			s.arrived <- r.URL.Path
			<-s.release
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(s.release) }) // before Close, which waits for the handlers
	return s
}

// leftovers lists what dir holds besides want.
func leftovers(t *testing.T, dir, want string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, de := range des {
		if p := filepath.Join(dir, de.Name()); p != want {
			left = append(left, de.Name())
		}
	}
	return left
}

// TestFetchHTTP downloads over TLS: the file and the result on success;
// on every failure an error naming it and no file (neither the output
// nor a temporary one).
func TestFetchHTTP(t *testing.T) {
	srv := newServer(t)
	for _, c := range []struct {
		name, path, digest string
		maxSize            int64
		want               string // error, or "" for success
	}{
		{name: "download", path: "/app.wasm", maxSize: 1 << 20},
		{name: "with its digest", path: "/app.wasm", digest: sha(wasm), maxSize: 1 << 20},
		{name: "redirect to https", path: "/upgrade", maxSize: 1 << 20},
		{name: "at the limit", path: "/app.wasm", maxSize: int64(len(wasm))},
		{name: "other digest", path: "/app.wasm", digest: "sha256:" + strings.Repeat("0", 64), maxSize: 1 << 20,
			want: "content has digest " + sha(wasm) + ", want sha256:" + strings.Repeat("0", 64)},
		{name: "not found", path: "/missing.wasm", maxSize: 1 << 20, want: "HTTP 404 Not Found"},
		{name: "redirect to http", path: "/downgrade", maxSize: 1 << 20, want: "plain http is not accepted"},
		{name: "redirect loop", path: "/loop", maxSize: 1 << 20, want: "stopped after 10 redirects"},
		{name: "declared over the limit", path: "/big.wasm", maxSize: 1000, want: "2000 bytes, larger than the limit of 1000"},
		{name: "read over the limit", path: "/big-chunked.wasm", maxSize: 1000, want: "larger than 1000 bytes (the limit"},
		{name: "stalled headers", path: "/stall-headers", maxSize: 1 << 20, want: "/stall-headers\": no data for 300ms: giving up"},
		{name: "stalled body", path: "/stall-body", maxSize: 1 << 20, want: "GET " + srv.URL + "/stall-body: no data for 300ms: giving up"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "download")
			f := &httpfetch.Fetcher{Client: srv.Client(), Stall: 300 * time.Millisecond}
			done := make(chan struct{})
			var res *source.HTTPResult
			var err error
			go func() {
				defer close(done)
				res, err = f.FetchHTTP(context.Background(), source.HTTPRequest{URL: srv.URL + c.path, Digest: c.digest, MaxSize: c.maxSize, Output: out})
			}()
			select {
			case <-done:
			case <-time.After(time.Minute): // a hang, not a timing check
				t.Fatal("FetchHTTP did not return")
			}
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) || res != nil {
					t.Errorf("%+v, %v; want an error with %q", res, err, c.want)
				}
				if left := leftovers(t, dir, ""); len(left) != 0 {
					t.Errorf("left %v", left)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := &source.HTTPResult{URL: srv.URL + c.path, Digest: sha(wasm), Size: int64(len(wasm)), Path: out}
			if diff := cmp.Diff(want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if b, _ := os.ReadFile(out); !bytes.Equal(b, wasm) {
				t.Errorf("wrote %q", b)
			}
			if left := leftovers(t, dir, out); len(left) != 0 {
				t.Errorf("left %v", left)
			}
		})
	}
}

// TestFetchHTTPStallError: a stalled body read is a stallhttp.Error, as
// ocifetch's registry requests are.
func TestFetchHTTPStallError(t *testing.T) {
	srv := newServer(t)
	_, err := (&httpfetch.Fetcher{Client: srv.Client(), Stall: 200 * time.Millisecond}).FetchHTTP(context.Background(),
		source.HTTPRequest{URL: srv.URL + "/stall-body", MaxSize: 1 << 20, Output: filepath.Join(t.TempDir(), "download")})
	var se *stallhttp.Error
	if !errors.As(err, &se) || se.Stall != 200*time.Millisecond {
		t.Errorf("err = %v, want a stallhttp.Error", err)
	}
}

// TestFetchHTTPCanceled: a download whose context is canceled (wfcompat
// interrupted, the helper told to stop) returns at once, long before the
// stall timeout, and leaves no file.
func TestFetchHTTPCanceled(t *testing.T) {
	srv := newServer(t)
	for _, path := range []string{"/stall-headers", "/stall-body"} {
		t.Run(path, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				_, err := (&httpfetch.Fetcher{Client: srv.Client()}).FetchHTTP(ctx,
					source.HTTPRequest{URL: srv.URL + path, MaxSize: 1 << 20, Output: filepath.Join(dir, "download")})
				done <- err
			}()
			<-srv.arrived
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			case <-time.After(30 * time.Second): // the stall timeout is a minute
				t.Fatal("FetchHTTP did not return when canceled")
			}
			if left := leftovers(t, dir, ""); len(left) != 0 {
				t.Errorf("left %v", left)
			}
		})
	}
}

// TestFetchHTTPRefuses: what is not an https download is refused before
// any request.
func TestFetchHTTPRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		req  source.HTTPRequest
		want string
	}{
		{"plain http", source.HTTPRequest{URL: "http://127.0.0.1:1/a.wasm", MaxSize: 10}, "http://127.0.0.1:1/a.wasm: not an https:// URL"},
		{"no limit", source.HTTPRequest{URL: "https://127.0.0.1:1/a.wasm"}, "size limit 0: want a positive number of bytes"},
	} {
		c.req.Output = filepath.Join(t.TempDir(), "download")
		if _, err := (&httpfetch.Fetcher{}).FetchHTTP(context.Background(), c.req); err == nil || err.Error() != c.want {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

// TestResolveInProcess: source.Resolve with the in-process fetcher
// (Options.HTTP) caches the download by digest.
func TestResolveInProcess(t *testing.T) {
	srv := newServer(t)
	cache := t.TempDir()
	l, err := source.Resolve(context.Background(), srv.URL+"/app.wasm", source.Options{CacheDir: cache, HTTP: &httpfetch.Fetcher{Client: srv.Client()}})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(cache, "blobs", "sha256", strings.TrimPrefix(sha(wasm), "sha256:"))
	if b, _ := os.ReadFile(l.Path); l.Path != want || !bytes.Equal(b, wasm) || l.Digest != sha(wasm) || l.Kind != source.KindHTTP {
		t.Errorf("%+v", l)
	}
}
