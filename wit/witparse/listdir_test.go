//go:build unix

package witparse

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// writeTree makes the files of tree under dir: a value ending in "/" is a
// directory, one starting with "->" a symlink to the rest, any other the
// contents of a file.
func writeTree(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for name, v := range tree {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasSuffix(v, "/"):
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(v, "->"):
			err = os.Symlink(filepath.FromSlash(v[2:]), p)
		default:
			err = os.WriteFile(p, []byte(v), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// mixedTree is a WIT directory with everything a listing must type: .wit
// files, other files, subdirectories the reader skips, flat and nested
// deps/ (a nested package with its own deps/, which is not read), a
// symlinked .wit file and a symlinked package directory.
var mixedTree = map[string]string{
	"main.wit": `package app:main;

world app {
  import dep:flat/api;
  import dep:nested/clock;
  import dep:linked/x;
  import local;
  import aliased;
  export run: func() -> u32;
}
`,
	"local.wit":                  "interface local {\n  type id = u64;\n}\n",
	"alias.wit":                  "->shared/aliased.wit",
	"shared/aliased.wit":         "interface aliased {\n  f: func();\n}\n",
	"README.md":                  "# not WIT\n",
	"main.wit.orig":              "not WIT either",
	"sub/deeper/x.wit":           "this is not read: ((",
	"sub/empty/":                 "/",
	"deps/flat.wit":              "package dep:flat;\n\ninterface api {\n  get: func(k: string) -> option<string>;\n}\n",
	"deps/notes.txt":             "ignored",
	"deps/nested/a.wit":          "package dep:nested;\n\ninterface clock {\n  use types.{instant};\n  now: func() -> instant;\n}\n",
	"deps/nested/b.wit":          "interface types {\n  type instant = u64;\n}\n",
	"deps/nested/README":         "ignored",
	"deps/nested/deps/z.wit":     "not read (( either",
	"deps/nested/sub/":           "/",
	"deps/linked":                "->../vendor/linked",
	"vendor/linked/x.wit":        "package dep:linked;\n\ninterface x {\n  record r {\n    a: u8,\n  }\n  f: func(r: r);\n}\n",
	"vendor/linked/doc/info.txt": "ignored",
}

// loadWith loads path as Load does, with entry types from the listing or
// (untyped) from lstat, and returns what it resolved as JSON.
func loadWith(t *testing.T, path string, untyped bool) (string, error) {
	t.Helper()
	r := newResolver(Options{AllFeatures: true})
	r.untypedListing = untyped
	res, err := r.load(path)
	if err != nil {
		return "", err
	}
	w, err := res.World("")
	if err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(struct {
		Packages []*Package
		World    any
	}{res.Packages, w}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b), nil
}

// TestListDirUntyped: every directory of the mixed tree lists the same
// through the types getdents reports and through lstat (the path for a
// file system that reports DT_UNKNOWN), and those are the types lstat
// gives each entry.
func TestListDirUntyped(t *testing.T) {
	top := t.TempDir()
	writeTree(t, top, mixedTree)
	kinds := map[fs.FileMode]int{}
	err := filepath.WalkDir(top, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		buf := make([]byte, 64) // small: several reads of a directory
		fd1, typed, err := listDir(dir, buf, false)
		if err != nil {
			return err
		}
		closeDir(fd1)
		fd2, untyped, err := listDir(dir, buf, true)
		if err != nil {
			return err
		}
		closeDir(fd2)
		if d := cmp.Diff(typed, untyped, cmp.AllowUnexported(dirEnt{})); d != "" {
			t.Errorf("%s (-typed +untyped):\n%s", dir, d)
		}
		for _, e := range typed {
			st, err := os.Lstat(filepath.Join(dir, e.name))
			if err != nil {
				return err
			}
			if st.Mode().Type() != e.typ {
				t.Errorf("%s: %s listed as %v, lstat says %v", dir, e.name, e.typ, st.Mode().Type())
			}
			kinds[e.typ]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The tree must hold every kind of entry, or the test proves little.
	for _, k := range []fs.FileMode{0, fs.ModeDir, fs.ModeSymlink} {
		if kinds[k] == 0 {
			t.Errorf("no entry of type %v listed", k)
		}
	}
}

// TestLoadUntyped: loading the mixed tree, and each hostile variant of
// it, gives the same result (or the same error) whether the walk takes
// entry types from the listing or from lstat.
func TestLoadUntyped(t *testing.T) {
	for _, c := range []struct {
		name  string
		extra map[string]string
		fifo  string // a FIFO made at this path
		err   string // the error, both ways; "" for success
	}{
		{name: "mixed"},
		{name: "symlink out", extra: map[string]string{"sub/out": "->../../.."}, err: "sub/out: a symlink out of the WIT directory"},
		{name: "dangling symlink", extra: map[string]string{"deps/gone.wit": "->nothing.wit"}, err: "deps/gone.wit: a symlink that does not resolve"},
		{name: "FIFO in a subdirectory", fifo: "sub/deeper/pipe", err: "sub/deeper/pipe: a FIFO"},
		{name: "symlink to a FIFO", fifo: "vendor/pipe", extra: map[string]string{"deps/p.wit": "->../vendor/pipe"}, err: "deps/p.wit: a FIFO"},
	} {
		t.Run(c.name, func(t *testing.T) {
			top := t.TempDir()
			writeTree(t, top, mixedTree)
			writeTree(t, top, c.extra)
			if c.fifo != "" {
				if err := syscall.Mkfifo(filepath.Join(top, filepath.FromSlash(c.fifo)), 0o600); err != nil {
					t.Skip(err)
				}
			}
			typed, terr := loadWith(t, top, false)
			untyped, uerr := loadWith(t, top, true)
			if c.err == "" {
				if terr != nil || uerr != nil {
					t.Fatalf("typed: %v; untyped: %v", terr, uerr)
				}
				for _, want := range []string{`"dep:flat"`, `"dep:nested"`, `"dep:linked"`, `"app:main/aliased"`, `"app:main/local"`, `"dep:nested/types"`} {
					if !strings.Contains(typed, want) {
						t.Errorf("the load lacks %s:\n%s", want, typed)
					}
				}
				if strings.Contains(typed, "sub/") || strings.Contains(typed, "z.wit") {
					t.Errorf("the load read a file it must skip:\n%s", typed)
				}
			} else {
				want := top + ": " + filepath.FromSlash(c.err)
				if terr == nil || !strings.HasPrefix(terr.Error(), want) {
					t.Errorf("typed: got %v, want %s…", terr, want)
				}
				if uerr == nil || terr != nil && uerr.Error() != terr.Error() {
					t.Errorf("untyped: got %v, want %v", uerr, terr)
				}
			}
			if typed != untyped {
				t.Errorf("results differ:\ntyped:\n%s\nuntyped:\n%s", typed, untyped)
			}
		})
	}
}

// TestWalkUntyped: the walk keeps the same listings (the top, deps/ and
// its package directories) both ways.
func TestWalkUntyped(t *testing.T) {
	top := t.TempDir()
	writeTree(t, top, mixedTree)
	lists := func(untyped bool) map[string][]dirEnt {
		w := &walker{top: top, untyped: untyped}
		defer w.close()
		if err := w.walk(top, ""); err != nil {
			t.Fatal(err)
		}
		out := map[string][]dirEnt{}
		for _, l := range w.lists {
			rel, _ := filepath.Rel(top, l.dir)
			out[filepath.ToSlash(rel)] = l.ents
		}
		return out
	}
	typed, untyped := lists(false), lists(true)
	if d := cmp.Diff(typed, untyped, cmp.AllowUnexported(dirEnt{})); d != "" {
		t.Errorf("(-typed +untyped):\n%s", d)
	}
	var dirs []string
	for d := range typed {
		dirs = append(dirs, d)
	}
	if d := cmp.Diff([]string{".", "deps", "deps/nested"}, dirs, cmpopts.SortSlices(func(a, b string) bool { return a < b })); d != "" {
		t.Errorf("directories kept (-want +got):\n%s", d)
	}
}
