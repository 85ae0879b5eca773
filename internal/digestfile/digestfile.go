// Package digestfile writes a stream to a new temporary file while hashing
// it, for the writers that then check the content's digest and rename the
// file into place (the source cache; the wfcompat-oci helper's output).
package digestfile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wfcompat/wfcompat/internal/interrupt"
)

// ErrTooLarge is Write's error for a stream longer than its limit.
var ErrTooLarge = errors.New("larger than the limit")

// File is a temporary file Write wrote. Until Rename or Remove, a signal
// that ends the wfcompat command removes it (internal/interrupt).
type File struct {
	// Name is the file's path.
	Name string
	// Digest is the content's digest, "sha256:" and the hex of its
	// SHA-256.
	Digest string
	// Size is the content's length in bytes.
	Size int64
	undo *interrupt.Cleanup
}

// Write copies at most max bytes of r into a new file in dir, named after
// pattern as os.CreateTemp names files. A stream longer than max is
// ErrTooLarge. After an error no file is left; otherwise the caller
// renames or removes the file (Rename, Remove).
func Write(dir, pattern string, r io.Reader, max int64) (*File, error) {
	var f *os.File
	var undo *interrupt.Cleanup
	var err error
	interrupt.Do(func() {
		if f, err = os.CreateTemp(dir, pattern); err == nil {
			name := f.Name()
			undo = interrupt.OnSignal(func() { os.Remove(name) })
		}
	})
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > max {
		err = ErrTooLarge
	}
	if err != nil {
		os.Remove(f.Name())
		undo.Cancel()
		return nil, err
	}
	return &File{Name: f.Name(), Digest: "sha256:" + hex.EncodeToString(h.Sum(nil)), Size: n, undo: undo}, nil
}

// Save writes at most max bytes of r to path, through a temporary file in
// its directory (Write) and a rename; with want set ("sha256:HEX"),
// content of another digest is an error. After an error path is not
// written (a stream longer than max is ErrTooLarge). It returns the
// content's digest and size.
func Save(path string, r io.Reader, max int64, want string) (digest string, size int64, err error) {
	tmp, err := Write(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*", r, max)
	if err != nil {
		return "", 0, err
	}
	defer tmp.Remove() // no-op after the rename
	if want != "" && tmp.Digest != want {
		return "", 0, fmt.Errorf("content has digest %s, want %s", tmp.Digest, want)
	}
	if err := tmp.Rename(path); err != nil {
		return "", 0, err
	}
	return tmp.Digest, tmp.Size, nil
}

// Rename moves the file to path (os.Rename).
func (f *File) Rename(path string) error {
	err := os.Rename(f.Name, path)
	if err == nil {
		f.undo.Cancel()
	}
	return err
}

// Remove removes the file if it is still there: after Rename it does
// nothing, and it may be deferred.
func (f *File) Remove() {
	os.Remove(f.Name)
	f.undo.Cancel()
}
