package source

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestDownloadRefusesDowngradeAndStalls: a redirect to plain http is
// refused (Parse refuses http:// URLs; a redirect must not get round
// that), and a server that stops sending is given up after the stall
// timeout instead of hanging the run. Found by the bad-input QA: both
// the redirect was followed and the download waited forever.
func TestDownloadRefusesDowngradeAndStalls(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/downgrade":
			http.Redirect(w, r, "http://"+r.Host+"/app.wasm", http.StatusFound)
		case "/upgrade":
			http.Redirect(w, r, "/app.wasm", http.StatusFound)
		case "/app.wasm":
			w.Write([]byte("\x00asm\x01\x00\x00\x00"))
		case "/stall-body":
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("\x00asm"))
			w.(http.Flusher).Flush()
			<-release
		case "/stall-headers":
			<-release
		}
	}))
	defer srv.Close()
	defer close(release) // before srv.Close, which waits for the handlers
	c, err := openCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, want string
	}{
		{"/downgrade", "redirected to http://"},
		{"/stall-body", "no data for 200ms: giving up"},
		{"/stall-headers", "no data for 200ms: giving up"},
		{"/upgrade", ""},
	} {
		start := time.Now()
		_, _, err := download(context.Background(), srv.Client(), Ref{URL: srv.URL + tt.path}, 1<<20, c, 200*time.Millisecond)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.path, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.path, err, tt.want)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s took %v", tt.path, d)
		}
	}
}
