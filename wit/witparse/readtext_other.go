//go:build !linux

package witparse

import (
	"io"
	"os"
	"unsafe"

	"github.com/wfcompat/wfcompat/internal/fsinput"
)

// readText returns the contents of the regular file at path, at most
// limit bytes (a larger file is a *SizeError); anything but a regular
// file is refused. (dirfd and
// name, the directory and the name in it the Linux version opens the
// file by, and arena, where it puts the text, are not used.)
func readText(dirfd int, name, path string, arena *[]byte, limit int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", &Error{File: path, Msg: fsinput.NotRegular(st.Mode())}
	}
	if st.Size() > limit {
		return "", &SizeError{File: path, Size: st.Size(), Limit: limit}
	}
	// Read what is there (the size is a hint), never past the limit.
	b := make([]byte, 0, st.Size()+1)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		if int64(len(b)) > limit {
			return "", &SizeError{File: path, Size: int64(len(b)), Limit: limit}
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
	if len(b) == 0 {
		return "", nil
	}
	// The bytes are never written again: the text shares them.
	return unsafe.String(&b[0], len(b)), nil
}
