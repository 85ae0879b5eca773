package witparse

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wfcompat/wfcompat/internal/fsinput"
)

// walker lists a WIT directory and every directory below it, once, and
// checks each entry as it goes: a WIT directory holds regular files and
// directories, and symlinks that stay inside it and lead to one of those.
// Anything else (a device, a FIFO, a socket, a dangling symlink, a symlink
// out of the directory) is refused before any file is read, so that a
// hostile directory can neither block the reader nor make it read
// something outside. Symlinked directories are not entered (their
// targets, inside the directory, are listed where they are). The reader
// takes its listings from the walk.
type walker struct {
	top     string
	realTop string // top's absolute path with symlinks resolved, once needed
	lists   []dirList
	buf     []byte // listDir's
	// untyped: listDir takes every entry's type from lstat (as for
	// DT_UNKNOWN), never from the listing.
	untyped bool
}

// dirList is a directory listed, kept open (fd) where listDir can.
type dirList struct {
	dir  string
	fd   int
	ents []dirEnt
}

// dirEnt is an entry of a directory: its name and type.
type dirEnt struct {
	name string
	typ  fs.FileMode
}

func (e dirEnt) Name() string      { return e.name }
func (e dirEnt) Type() fs.FileMode { return e.typ }
func (e dirEnt) IsDir() bool       { return e.typ.IsDir() }

// list returns the walk's listing of dir.
func (w *walker) list(dir string) (dirList, bool) {
	for _, l := range w.lists {
		if l.dir == dir {
			return l, true
		}
	}
	return dirList{}, false
}

// close closes the directories the walk keeps open.
func (w *walker) close() {
	for _, l := range w.lists {
		closeDir(l.fd)
	}
}

// walk lists dir (rel, relative to the top; "" for the top) and what is
// below it, depth first in name order, as filepath.WalkDir goes.
func (w *walker) walk(dir, rel string) error {
	if w.buf == nil {
		w.buf = make([]byte, 4<<10)
	}
	fd, ents, err := listDir(dir, w.buf, w.untyped)
	if err != nil {
		return err
	}
	if readerDir(rel) {
		w.lists = append(w.lists, dirList{dir, fd, ents})
	} else {
		closeDir(fd) // only checked: a tree of any size keeps no descriptors
	}
	for _, e := range ents {
		name := e.Name()
		erel := name
		if rel != "" {
			erel = rel + string(filepath.Separator) + name
		}
		switch t := e.Type(); {
		case t.IsRegular():
		case t.IsDir():
			if err := w.walk(filepath.Join(dir, name), erel); err != nil {
				return err
			}
		case t&fs.ModeSymlink != 0:
			if err := w.symlink(filepath.Join(dir, name), erel); err != nil {
				return err
			}
		default:
			return w.fail(erel, fsinput.NotRegular(t))
		}
	}
	return nil
}

// readerDir reports whether the directory rel (relative to the top) is
// one the reader reads: the top, deps/, and a package directory in deps/.
func readerDir(rel string) bool {
	const sep = string(filepath.Separator)
	pkg, ok := strings.CutPrefix(rel, "deps"+sep)
	return rel == "" || rel == "deps" || ok && !strings.Contains(pkg, sep)
}

// symlink checks the symlink at p: it must resolve, stay inside the top
// directory, and lead to a directory or a regular file. Messages never say
// where it leads.
func (w *walker) symlink(p, rel string) error {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return w.fail(rel, "a symlink that does not resolve")
	}
	if w.realTop == "" {
		rt, err := filepath.EvalSymlinks(w.top)
		if err == nil {
			rt, err = filepath.Abs(rt)
		}
		if err != nil {
			return &Error{File: w.top, Msg: pathMessage(err)}
		}
		w.realTop = rt
	}
	if abs, err := filepath.Abs(target); err != nil || !fsinput.Within(w.realTop, abs) {
		return w.fail(rel, "a symlink out of the WIT directory; wfcompat does not follow those")
	}
	st, err := os.Stat(p)
	if err != nil {
		return w.fail(rel, pathMessage(err))
	}
	if m := st.Mode(); !m.IsDir() && !m.IsRegular() {
		return w.fail(rel, fsinput.NotRegular(m))
	}
	return nil
}

// fail is the error for the entry rel: "TOP: REL: MSG".
func (w *walker) fail(rel, msg string) error {
	return &Error{File: w.top, Msg: rel + ": " + msg}
}

// pathMessage is err without the path of an *fs.PathError ("stat: no such
// file or directory"): messages name the entry by its place in the WIT
// directory.
func pathMessage(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
