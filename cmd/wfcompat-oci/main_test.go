//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/source"
)

// childEnv makes this test binary run main, as the wfcompat-oci command,
// with the arguments after its first.
const childEnv = "WFCOMPAT_OCI_MAIN_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Args = append(os.Args[:1], os.Args[2:]...)
		main()
	}
	os.Exit(m.Run())
}

// TestSignal: a signal that arrives while the helper writes the layer
// (its download held open by the registry) removes the temporary file and
// ends the helper by that signal, as it ends wfcompat. Before the helper
// used internal/interrupt, SIGHUP killed it with the temporary file left
// in the output directory, and SIGINT and SIGTERM made it exit 2.
func TestSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			reg := ocitest.NewRegistry(t)
			reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x01\x00\x00\x00"), source.MediaTypeWasm))
			hold := reg.HoldNextBlob()
			dir := t.TempDir()
			var stderr strings.Builder
			cmd := exec.Command(os.Args[0], "--", "fetch", "-o", filepath.Join(dir, "app.wasm"), reg.Host+"/acme/app:v1")
			cmd.Env = append(os.Environ(), childEnv+"=1")
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			select {
			case <-hold.Arrived:
			case <-time.After(time.Minute): // a hang guard
				t.Fatalf("the layer download never started: %s", stderr.String())
			}
			// The temporary file exists once the download's headers are
			// read; the signal is sent when it does.
			for deadline := time.Now().Add(time.Minute); len(testfiles.Names(t, dir)) == 0; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) { // a hang guard
					t.Fatal("no temporary file appeared")
				}
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != sig {
				t.Errorf("ended with %v (%s), want to be ended by %v", err, stderr.String(), sig)
			}
			if left := testfiles.Names(t, dir); len(left) != 0 {
				t.Errorf("left %v in the output directory", left)
			}
		})
	}
}
