// Package fsinput holds what the readers of input files and directories
// (analyze, wit/witparse, the event-log runners) agree on: that inputs are
// regular files, how a refusal names what a file is instead, which paths
// stay inside a directory, and when two paths name one file.
package fsinput

import (
	"io/fs"
	"path/filepath"
	"strings"
)

// NotRegular says what a file of mode m is, which is not a regular file,
// and that inputs must be regular files.
func NotRegular(m fs.FileMode) string {
	what := "not a regular file"
	switch {
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a block device"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	}
	return what + ", not a regular file: wfcompat reads inputs from regular files only"
}

// Within reports whether path is root or below it (both absolute, or both
// relative to the same directory).
func Within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Unique drops later mentions of a file already in paths, keeping the
// order and the first mention's spelling: paths are compared absolute,
// cleaned and with symbolic links resolved, so a log named as LOG, ./LOG,
// its absolute path or through a link counts once. A path that does not
// resolve (a missing file) is compared absolute and cleaned, and left to
// its reader to refuse.
func Unique(paths []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		key := filepath.Clean(p)
		if abs, err := filepath.Abs(key); err == nil {
			key = abs
		}
		if real, err := filepath.EvalSymlinks(key); err == nil {
			key = real
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}
