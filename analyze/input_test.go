//go:build unix

package analyze

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

// TestHostileWITDir: a WIT directory holding anything but regular files
// and directories, or a symlink that dangles or leads out of it, is
// refused before a file is read, with the entry's place in the directory
// and never what a symlink points at; the same with either WIT reader
// (witparse checks as it lists, checkWITDir before wasmtools.LoadWIT).
func TestHostileWITDir(t *testing.T) {
	const good = "package a:b;\nworld w { export f: func(); }\n"
	outside := filepath.Join(t.TempDir(), "secret.wit")
	if err := os.WriteFile(outside, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	type entry struct{ path, symlink, content string }
	fifo := entry{path: "deps/x/q.wit", content: "fifo"}
	tests := []struct {
		name    string
		entries []entry
		want    string // after "DIR: "
	}{
		{"symlink out", []entry{{path: "b.wit", symlink: outside}}, "b.wit: a symlink out of the WIT directory; wfcompat does not follow those"},
		{"symlink out in deps", []entry{{path: "deps/z.wit", symlink: "/dev/zero"}}, "deps/z.wit: a symlink out of the WIT directory; wfcompat does not follow those"},
		{"dangling", []entry{{path: "deps/gone.wit", symlink: "nowhere.wit"}}, "deps/gone.wit: a symlink that does not resolve"},
		{"dangling, not WIT", []entry{{path: "docs/readme", symlink: "nowhere"}}, "docs/readme: a symlink that does not resolve"},
		{"FIFO", []entry{fifo}, "deps/x/q.wit: a FIFO, not a regular file: wfcompat reads inputs from regular files only"},
		{"symlink to a FIFO", []entry{fifo, {path: "deps/y.wit", symlink: "x/q.wit"}}, "deps/x/q.wit: a FIFO, not a regular file: wfcompat reads inputs from regular files only"},
		{"symlinks inside", []entry{{path: "more/x.wit", content: "package a:b;\ninterface x {}\n"}, {path: "b.wit", symlink: "more/x.wit"}, {path: "pkgs/c/c.wit", content: "package c:d;\ninterface i {}\n"}, {path: "deps/d", symlink: "../pkgs/c"}}, ""},
	}
	for _, reader := range []string{"native", "wasm-tools"} {
		for _, tc := range tests {
			t.Run(reader+"/"+tc.name, func(t *testing.T) {
				if reader == "wasm-tools" && tc.want == "" {
					t.Skip("a valid directory: only the checks are compared")
				}
				opts := Options{World: "w"}
				if reader == "wasm-tools" {
					opts.WITReader = wasmtools.LoadWIT
				}
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "a.wit"), []byte(good), 0o644); err != nil {
					t.Fatal(err)
				}
				for _, e := range tc.entries {
					p := filepath.Join(dir, filepath.FromSlash(e.path))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					var err error
					switch {
					case e.symlink != "":
						err = os.Symlink(e.symlink, p)
					case e.content == "fifo":
						err = syscall.Mkfifo(p, 0o600)
					default:
						err = os.WriteFile(p, []byte(e.content), 0o644)
					}
					if err != nil {
						t.Skip(err)
					}
				}
				_, err := Open(dir, opts)
				if tc.want == "" {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				if want := dir + ": " + tc.want; err == nil || err.Error() != want {
					t.Errorf("got %v\nwant %s", err, want)
				}
			})
		}
	}
}
