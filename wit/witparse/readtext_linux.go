package witparse

import (
	"fmt"
	"io/fs"
	"syscall"
	"unsafe"
)

// readText returns the contents of the regular file at path, at most
// MaxFileSize bytes. On Linux it reads with plain system calls (open,
// fstat, read, close): os.Open would also register the file with the
// runtime's poller (setting up the poller on first use, then failing
// for a regular file), several system calls more per file for nothing.
// The file is opened non-blocking, so a FIFO put in place of a file does
// not block; anything but a regular file is refused once opened.
//
// The text goes into *arena (the texts of a load share its pages; it is
// grown by a new chunk when full), and the string is a view of it: the
// bytes are never written again.
func readText(path string, arena *[]byte) (string, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return "", &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return "", &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		mode := fs.ModeIrregular
		switch st.Mode & syscall.S_IFMT {
		case syscall.S_IFDIR:
			mode = fs.ModeDir
		case syscall.S_IFIFO:
			mode = fs.ModeNamedPipe
		case syscall.S_IFCHR:
			mode = fs.ModeDevice | fs.ModeCharDevice
		case syscall.S_IFBLK:
			mode = fs.ModeDevice
		case syscall.S_IFSOCK:
			mode = fs.ModeSocket
		}
		return "", &Error{File: path, Msg: notRegular(mode)}
	}
	if st.Size > MaxFileSize {
		return "", &Error{File: path, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit", st.Size, MaxFileSize)}
	}
	// One byte more than the size: a file that grew meanwhile is noticed
	// (and read on, up to the limit, in a buffer of its own).
	want := int(st.Size) + 1
	a := *arena
	if cap(a)-len(a) < want {
		a = make([]byte, 0, max(arenaChunk, want))
	}
	b := a[len(a) : len(a)+want]
	n := 0
	for {
		m, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return "", &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if m == 0 {
			break
		}
		n += m
		if n < len(b) {
			// A short read of a regular file is its end (a read of one
			// being appended to gets what was there).
			break
		}
		if n > MaxFileSize {
			return "", &Error{File: path, Msg: fmt.Sprintf("file is larger than the %d-byte limit", MaxFileSize)}
		}
		if n == len(b) {
			b = append(b[:n:n], 0)
			b = b[:cap(b)]
		}
	}
	if n == 0 {
		return "", nil
	}
	if n < want {
		*arena = a[:len(a)+n]
	}
	// The bytes are never written again: the text shares them.
	return unsafe.String(&b[0], n), nil
}
