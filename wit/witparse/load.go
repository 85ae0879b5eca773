package witparse

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// Options tune loading.
type Options struct {
	// Features lists the @unstable features to enable.
	Features []string
	// AllFeatures enables every @unstable feature (as `wasm-tools
	// component wit --all-features` and go.bytecodealliance.org's LoadWIT).
	AllFeatures bool
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

// MaxFileSize bounds one WIT file; larger files are refused before reading.
const MaxFileSize = 64 << 20

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
func Load(path string, opts Options) (*Resolve, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	r := newResolver(opts)
	var main []*pkg
	if st.IsDir() {
		main, err = r.loadDir(path, true)
	} else {
		var af *astFile
		if af, err = readFile(path); err == nil {
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
	af, err := parseFile(&srcFile{name: name, text: text})
	if err != nil {
		return nil, err
	}
	r := newResolver(opts)
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
	r, err := LoadString(path, string(src), Options{AllFeatures: true})
	if err != nil {
		return nil, err
	}
	return r.World(world)
}

func readFile(path string) (*astFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit", st.Size(), MaxFileSize)}
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
			return nil, err
		}
		if len(b) > MaxFileSize {
			return nil, &Error{File: path, Msg: fmt.Sprintf("file is larger than the %d-byte limit", MaxFileSize)}
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
	return parseFile(&srcFile{name: path, text: string(b)})
}

// loadDir parses the .wit files of dir as one package (plus the nested
// packages they declare) and, with deps, the packages under dir/deps.
func (r *resolver) loadDir(dir string, deps bool) ([]*pkg, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []*astFile
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".wit") {
			continue
		}
		af, err := readFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, af)
	}
	main, err := r.group(dir, files)
	if err != nil {
		return nil, err
	}
	if deps {
		if err := r.loadDeps(filepath.Join(dir, "deps")); err != nil {
			return nil, err
		}
	}
	return main, nil
}

// loadDeps reads every package under a deps/ directory: each .wit file is
// a package (flat layout), each directory a package directory (nested
// layout); other files are ignored.
func (r *resolver) loadDeps(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(p); err == nil {
				isDir = st.IsDir()
			}
		}
		switch {
		case isDir:
			// A package directory; like wit-parser, its own deps/ is not
			// read (dependencies are all listed in the top deps/).
			if _, err := r.loadDir(p, false); err != nil {
				return err
			}
		case strings.HasSuffix(p, ".wit"):
			af, err := readFile(p)
			if err != nil {
				return err
			}
			if _, err := r.group(p, []*astFile{af}); err != nil {
				return err
			}
		case strings.HasSuffix(p, ".wasm"), strings.HasSuffix(p, ".wat"):
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
		if af.decl.name.String() != decl.decl.name.String() {
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
			main.items = append(main.items, itemsOf(af)...)
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
		key := p.name.String()
		if prev, ok := r.pkgs[key]; ok {
			return nil, p.file.errorf(int(p.name.pos), "package `%s` is defined in two different locations: %s and %s", key, prev.file.name, p.file.name)
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
