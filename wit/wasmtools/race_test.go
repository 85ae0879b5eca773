package wasmtools

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestLoadWITConcurrent: overlapping LoadWIT calls (diff reads both sides
// at once) must all succeed. Without loadWITMu, wazero crashed ("index out
// of range" in NewFunction) in 1 of 20–50 fresh `wfcompat diff` processes
// with WFCOMPAT_WIT_READER=wasm-tools, and in every run of
// BenchmarkDiffProcess/go-build; in a test process it does not reproduce
// reliably, so this checks the overlapping calls, not the crash.
func TestLoadWITConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs the embedded wasm-tools")
	}
	dir := t.TempDir()
	var paths []string
	for i, src := range []string{
		"package a:b;\ninterface api { f: func(x: u32) -> string; }\nworld w { export api; }\n",
		"package a:b;\ninterface api { f: func(x: u64) -> string; g: func(); }\nworld w { export api; }\n",
	} {
		p := filepath.Join(dir, []string{"one.wit", "two.wit"}[i])
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// Staggered starts: one call's end (which closes its wazero runtime)
	// falls inside another's run.
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 7 * time.Millisecond)
			_, errs[i] = LoadWIT(paths[i%2], "")
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("load %d: %v", i, err)
		}
	}
}
