package analyze

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wfcompat/wfcompat/internal/fsinput"
	"github.com/wfcompat/wfcompat/wit/witparse"
)

// DefaultMaxInputSize bounds the size of an input file unless
// Options.MaxSize says otherwise: 256 MiB, more than ten times the largest
// component or canister of the corpus, so that a wrong path (a disk image,
// /dev/zero behind a symlink) fails at once instead of filling memory.
const DefaultMaxInputSize = 256 << 20

// MaxInputSize is the former name of DefaultMaxInputSize.
//
// Deprecated: use DefaultMaxInputSize or Options.MaxSize.
const MaxInputSize = DefaultMaxInputSize

// ReadInput reads the input file at path: a regular file (after following
// symlinks) of at most max bytes (max <= 0: DefaultMaxInputSize). A
// device, a FIFO, a socket or a directory is refused before it is opened
// for reading, so /dev/zero, /dev/urandom and FIFOs fail at once rather
// than growing memory or blocking. Errors are one line and do not carry
// the path (callers add it, as *Error does).
func ReadInput(path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxInputSize
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, bareError(err)
	}
	if err := regular(st); err != nil {
		return nil, err
	}
	if st.Size() > max {
		return nil, sizeError(st.Size(), max)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer f.Close()
	// Check the file opened, too: path may have been replaced meanwhile.
	if st, err = f.Stat(); err != nil {
		return nil, unwrapPathError(err)
	}
	if err := regular(st); err != nil {
		return nil, err
	}
	// Sized from Stat, the buffer takes the file in one read (io.ReadAll
	// would grow and copy it a dozen times); a file that grew meanwhile is
	// still read up to the limit.
	var buf bytes.Buffer
	buf.Grow(int(min(st.Size(), max)) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, unwrapPathError(err)
	}
	b := buf.Bytes()
	if int64(len(b)) > max {
		return nil, sizeError(int64(len(b)), max)
	}
	return b, nil
}

func sizeError(size, max int64) error {
	return fmt.Errorf("file is %d bytes or more, larger than the %d-byte input limit (raise it with --max-input-size)", size, max)
}

// regular refuses anything but a regular file, naming what it is.
func regular(st fs.FileInfo) error {
	if st.Mode().IsRegular() {
		return nil
	}
	return errors.New(fsinput.NotRegular(st.Mode()))
}

// checkWITDir checks a WIT directory before wasmtools.LoadWIT (the escape hatch
// WFCOMPAT_WIT_READER=wasm-tools) sees it, as witparse checks the
// directories it reads (witparse.Load): every
// entry (deps/ included) must be a regular file or a directory, and a
// symlink must stay inside dir and point at one of those. The error names
// the entry and never what it points at, let alone its content.
//
// The files that reader reads (.wit, and .wasm and .wat packages) are
// bounded as witparse bounds its own: each by max and by
// witparse.MaxFileSize, all of them together by max.
func checkWITDir(dir string, max int64) error {
	var total int64
	size := func(rel string, st fs.FileInfo) error {
		switch filepath.Ext(rel) {
		case ".wit", ".wasm", ".wat":
		default:
			return nil
		}
		if limit := min(max, witparse.MaxFileSize); st.Size() > limit {
			return sizeLimitError(&witparse.SizeError{File: filepath.Join(dir, rel), Size: st.Size(), Limit: limit}, max)
		}
		if total += st.Size(); total > max {
			return sizeLimitError(&witparse.SizeError{File: filepath.Join(dir, rel), Size: total, Limit: max, Total: true}, max)
		}
		return nil
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return unwrapPathError(err)
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return err
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return unwrapPathError(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				return fmt.Errorf("%s: a symlink that does not resolve", rel)
			}
			if abs, err := filepath.Abs(target); err != nil || !fsinput.Within(root, abs) {
				return fmt.Errorf("%s: a symlink out of the WIT directory; wfcompat does not follow those", rel)
			}
			st, err := os.Stat(p)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, unwrapPathError(err))
			}
			if !st.IsDir() {
				if err := regular(st); err != nil {
					return fmt.Errorf("%s: %w", rel, err)
				}
				return size(rel, st)
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return unwrapPathError(err)
		}
		if err := regular(st); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		return size(rel, st)
	})
}

// witSizeError is a WIT file over the input limit (Options.MaxSize), said
// as ReadInput says it of an input file.
type witSizeError struct{ *witparse.SizeError }

func (e witSizeError) Error() string {
	if e.Total {
		return fmt.Sprintf("%s: the WIT files read come to %d bytes or more with this one, more than the %d-byte input limit on all of them (raise it with --max-input-size)", e.File, e.Size, e.Limit)
	}
	return fmt.Sprintf("%s: file is %d bytes or more, larger than the %d-byte input limit (raise it with --max-input-size)", e.File, e.Size, e.Limit)
}

func (e witSizeError) Unwrap() error { return e.SizeError }

// sizeLimitError says err, a *witparse.SizeError within it, as the input
// limit's error when the limit crossed is max, the input limit (not
// witparse.MaxFileSize, which no option raises).
func sizeLimitError(err error, max int64) error {
	var se *witparse.SizeError
	if errors.As(err, &se) && se.Limit == max && (se.Total || max < witparse.MaxFileSize) {
		return witSizeError{se}
	}
	return err
}

// OpenRegular opens the regular file at path for streaming (an event log
// may be larger than any input limit), refusing anything else as ReadInput
// does. Errors do not carry the path.
func OpenRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, bareError(err)
	}
	if err := regular(st); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = regular(st)
		}
		return nil, err
	}
	return f, nil
}

// bareError drops the path and the operation from an *fs.PathError: "no
// such file or directory".
func bareError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
