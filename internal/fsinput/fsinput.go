// Package fsinput holds what the readers of input files and directories
// (analyze, wit/witparse) agree on: that inputs are regular files, how a
// refusal names what a file is instead, and which paths stay inside a
// directory.
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
