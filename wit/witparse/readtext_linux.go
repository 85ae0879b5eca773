package witparse

import (
	"io/fs"
	"syscall"
	"unsafe"

	"github.com/wfcompat/wfcompat/internal/fsinput"
)

// readText returns the contents of the file at path, at most limit bytes
// (a larger file is a *SizeError). On Linux it reads with plain system calls: os.Open would also
// register the file with the runtime's poller (setting up the poller on
// first use, then failing for a regular file), several system calls more
// per file for nothing. The file is opened non-blocking, so a FIFO put in
// place of a file does not block.
//
// The text goes into *arena (the texts of a load share its pages; a new
// chunk is made when it is full), and the string is a view of it: the
// bytes are never written again. A file that fits in the room left is
// read in one read (a short read of a regular file is its end); one that
// fills it is looked at (fstat): anything but a regular file is refused,
// and it is read on into a buffer of its size, up to the limit.
//
// With dirfd >= 0, the file is name in that directory (opened relative
// to it); path is for messages.
func readText(dirfd int, name, path string, arena *[]byte, limit int64) (string, error) {
	var fd int
	var err error
	for {
		if dirfd >= 0 {
			fd, err = syscall.Openat(dirfd, name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		} else {
			fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		}
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return "", &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	a := *arena
	if cap(a)-len(a) < arenaChunk/4 {
		a = make([]byte, 0, arenaChunk)
	}
	room := a[len(a):cap(a)]
	if int64(len(room)) > limit+1 {
		// One byte more than the limit tells a file over it.
		room = room[:limit+1]
	}
	n, err := read(fd, path, room)
	if err != nil {
		return "", err
	}
	if n < len(room) {
		if n == 0 {
			return "", nil
		}
		*arena = a[:len(a)+n]
		return unsafe.String(&room[0], n), nil
	}
	// Filled the room: a larger file (or not a file).
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return "", &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if mode := modeOf(st.Mode); mode != 0 {
		return "", &Error{File: path, Msg: fsinput.NotRegular(mode)}
	}
	if st.Size > limit || int64(n) > limit {
		return "", &SizeError{File: path, Size: max(st.Size, int64(n)), Limit: limit}
	}
	// One byte more than the size: a file that grew meanwhile is noticed
	// (and read on, up to the limit).
	b := make([]byte, max(int(st.Size)+1, 2*n))
	copy(b, room[:n])
	for {
		m, err := read(fd, path, b[n:])
		if err != nil {
			return "", err
		}
		if m == 0 {
			break
		}
		n += m
		if int64(n) > limit {
			return "", &SizeError{File: path, Size: int64(n), Limit: limit}
		}
		if n == len(b) {
			b = append(b, 0)
			b = b[:cap(b)]
		}
	}
	return unsafe.String(&b[0], n), nil
}

// read is one read(2), retried when interrupted.
func read(fd int, path string, b []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		return n, nil
	}
}
