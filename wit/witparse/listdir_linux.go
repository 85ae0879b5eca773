package witparse

import (
	"bytes"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
	"unsafe"
)

// listDir lists the directory dir, sorted by name, and returns it open
// (fd, for readText to open its files relative to it, without walking
// the path again; the caller closes it). On Linux it reads the entries
// with getdents64 into buf, with their types, as os.ReadDir does, minus
// the *os.File and the poller. An entry whose type the file system does
// not report (DT_UNKNOWN: some network and FUSE file systems, old XFS)
// is looked at with lstat; with untyped, every entry is, whatever the
// listing says (the tests' way onto that path).
func listDir(dir string, buf []byte, untyped bool) (int, []dirEnt, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return -1, nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	var ents []dirEnt
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return -1, nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			break
		}
		for off := 0; off+19 <= n; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type u8, name.
			reclen := int(*(*uint16)(unsafe.Pointer(&buf[off+16])))
			if reclen == 0 || off+reclen > n {
				break
			}
			typ := buf[off+18]
			if untyped {
				typ = syscall.DT_UNKNOWN
			}
			name := buf[off+19 : off+reclen]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			off += reclen
			if len(name) == 0 || name[0] == '.' && (len(name) == 1 || len(name) == 2 && name[1] == '.') {
				continue
			}
			e := dirEnt{name: string(name)}
			switch typ {
			case syscall.DT_REG:
			case syscall.DT_DIR:
				e.typ = fs.ModeDir
			case syscall.DT_LNK:
				e.typ = fs.ModeSymlink
			case syscall.DT_FIFO:
				e.typ = fs.ModeNamedPipe
			case syscall.DT_SOCK:
				e.typ = fs.ModeSocket
			case syscall.DT_CHR:
				e.typ = fs.ModeDevice | fs.ModeCharDevice
			case syscall.DT_BLK:
				e.typ = fs.ModeDevice
			default: // DT_UNKNOWN: ask
				st, err := os.Lstat(dir + "/" + e.name)
				if err != nil {
					syscall.Close(fd)
					return -1, nil, err
				}
				e.typ = st.Mode().Type()
			}
			ents = append(ents, e)
		}
	}
	slices.SortFunc(ents, func(a, b dirEnt) int { return strings.Compare(a.name, b.name) })
	return fd, ents, nil
}

// modeOf is the type of a file of mode m (Stat_t.Mode), as fs.FileMode.
func modeOf(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	}
	return fs.ModeIrregular
}

// closeDir closes a directory listDir returned open.
func closeDir(fd int) {
	if fd >= 0 {
		syscall.Close(fd)
	}
}
