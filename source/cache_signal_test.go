//go:build unix

package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/wfcompat/wfcompat/internal/interrupt"
	"github.com/wfcompat/wfcompat/internal/testproc"
)

// TestCacheSignal interrupts a process (this test binary, interrupt
// enabled as in the wfcompat command) while it writes into the cache: a
// download halfway through its blob (the stream stalls after 1 MiB), and
// a temporary directory holding a file (a git tree being extracted, an
// OCI fetch). The signal must end it, and leave no temporary file or
// directory in the cache.
func TestCacheSignal(t *testing.T) {
	if v := os.Getenv("WFCOMPAT_CACHE_CHILD"); v != "" {
		scenario, dir, _ := strings.Cut(v, ":")
		interrupt.Enable()
		c, err := openCache(dir)
		if err != nil {
			panic(err)
		}
		switch scenario {
		case "store":
			pr, pw := io.Pipe()
			go func() {
				pw.Write(make([]byte, 1<<20)) // returns once store read it
				fmt.Println("ready")
				// The stream stalls: store waits for more.
			}()
			c.store(pr, 1<<30, "")
		case "dir":
			tmp, _, err := tempDir(filepath.Join(dir, "trees"), ".tmp-*")
			if err != nil {
				panic(err)
			}
			os.MkdirAll(filepath.Join(tmp, "deps"), 0o755)
			os.WriteFile(filepath.Join(tmp, "deps", "a.wit"), []byte("package a:b;\n"), 0o644)
			fmt.Println("ready")
			select {}
		}
		os.Exit(3)
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, tc := range []struct {
		scenario string
		sig      syscall.Signal
	}{{"store", syscall.SIGINT}, {"dir", syscall.SIGTERM}} {
		t.Run(tc.scenario, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "trees"), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestCacheSignal$")
			cmd.Env = append(os.Environ(), "WFCOMPAT_CACHE_CHILD="+tc.scenario+":"+dir)
			testproc.StartReady(t, cmd, "ready")
			if tmps := cacheTemporaries(t, dir); len(tmps) != 1 {
				t.Fatalf("before the signal: %v, want one temporary entry", tmps)
			}
			cmd.Process.Signal(tc.sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != tc.sig {
				t.Errorf("ended with %v, want to be ended by %v", err, tc.sig)
			}
			if tmps := cacheTemporaries(t, dir); len(tmps) > 0 {
				t.Errorf("left %v", tmps)
			}
		})
	}
}

// cacheTemporaries lists the temporary entries in the cache at dir.
func cacheTemporaries(t *testing.T, dir string) []string {
	t.Helper()
	var tmps []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".tmp-") {
			tmps = append(tmps, p)
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tmps
}
