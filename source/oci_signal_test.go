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
	resolveInChild()
	if testing.Short() {
		t.Skip("spawns processes")
	}
	helper := helperPath(t)
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
	hold := reg.HoldNextBlob()
	interruptResolve(t, "oci://"+reg.Host+"/acme/app:v1", helper, hold.Arrived, hold.Gone)
}

// The variables that make this test binary, run again by
// interruptResolve, resolve a source (with its cache and helper) instead
// of testing.
const (
	childSourceEnv = "WFCOMPAT_SIGNAL_CHILD_SOURCE"
	childCacheEnv  = "WFCOMPAT_SIGNAL_CHILD_CACHE"
	childHelperEnv = "WFCOMPAT_SIGNAL_CHILD_HELPER"
)

// resolveInChild, in the child process interruptResolve starts, resolves
// the source its environment names, interrupt enabled as in the wfcompat
// command, and does not return: the signal ends the process. Elsewhere it
// returns at once.
func resolveInChild() {
	src := os.Getenv(childSourceEnv)
	if src == "" {
		return
	}
	interrupt.Enable()
	_, err := source.Resolve(context.Background(), src, source.Options{
		CacheDir: os.Getenv(childCacheEnv), OCIHelper: os.Getenv(childHelperEnv)})
	println(err)
	os.Exit(3) // not reached: the signal ended the process
}

// interruptResolve resolves src through the wfcompat-oci helper at helper
// into a new cache, in a child process: this test binary run again with
// only the top-level test t, which must call resolveInChild first. Once
// arrived is closed (the download has begun) it sends the child SIGTERM,
// the helper not, and checks that the signal ended the child, that gone
// is closed (the helper closed the download) well before the helper's
// own stall timeout of a minute, and that the cache holds no temporary
// file or directory.
func interruptResolve(t *testing.T, src, helper string, arrived, gone <-chan struct{}) {
	t.Helper()
	cache := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), childSourceEnv+"="+src, childCacheEnv+"="+cache, childHelperEnv+"="+helper)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatalf("the download of %s never started", src)
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
