// Package testfiles writes the small file trees tests read (WIT
// directories with deps/, for example).
package testfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// Write writes files (slash-separated names relative to the tree's root →
// contents) under a new temporary directory of t and returns that
// directory.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
