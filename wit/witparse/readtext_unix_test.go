//go:build unix

package witparse

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLoadNotRegular: a FIFO given as the WIT file is refused at once.
func TestLoadNotRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "x.wit")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	_, err := Load(fifo, Options{})
	if want := fifo + ": a FIFO, not a regular file"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s…", err, want)
	}
}
