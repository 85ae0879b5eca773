// Package testbuild builds the module's commands for the tests and
// benchmarks that run them as processes: the release layout's tests, the
// lean build's hand-over tests, the process benchmarks. It runs the go
// command; callers skip when it is not there (Available).
package testbuild

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sync"
)

// A Build is one way of building a command.
type Build struct {
	// Tags are the build tags (-tags), "" for none.
	Tags string
	// Env is added to the environment of go build (CGO_ENABLED=0).
	Env []string
	// Flags are more go build flags (-trimpath, -ldflags=-s -w).
	Flags []string
	// Copied replaces the built file with a copy written by write(2), as
	// a release archive or an image layer delivers it: the kernel's page
	// cache holds such a file differently from the one the linker wrote
	// through a memory mapping, and its process starts about 1 ms sooner
	// (wit/witparse's BenchmarkDiffProcess).
	Copied bool
}

// Release builds as .goreleaser.yaml and the Dockerfile do: static (no
// cgo), trimmed paths, no symbol tables, delivered as a copy. Add the tags
// of the executable: lean for wfcompat, none for wfcompat-full.
var Release = Build{Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-trimpath", "-ldflags=-s -w"}, Copied: true}

// WithTags returns b with tags.
func (b Build) WithTags(tags string) Build {
	b.Tags = tags
	b.Env = slices.Clip(b.Env)
	b.Flags = slices.Clip(b.Flags)
	return b
}

// Available reports whether the go command is on PATH.
func Available() bool {
	_, err := exec.LookPath("go")
	return err == nil
}

// Command builds the package pkg (an import path of this module, such as
// github.com/wfcompat/wfcompat/cmd/wfcompat) to the file out. The go
// command runs in the working directory, which must be inside the module
// (a test's is). A failure carries go build's output.
func (b Build) Command(out, pkg string) error {
	args := append([]string{"build", "-o", out}, b.Flags...)
	if b.Tags != "" {
		args = append(args, "-tags", b.Tags)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Env = append(os.Environ(), b.Env...)
	if outb, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %v: %v\n%s", cmd.Args[1:], err, outb)
	}
	if b.Copied {
		return copyFile(out)
	}
	return nil
}

// Exe returns name as an executable file is called on this system (with
// .exe on Windows).
func Exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// Once builds into a temporary directory once per test binary, when the
// first test that needs what it holds asks (Do); the package's TestMain
// removes the directory after the tests (Remove). The zero value is ready
// to use.
type Once struct {
	once sync.Once
	dir  string
	err  error
}

// Do, called the first time, makes a temporary directory and runs build
// with it; it returns the directory, or the error of making it or of
// build, then and on every later call.
func (o *Once) Do(build func(dir string) error) (string, error) {
	o.once.Do(func() {
		dir, err := os.MkdirTemp("", "wfcompat-testbuild-")
		if err != nil {
			o.err = err
			return
		}
		o.dir = dir
		o.err = build(dir)
	})
	return o.dir, o.err
}

// Remove removes the directory Do made, if it made one.
func (o *Once) Remove() {
	if o.dir != "" {
		os.RemoveAll(o.dir)
	}
}

// copyFile replaces the executable at path with a copy written by
// write(2).
func copyFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	tmp := path + ".copy"
	if err := os.WriteFile(tmp, data, 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
