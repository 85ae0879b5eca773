// Package testfiles writes the small file trees tests read (WIT
// directories with deps/, for example) and lists what a directory holds
// (to check that a failure left no file behind).
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

// Names lists the names in dir, in directory order (sorted by name); it
// fails t if dir cannot be read.
func Names(t testing.TB, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}
