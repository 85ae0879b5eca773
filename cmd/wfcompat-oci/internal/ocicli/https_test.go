package ocicli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/httpfetch"
)

// TestFetchHTTPS runs fetch on https:// URLs (protocol version 2) against
// a TLS test server, the download client trusting it and its stall
// timeout shortened: one line of JSON and the file on success; on any
// failure one line on stderr, exit status 2, nothing on stdout and no
// file.
func TestFetchHTTPS(t *testing.T) {
	body := []byte("\x00asm\x01\x00\x00\x00 over https")
	sum := sha256.Sum256(body)
	hexSum := hex.EncodeToString(sum[:])
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/app.wasm":
			w.Write(body)
		case "/big.wasm":
			w.Write(make([]byte, 2000))
		case "/downgrade":
			http.Redirect(w, r, "http://"+r.Host+"/app.wasm", http.StatusFound)
		case "/stall":
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("\x00asm"))
			w.(http.Flusher).Flush()
			arrived <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	defer close(release) // before srv.Close, which waits for the handlers
	for _, c := range []struct {
		name string
		args []string
		// cancel cancels the fetch once the server has the request.
		cancel bool
		want   string // the error line, or "" for success
	}{
		{name: "download", args: []string{srv.URL + "/app.wasm"}},
		{name: "protocol 2 and a digest", args: []string{"--protocol", "2", srv.URL + "/app.wasm#sha256=" + hexSum}},
		{name: "other digest", args: []string{srv.URL + "/app.wasm#sha256=" + strings.Repeat("0", 64)}, want: "wfcompat-oci: content has digest sha256:" + hexSum + ", want sha256:" + strings.Repeat("0", 64)},
		{name: "not found", args: []string{srv.URL + "/missing.wasm"}, want: "wfcompat-oci: HTTP 404 Not Found"},
		{name: "redirect to http", args: []string{srv.URL + "/downgrade"}, want: `wfcompat-oci: Get "http://` + strings.TrimPrefix(srv.URL, "https://") + `/app.wasm": redirected to http://` + strings.TrimPrefix(srv.URL, "https://") + "/app.wasm: plain http is not accepted"},
		{name: "stall", args: []string{srv.URL + "/stall"}, want: "wfcompat-oci: GET " + srv.URL + "/stall: no data for 300ms: giving up"},
		{name: "over the limit", args: []string{"--max-size", "1000", srv.URL + "/big.wasm"}, want: "wfcompat-oci: 2000 bytes, larger than the limit of 1000"},
		{name: "interrupted", args: []string{srv.URL + "/stall"}, cancel: true, want: "context canceled"},
		{name: "protocol 1", args: []string{"--protocol", "1", srv.URL + "/app.wasm"}, want: "wfcompat-oci: fetch: " + srv.URL + "/app.wasm: https:// URLs are fetched in protocol version 2, not 1"},
		{name: "blobs", args: []string{"--blobs", t.TempDir(), srv.URL + "/app.wasm"}, want: "wfcompat-oci: fetch: --blobs is for OCI references, not https:// URLs"},
		{name: "plain http", args: []string{"http://" + strings.TrimPrefix(srv.URL, "https://") + "/app.wasm"}, want: "plain http is not accepted; use https://"},
		{name: "bad fragment", args: []string{srv.URL + "/app.wasm#md5=00"}, want: "fragment must be #sha256=<64 hex digits>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "app.wasm")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.cancel {
				go func() {
					<-arrived
					cancel()
				}()
			}
			code, stdout, stderr := fetchWithin(t, ctx, append([]string{"-o", out}, c.args...), func(o *FetchOptions) {
				o.HTTP = &httpfetch.Fetcher{Client: srv.Client(), Stall: 300 * time.Millisecond}
			})
			if c.want != "" {
				checkFailed(t, code, stdout, stderr, c.want, dir)
				return
			}
			checkFetched(t, code, stdout, stderr, source.HTTPResult{Protocol: 2, URL: srv.URL + "/app.wasm", Digest: "sha256:" + hexSum, Size: int64(len(body)), Path: out}, out, body)
		})
	}
}

// TestFetchOCIProtocol1: asked in protocol version 1 (as wfcompat asks for
// OCI fetches, so that a helper older than it still serves them), the
// helper answers in version 1.
func TestFetchOCIProtocol1(t *testing.T) {
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
	code, stdout, stderr := run("fetch", "--protocol", "1", "-o", filepath.Join(t.TempDir(), "app.wasm"), reg.Host+"/acme/app:v1")
	var got source.OCIResult
	if code != ExitOK || json.Unmarshal([]byte(stdout), &got) != nil || got.Protocol != 1 || got.Size != 8 {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
}
