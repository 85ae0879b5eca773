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
)

// ErrTooLarge is Write's error for a stream longer than its limit.
var ErrTooLarge = errors.New("larger than the limit")

// Write copies at most max bytes of r into a new file in dir, named after
// pattern as os.CreateTemp names files, and returns the file's name and the
// content's digest, "sha256:" and the hex of its SHA-256. A stream longer
// than max is ErrTooLarge. After an error no file is left; otherwise the
// caller renames or removes the file.
func Write(dir, pattern string, r io.Reader, max int64) (name, digest string, err error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", "", err
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
		return "", "", err
	}
	return f.Name(), "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
