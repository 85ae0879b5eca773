//go:build unix

package source_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/interrupt"
	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
)

// TestResolveOCIHelperSignal: a process resolving an oci:// source with
// the wfcompat-oci helper (this test binary, interrupt enabled as in the
// wfcompat command) gets SIGTERM, the helper not, while the layer's
// download hangs. The helper must be told (interrupt.Run) and go away at
// once, not when its stall timeout gives up a minute later, and the cache
// must hold no temporary file or directory.
func TestResolveOCIHelperSignal(t *testing.T) {
	if ref := os.Getenv("WFCOMPAT_OCI_CHILD"); ref != "" {
		interrupt.Enable()
		_, err := source.Resolve(context.Background(), ref, source.Options{
			CacheDir: os.Getenv("WFCOMPAT_OCI_CACHE"), OCIHelper: os.Getenv("WFCOMPAT_OCI_HELPER")})
		println(err)
		os.Exit(3) // not reached: the signal ended the process
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	helper := helperPath(t)
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
	hold := reg.HoldNextBlob()
	cache := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResolveOCIHelperSignal$")
	cmd.Env = append(os.Environ(), "WFCOMPAT_OCI_CHILD=oci://"+reg.Host+"/acme/app:v1",
		"WFCOMPAT_OCI_CACHE="+cache, "WFCOMPAT_OCI_HELPER="+helper)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hold.Arrived:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("the layer download never started")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("ended with %v, want to be ended by SIGTERM", err)
	}
	select {
	case <-hold.Gone:
	case <-time.After(20 * time.Second): // the helper's own stall timeout is a minute
		t.Error("the helper's download stayed open after wfcompat was ended")
	}
	if left := cacheLeftovers(t, cache); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}
