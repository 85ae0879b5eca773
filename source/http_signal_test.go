//go:build unix

package source_test

import (
	"net/http"
	"testing"
)

// TestResolveHTTPSHelperSignal: a process downloading an https:// source
// through the wfcompat-oci helper (this test binary, interrupt enabled as
// in the wfcompat command) gets SIGTERM, the helper not, while the body
// hangs half sent. The helper must be told (interrupt.Run) and close the
// connection at once, not when its stall timeout gives up a minute
// later, and the cache must hold no temporary file or directory.
func TestResolveHTTPSHelperSignal(t *testing.T) {
	resolveInChild()
	if testing.Short() {
		t.Skip("spawns processes")
	}
	if !certFileHonored {
		t.Skip("the helper cannot be made to trust the test server here (SSL_CERT_FILE)")
	}
	helper := helperPath(t)
	arrived, gone := make(chan struct{}), make(chan struct{})
	srv := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("\x00asm"))
		w.(http.Flusher).Flush()
		close(arrived)
		<-r.Context().Done() // the client closed the connection
		close(gone)
	}))
	interruptResolve(t, srv.URL+"/app.wasm", helper, arrived, gone)
}
