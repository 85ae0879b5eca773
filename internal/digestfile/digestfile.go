// Package digestfile writes a stream to a new temporary file while hashing
// it, for the writers that then check the content's digest and rename the
// file into place (the source cache; the wfcompat-oci helper's output).
package digestfile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"

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
	undo   *interrupt.Cleanup
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
	return &File{Name: f.Name(), Digest: "sha256:" + hex.EncodeToString(h.Sum(nil)), undo: undo}, nil
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
