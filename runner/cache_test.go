package runner

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRemoveStaleTemps: an engine on a cache directory removes the
// temporary files an interrupted process left in wazero's version
// directories once they are an hour old, and leaves entries, newer
// temporary files (another process's write) and other files alone.
func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	ver := filepath.Join(dir, "wazero-v0.0.0-test-amd64-linux")
	other := filepath.Join(dir, "notwazero")
	for _, d := range []string{ver, other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleTempAge)
	files := []struct {
		path  string
		mtime time.Time
		kept  bool
	}{
		{filepath.Join(ver, "ab12.123456.tmp"), old, false},
		{filepath.Join(ver, "cd34.654321.tmp"), time.Now(), true}, // being written
		{filepath.Join(ver, "ab12"), old, true},                   // an entry
		{filepath.Join(other, "x.tmp"), old, true},                // not wazero's
		{filepath.Join(dir, "y.tmp"), old, true},                  // not in a version directory
	}
	for _, f := range files {
		if err := os.WriteFile(f.path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(f.path, f.mtime, f.mtime); err != nil {
			t.Fatal(err)
		}
	}
	e, err := NewEngine(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(context.Background())
	for _, f := range files {
		_, err := os.Stat(f.path)
		if kept := err == nil; kept != f.kept {
			t.Errorf("%s: kept %v, want %v (%v)", f.path, kept, f.kept, err)
		}
	}
}
