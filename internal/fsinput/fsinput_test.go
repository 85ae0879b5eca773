package fsinput

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNotRegular(t *testing.T) {
	for _, tc := range []struct {
		mode fs.FileMode
		want string
	}{
		{fs.ModeDir, "a directory"},
		{fs.ModeNamedPipe, "a FIFO"},
		{fs.ModeDevice | fs.ModeCharDevice, "a character device"},
		{fs.ModeDevice, "a block device"},
		{fs.ModeSocket, "a socket"},
		{fs.ModeIrregular, "not a regular file"},
	} {
		got := NotRegular(tc.mode)
		if !strings.HasPrefix(got, tc.want+", not a regular file: ") {
			t.Errorf("NotRegular(%v) = %q, want it to start with %q", tc.mode, got, tc.want)
		}
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		root, path string
		want       bool
	}{
		{"/a/b", "/a/b", true},
		{"/a/b", "/a/b/c/d", true},
		{"/a/b", "/a/b/..c", true},
		{"/a/b", "/a", false},
		{"/a/b", "/a/bc", false},
		{"/a/b", "/a/b/../c", false},
		{"/a/b", "/x", false},
	} {
		if got := Within(tc.root, tc.path); got != tc.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tc.root, tc.path, got, tc.want)
		}
	}
}

// TestUnique: one file named several ways counts once, the first
// spelling kept; different files, and missing ones, stay. (A log named
// by a relative and an absolute path, or through a link, proved twice.)
func TestUnique(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, f := range []string{"a.jsonl", "b.jsonl"} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "a.jsonl"), "link.jsonl"); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	tests := []struct {
		in, want []string
	}{
		{[]string{"a.jsonl", "./a.jsonl", filepath.Join(dir, "a.jsonl"), "link.jsonl", "b.jsonl"}, []string{"a.jsonl", "b.jsonl"}},
		{[]string{"link.jsonl", "a.jsonl"}, []string{"link.jsonl"}},
		{[]string{"missing.jsonl", "./missing.jsonl", "other-missing.jsonl"}, []string{"missing.jsonl", "other-missing.jsonl"}},
		{nil, []string{}},
	}
	for _, tt := range tests {
		if got := Unique(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Unique(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
