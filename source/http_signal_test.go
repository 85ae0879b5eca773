//go:build unix

package source_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/interrupt"
	"github.com/wfcompat/wfcompat/source"
)

// TestResolveHTTPSHelperSignal: a process downloading an https:// source
// through the wfcompat-oci helper (this test binary, interrupt enabled as
// in the wfcompat command) gets SIGTERM, the helper not, while the body
// hangs half sent. The helper must be told (interrupt.Run) and close the
// connection at once, not when its stall timeout gives up a minute
// later, and the cache must hold no temporary file or directory.
func TestResolveHTTPSHelperSignal(t *testing.T) {
	if url := os.Getenv("WFCOMPAT_HTTPS_CHILD"); url != "" {
		interrupt.Enable()
		_, err := source.Resolve(context.Background(), url, source.Options{
			CacheDir: os.Getenv("WFCOMPAT_HTTPS_CACHE"), OCIHelper: os.Getenv("WFCOMPAT_OCI_HELPER")})
		println(err)
		os.Exit(3) // not reached: the signal ended the process
	}
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
	cache := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResolveHTTPSHelperSignal$")
	cmd.Env = append(os.Environ(), "WFCOMPAT_HTTPS_CHILD="+srv.URL+"/app.wasm",
		"WFCOMPAT_HTTPS_CACHE="+cache, "WFCOMPAT_OCI_HELPER="+helper)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("the download never started")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("ended with %v, want to be ended by SIGTERM", err)
	}
	select {
	case <-gone:
	case <-time.After(20 * time.Second): // the helper's own stall timeout is a minute
		t.Error("the helper's download stayed open after wfcompat was ended")
	}
	if left := cacheLeftovers(t, cache); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}
