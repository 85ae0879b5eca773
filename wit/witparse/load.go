package witparse

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wfcompat/wfcompat/internal/fsinput"
	"github.com/wfcompat/wfcompat/wit"
)

// Options tune loading.
type Options struct {
	// Features lists the @unstable features to enable.
	Features []string
	// AllFeatures enables every @unstable feature (as `wasm-tools
	// component wit --all-features` and go.bytecodealliance.org's LoadWIT).
	AllFeatures bool
	// Gate, when set, is called with the feature each feature gate names
	// as the resolver decides whether its item is included (enabled or
	// not; an item inside one left out is never decided). Callers use it
	// to tell a feature the input never names (a typo, most likely) from
	// one it gates on.
	Gate func(feature string)
	// FileLimit bounds the size of each file a load reads, in bytes (0:
	// MaxFileSize, which also caps it); TotalLimit bounds the bytes of
	// all the files one load reads (0: no bound). A file over either is
	// refused with a *SizeError, before it is read when its size says so.
	// They bound what is read from disk (Load, LoadWorldOptions), not the
	// text given to LoadString.
	FileLimit, TotalLimit int64
	// Fallback, when set, reads what this package does not: WIT that needs
	// a binary WIT package (.wasm, .wat) under deps/. LoadWorldOptions
	// then hands it the whole input (wit/wasmtools.LoadWIT is such a
	// reader). Unset, such input fails with an error naming the binary
	// packages and how to convert them to WIT text.
	Fallback Reader
}

// A Reader reads the world called world (chosen as LoadWorld chooses)
// from the WIT at path, a .wit file or a directory.
type Reader func(path, world string) (*wit.World, error)

// MaxFileSize bounds one WIT file (and Options.FileLimit); larger files
// are refused before reading.
const MaxFileSize = 64 << 20

// SizeError is a WIT file refused for its size (Options.FileLimit and
// TotalLimit). Its message is one line naming the file, the size and the
// limit.
type SizeError struct {
	// File is the file refused.
	File string
	// Size is the file's size in bytes (or as much of it as was read, at
	// least); for Total, the bytes of the files read before it and it.
	Size int64
	// Limit is the limit crossed: Options.TotalLimit for Total, else the
	// file limit.
	Limit int64
	// Total is set when the file is within the file limit but takes the
	// files read in the load beyond TotalLimit.
	Total bool
}

func (e *SizeError) Error() string {
	if e.Total {
		return fmt.Sprintf("%s: the WIT files read come to %d bytes or more with this one, more than the %d-byte limit on all of them", e.File, e.Size, e.Limit)
	}
	return fmt.Sprintf("%s: file is %d bytes or more, larger than the %d-byte limit", e.File, e.Size, e.Limit)
}

// Resolve is a set of resolved packages: the main package (of the file or
// directory loaded) and its dependencies, in dependency order.
type Resolve struct {
	// Packages are in dependency order; Main is the loaded package.
	Packages []*Package
	Main     *Package

	r *resolver // for the text positions of limit errors (limits.go)
}

// Package is one resolved WIT package.
type Package struct {
	// Name is "ns:name" or "ns:name@version".
	Name       string
	Interfaces []*wit.Interface
	// Worlds are the package's worlds, elaborated.
	Worlds []*wit.World
}

// Load reads WIT from path: a .wit file, or a directory of .wit files
// forming one package with its dependencies under deps/ (each a .wit file
// or a directory of .wit files; as in wit-parser, deps/ directories do not
// nest).
//
// A directory is listed once, everything below it included, before any
// file is read, and refused (an *Error naming the entry, never what a
// symlink points at) if it holds anything but regular files and
// directories, or a symlink that does not resolve, leads out of it, or
// leads to anything else. A file that is not regular is refused too.
func Load(path string, opts Options) (*Resolve, error) {
	return newResolver(opts).load(path)
}

// load is Load with the resolver r.
func (r *resolver) load(path string) (*Resolve, error) {
	growStack(0)
	// A directory is opened as such at once, to be listed (no stat
	// first: a WIT input is most often a directory). Where that fails
	// (a file, no such path, ...), path is looked at as before.
	main, err := r.loadTop(path)
	if _, ok := err.(*unlisted); !ok {
		if err != nil {
			return nil, err
		}
		return r.finish(main)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		main, err = r.loadTop(path)
		if u, ok := err.(*unlisted); ok {
			err = u.err
		}
	case !st.Mode().IsRegular():
		return nil, &Error{File: path, Msg: fsinput.NotRegular(st.Mode())}
	default:
		var af *astFile
		if af, err = r.readFile(-1, "", path); err == nil {
			main, err = r.group(path, []*astFile{af})
		}
	}
	if err != nil {
		return nil, err
	}
	return r.finish(main)
}

// LoadString reads WIT from text, as if from a file named name.
func LoadString(name, text string, opts Options) (*Resolve, error) {
	growStack(0)
	r := newResolver(opts)
	af, err := r.parse(&srcFile{name: name, text: text})
	if err != nil {
		return nil, err
	}
	main, err := r.group(name, []*astFile{af})
	if err != nil {
		return nil, err
	}
	return r.finish(main)
}

// LoadWorld reads WIT from path and returns the world called world:
// world may be plain ("api") or qualified ("golem:it/api",
// "golem:it/api@1.0.0"); with world == "", the input must hold exactly one
// world, or its main package must. Every @unstable feature is enabled, as
// with go.bytecodealliance.org's LoadWIT. Binary WIT packages (.wasm,
// .wat) under deps/ are not read: WIT that needs one fails, naming it (see
// LoadWorldOptions for a fallback).
func LoadWorld(path, world string) (*wit.World, error) {
	return LoadWorldOptions(path, world, Options{AllFeatures: true})
}

// LoadWorldOptions is LoadWorld with opts: its features, and its Fallback
// for WIT that needs a binary WIT package under deps/.
func LoadWorldOptions(path, world string, opts Options) (*wit.World, error) {
	r, err := Load(path, opts)
	var e *Error
	if errors.As(err, &e) && e.binaryDeps {
		// A package only a binary WIT package under deps/ provides.
		if opts.Fallback != nil {
			return opts.Fallback(path, world)
		}
		return nil, binaryDepsError(e, path)
	}
	if err != nil {
		return nil, err
	}
	return r.World(world)
}

// binaryDepsError adds to e, a reference to a package that only a binary
// WIT package under dir/deps could provide, what to do about it.
func binaryDepsError(e *Error, dir string) *Error {
	bin := filepath.Join(dir, "deps", "PKG.wasm")
	ents, _ := os.ReadDir(filepath.Join(dir, "deps"))
	for _, ent := range ents {
		if n := ent.Name(); strings.HasSuffix(n, ".wasm") || strings.HasSuffix(n, ".wat") {
			bin = filepath.Join(dir, "deps", n)
			break
		}
	}
	out := *e
	out.Msg += fmt.Sprintf("; convert each to WIT text in its place (`wasm-tools component wit %s -o %s`), or read the input with wasm-tools (a wfcompat built with -tags wasmtools)",
		bin, strings.TrimSuffix(strings.TrimSuffix(bin, ".wasm"), ".wat")+".wit")
	return &out
}

// LoadWorldSource is LoadWorld for one .wit file whose contents the
// caller has read already (src, from the file at path): the world comes
// from exactly those bytes.
func LoadWorldSource(path string, src []byte, world string) (*wit.World, error) {
	return LoadWorldSourceOptions(path, src, world, Options{AllFeatures: true})
}

// LoadWorldSourceOptions is LoadWorldSource with opts (its features; a
// single file has no deps/, so Fallback is not used).
func LoadWorldSourceOptions(path string, src []byte, world string, opts Options) (*wit.World, error) {
	r, err := LoadString(path, string(src), opts)
	if err != nil {
		return nil, err
	}
	return r.World(world)
}

// readFile reads and parses the WIT file at path (name in the directory
// open as dirfd, or dirfd -1).
//
// The file may be at most the file limit (Options.FileLimit, capped at
// MaxFileSize) and may not take the bytes read in the load beyond
// Options.TotalLimit.
func (r *resolver) readFile(dirfd int, name, path string) (*astFile, error) {
	limit, total := int64(MaxFileSize), false
	if l := r.opts.FileLimit; l > 0 && l < limit {
		limit = l
	}
	if t := r.opts.TotalLimit; t > 0 && t-r.read < limit {
		limit, total = max(t-r.read, 0), true
	}
	text, err := readText(dirfd, name, path, &r.texts, limit)
	var se *SizeError
	if errors.As(err, &se) && total {
		se.Size += r.read
		se.Limit, se.Total = r.opts.TotalLimit, true
	}
	if err != nil {
		return nil, err
	}
	r.read += int64(len(text))
	return r.parse(&srcFile{name: path, text: text})
}

// parse parses one file with the resolver's parser (whose buffers serve
// every file: the syntax tree keeps no tokens).
func (r *resolver) parse(f *srcFile) (*astFile, error) {
	return parseFile(f, &r.parser)
}

// loadTop reads the directory dir: its .wit files as one package (plus
// the nested packages they declare) and the packages under dir/deps.
// It lists dir and every directory below it first, once, refusing what a
// WIT directory must not hold (checkEntry), before any file is read.
func (r *resolver) loadTop(dir string) ([]*pkg, error) {
	// The first chunk of the arena of texts serves the walk's listings
	// first (their names are copied out), then the texts.
	r.texts = make([]byte, 0, arenaChunk)
	w := &walker{top: dir, buf: r.texts[:cap(r.texts)], untyped: r.untypedListing}
	defer w.close()
	if err := w.walk(dir, ""); err != nil {
		if len(w.lists) == 0 {
			// dir itself was not listed (the walk keeps the top's listing
			// first): it may not be a directory at all.
			return nil, &unlisted{err}
		}
		return nil, err
	}
	r.walk = w
	// One buffer for the tokens of every file: room for about 6 KB of
	// dense WIT, grown for a larger file.
	r.parser.toks = make([]token, 0, 1024)
	// And room for the lists of a large interface, to be copied out.
	r.parser.fields = make([]astField, 0, 64)
	r.parser.idents = make([]ident, 0, 64)
	r.parser.items = make([]any, 0, 64)
	r.parser.funcs = make([]*astFunc, 0, 32)
	main, err := r.loadDir(dir)
	if err != nil {
		return nil, err
	}
	if err := r.loadDeps(filepath.Join(dir, "deps")); err != nil {
		return nil, err
	}
	return main, nil
}

// unlisted is loadTop's error when the directory itself could not be
// listed (load then looks at what the path is).
type unlisted struct{ err error }

func (e *unlisted) Error() string { return e.err.Error() }

// readDir lists dir: from the walk, or (a directory behind a symlink,
// which the walk does not enter) from the file system. The listing's
// fd is -1 when not open.
func (r *resolver) readDir(dir string) (dirList, error) {
	if r.walk != nil {
		if l, ok := r.walk.list(dir); ok {
			return l, nil
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return dirList{}, err
	}
	l := dirList{dir: dir, fd: -1, ents: make([]dirEnt, len(ents))}
	for i, e := range ents {
		l.ents[i] = dirEnt{name: e.Name(), typ: e.Type()}
	}
	return l, nil
}

// loadDir parses the .wit files of dir as one package (plus the nested
// packages they declare).
func (r *resolver) loadDir(dir string) ([]*pkg, error) {
	l, err := r.readDir(dir)
	if err != nil {
		return nil, err
	}
	files := make([]*astFile, 0, len(l.ents))
	for _, e := range l.ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".wit") {
			continue
		}
		af, err := r.readFile(l.fd, e.Name(), filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, af)
	}
	return r.group(dir, files)
}

// loadDeps reads every package under a deps/ directory: each .wit file is
// a package (flat layout), each directory a package directory (nested
// layout); other files are ignored. Like wit-parser, a package
// directory's own deps/ is not read (dependencies are all listed in the
// top deps/).
func (r *resolver) loadDeps(dir string) error {
	l, err := r.readDir(dir) // sorted by name
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range l.ents {
		name := e.Name()
		p := filepath.Join(dir, name)
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(p); err == nil {
				isDir = st.IsDir()
			}
		}
		switch {
		case isDir:
			if _, err := r.loadDir(p); err != nil {
				return err
			}
		case strings.HasSuffix(name, ".wit"):
			af, err := r.readFile(l.fd, name, p)
			if err != nil {
				return err
			}
			if _, err := r.group(p, []*astFile{af}); err != nil {
				return err
			}
		case strings.HasSuffix(name, ".wasm"), strings.HasSuffix(name, ".wat"):
			// Binary WIT packages are not read; a reference to a package
			// they would provide fails and names them.
			r.skipped = append(r.skipped, p)
		}
	}
	return nil
}

// group turns the files of one package (a directory or a single file) into
// packages: the main one and the nested `package x:y { … }` blocks.
func (r *resolver) group(where string, files []*astFile) ([]*pkg, error) {
	var main *pkg
	var decl *astFile
	docFiles := 0
	for _, af := range files {
		if af.decl == nil {
			continue
		}
		if len(af.decl.docs) > 0 {
			docFiles++
			if docFiles > 1 {
				return nil, af.file.errorf(int(af.decl.docsPos), "found doc comments on multiple 'package' items")
			}
		}
		if decl == nil {
			decl = af
			main = &pkg{name: af.decl.name, file: af.file}
			continue
		}
		if af.decl.name.key() != decl.decl.name.key() {
			return nil, af.file.errorf(int(af.decl.name.pos), "package identifier `%s` does not match previous package name of `%s`", af.decl.name, decl.decl.name)
		}
	}
	var out []*pkg
	for _, af := range files {
		if len(af.items) > 0 && main == nil {
			return nil, &Error{File: where, Msg: "no `package` header was found in any WIT file for this package"}
		}
		for _, n := range af.nested {
			np := &pkg{name: n.decl.name, file: af.file}
			for _, it := range n.items {
				np.items = append(np.items, fileItem{af.file, it})
			}
			np.files = append(np.files, &fileScope{file: af.file, items: n.items})
			out = append(out, np)
		}
		if main != nil {
			if main.items == nil && len(af.items) > 0 {
				main.items = itemsOf(af) // the first file with items: nothing to grow
			} else {
				main.items = append(main.items, itemsOf(af)...)
			}
			main.files = append(main.files, &fileScope{file: af.file, items: af.items})
		}
	}
	if main != nil {
		out = append(out, main)
	}
	if len(out) == 0 {
		return nil, &Error{File: where, Msg: "no `package` header was found in any WIT file for this package"}
	}
	for _, p := range out {
		key := p.name.key()
		if prev, ok := r.pkgs[key]; ok {
			return nil, p.file.errorf(int(p.name.pos), "package `%s` is defined in two different locations: %s and %s", p.name, prev.file.name, p.file.name)
		}
		r.pkgs[key] = p
		r.order = append(r.order, p)
	}
	return out, nil
}

func itemsOf(af *astFile) []fileItem {
	out := make([]fileItem, len(af.items))
	for i, it := range af.items {
		out[i] = fileItem{af.file, it}
	}
	return out
}
