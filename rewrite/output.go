package rewrite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wfcompat/wfcompat/internal/interrupt"
)

// NamedPath is a file a command reads or writes, with the flag or
// argument that names it, for messages ("--lock", "-o", "NEW").
type NamedPath struct {
	Role string
	Path string
}

// CheckOutputs refuses outputs that would destroy an input or each other:
// an output that is the same file as an input or as another output (the
// same path after cleaning, a symbolic link to it, or a hard link: the
// comparison uses os.SameFile on existing files and resolved directories
// for files still to be created), and an output that exists but is not a
// regular file that may be replaced (see CheckOutput).
func CheckOutputs(inputs, outputs []NamedPath) error {
	for i, o := range outputs {
		if o.Path == "" {
			continue
		}
		if err := CheckOutput(o.Path); err != nil {
			return fmt.Errorf("%s %s: %w", o.Role, o.Path, err)
		}
		for _, in := range inputs {
			if in.Path != "" && samePath(in.Path, o.Path) {
				return fmt.Errorf("%s %s is the same file as %s %s; wfcompat never overwrites an input", o.Role, o.Path, in.Role, in.Path)
			}
		}
		for _, p := range outputs[:i] {
			if p.Path != "" && samePath(p.Path, o.Path) {
				return fmt.Errorf("%s %s and %s %s are the same file; each output needs its own", p.Role, p.Path, o.Role, o.Path)
			}
		}
	}
	return nil
}

// Reasons CheckOutput refuses an output path.
var (
	// ErrOutputDir: the output names a directory.
	ErrOutputDir = errors.New("is a directory; give the output a file name")
	// ErrOutputSymlink: the output is a symbolic link. wfcompat replaces
	// files atomically (a temporary file, then a rename), which would
	// replace the link itself; writing through it would change a file
	// somewhere else. Name the target instead.
	ErrOutputSymlink = errors.New("is a symbolic link; wfcompat neither replaces a link nor writes through it: name its target")
	// ErrOutputReadOnly: the output exists and has no write permission.
	// A careful tool does not replace a file its owner protected.
	ErrOutputReadOnly = errors.New("is read-only; wfcompat does not replace write-protected files: remove it or make it writable")
	// ErrOutputIrregular: the output is a device, FIFO or socket.
	ErrOutputIrregular = errors.New("is not a regular file")
)

// CheckOutput reports whether path may be written by WriteFile: it does
// not exist yet, or it is a writable regular file (not a symbolic link).
func CheckOutput(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(path)
		if di, err := os.Stat(dir); err != nil {
			return fmt.Errorf("directory %s: %w", dir, unwrapPathErr(err))
		} else if !di.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
		return nil
	case err != nil:
		return unwrapPathErr(err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return ErrOutputSymlink
	case fi.IsDir():
		return ErrOutputDir
	case !fi.Mode().IsRegular():
		return ErrOutputIrregular
	case fi.Mode().Perm()&0o222 == 0:
		return ErrOutputReadOnly
	}
	return nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// samePath reports whether a and b name the same file, existing or to be
// created.
func samePath(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(sa, sb)
	}
	ra, rb := resolved(a), resolved(b)
	return ra != "" && ra == rb
}

// resolved returns the absolute path of p with its directory's symbolic
// links resolved (p itself need not exist), or "".
func resolved(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return abs
	}
	return filepath.Join(dir, filepath.Base(abs))
}

// WriteFileAtomic is WriteFile without cancellation.
func WriteFileAtomic(path string, data []byte) error {
	return WriteFile(context.Background(), path, data)
}

// WriteFile writes data to path through a temporary file in the same
// directory and a rename, so that readers see the old file or the new
// one, never a part. It refuses what CheckOutput refuses (a directory, a
// symbolic link, a read-only or irregular file). A replaced file keeps
// its permission bits; a new one gets 0644. When ctx is cancelled before
// the rename, the temporary file is removed and ctx's error returned:
// nothing is left behind. In the wfcompat command, a signal that ends the
// process removes the temporary file too (package internal/interrupt).
func WriteFile(ctx context.Context, path string, data []byte) error {
	return StartWrite(ctx, path, data).Commit(ctx)
}

// PendingWrite is a WriteFile started by StartWrite: data written to the
// temporary file and synced to disk in the background, renamed into place
// by Commit or removed by Abort. The caller may check the data meanwhile
// (the sync costs milliseconds of waiting for the disk): nothing appears
// at the path before Commit.
type PendingWrite struct {
	path string
	tmp  string             // the temporary file, once written and closed
	undo *interrupt.Cleanup // its removal, should a signal end the process
	err  error
	done chan struct{}
}

// StartWrite begins WriteFile(ctx, path, data) in the background; call
// Commit or Abort on the result. data must not change until then.
func StartWrite(ctx context.Context, path string, data []byte) *PendingWrite {
	w := &PendingWrite{path: path, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		w.tmp, w.undo, w.err = writeTemp(ctx, path, data)
	}()
	return w
}

// Path is the file w writes.
func (w *PendingWrite) Path() string { return w.path }

// Wait waits until the temporary file is written and synced, and returns
// the error that failed it (the temporary file then removed). Commit and
// Abort wait too; Wait lets the caller tell a failed write from a failed
// rename, or act between the two.
func (w *PendingWrite) Wait() error {
	<-w.done
	return w.err
}

// Commit waits for the write and renames the temporary file to the path;
// if the write failed or ctx is cancelled, it removes the temporary file
// and returns the error.
func (w *PendingWrite) Commit(ctx context.Context) error {
	if err := CommitAll(ctx, w); err != nil {
		return errors.Unwrap(err) // the CommitError's
	}
	return nil
}

// CommitError is CommitAll's error: the write of ws[Index] failed, or its
// rename.
type CommitError struct {
	Index int
	Err   error
}

func (e *CommitError) Error() string { return e.Err.Error() }
func (e *CommitError) Unwrap() error { return e.Err }

// CommitAll waits for every write and renames their temporary files into
// place one after the other, with nothing in between: a signal that ends
// the wfcompat command leaves all the paths as they were, or all written.
// If a write failed or ctx is cancelled, nothing is renamed; if a rename
// fails, the writes after it are not renamed. Either way every temporary
// file not renamed is removed, and the error says which write failed.
func CommitAll(ctx context.Context, ws ...*PendingWrite) error {
	if len(ws) == 0 {
		return nil // nor a signal handler installed (interrupt.Do)
	}
	var err error
	failed := -1
	for i, w := range ws {
		if werr := w.Wait(); werr != nil && err == nil {
			err, failed = werr, i
		}
	}
	if err == nil {
		if err = ctx.Err(); err != nil {
			failed = 0
		}
	}
	if err != nil {
		for _, w := range ws {
			w.Abort()
		}
		return &CommitError{Index: failed, Err: err}
	}
	interrupt.Do(func() {
		for i, w := range ws {
			if rerr := os.Rename(w.tmp, w.path); rerr != nil {
				if fi, serr := os.Stat(w.path); serr == nil && fi.IsDir() {
					rerr = &fs.PathError{Op: "write", Path: w.path, Err: ErrOutputDir}
				}
				err, failed = rerr, i
				for _, w := range ws[i:] {
					w.remove()
				}
				return
			}
			w.undo.Cancel()
		}
	})
	if err != nil {
		return &CommitError{Index: failed, Err: err}
	}
	return nil
}

// Abort waits for the write and removes the temporary file: nothing is
// left behind.
func (w *PendingWrite) Abort() {
	if w.Wait() == nil {
		w.remove()
	}
}

// remove removes the temporary file and cancels its removal on a signal.
func (w *PendingWrite) remove() {
	os.Remove(w.tmp)
	w.undo.Cancel()
}

// writeTemp writes and syncs data to a temporary file beside path, with
// the permissions path has (0644 if it does not exist), and returns its
// name and its registered removal; on failure or cancellation it leaves
// nothing behind.
func writeTemp(ctx context.Context, path string, data []byte) (string, *interrupt.Cleanup, error) {
	if err := CheckOutput(path); err != nil {
		return "", nil, &fs.PathError{Op: "write", Path: path, Err: err}
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Lstat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	var f *os.File
	var undo *interrupt.Cleanup
	var err error
	interrupt.Do(func() {
		if f, err = os.CreateTemp(dir, "."+base+".tmp-*"); err == nil {
			name := f.Name()
			undo = interrupt.OnSignal(func() { os.Remove(name) })
		}
	})
	if err != nil {
		return "", nil, err
	}
	tmp := f.Name()
	fail := func(err error) (string, *interrupt.Cleanup, error) {
		f.Close()
		os.Remove(tmp)
		undo.Cancel()
		return "", nil, err
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	return tmp, undo, nil
}
