package fsinput

import (
	"io/fs"
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
