// Package helperpath finds the helper executables the wfcompat command
// runs (wfcompat-oci for oci:// sources, wfcompat-full for the commands a
// lean build hands over), all in one order: a path given explicitly (an
// option, an environment variable), then the directory of the running
// executable (and the directory its symbolic links lead to, so that a
// link on PATH to an unpacked release archive finds the archive's other
// executables), then PATH. It only looks: it runs nothing.
package helperpath

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Explicit is a path given for the helper, and what gave it (an option or
// an environment variable's name, for the error).
type Explicit struct {
	Path, From string
}

// NotFoundError says that the helper was looked for beside the running
// executable and on PATH, and not found.
type NotFoundError struct {
	// Name is the helper's name, without .exe.
	Name string
	// Dirs are the directories looked in before PATH: the running
	// executable's, and the one its symbolic links lead to when it
	// differs (none when os.Executable failed).
	Dirs []string
}

// Where says where the helper was looked for: "in DIR or on PATH".
func (e *NotFoundError) Where() string {
	if len(e.Dirs) == 0 {
		return "on PATH"
	}
	return "in " + strings.Join(e.Dirs, ", ") + " or on PATH"
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s not found (not %s)", e.Name, e.Where())
}

// Find returns the path of the helper executable name (name.exe on
// Windows): the first non-empty explicit path, which must name an
// executable (a bare name is looked up on PATH); else name in the
// directory of the running executable (os.Executable), then in the
// directory its symbolic links lead to; else name on PATH. An explicit
// path that does not name an executable is an error naming it and where
// it came from; a helper found nowhere is a *NotFoundError.
func Find(name string, explicit ...Explicit) (string, error) {
	for _, x := range explicit {
		if x.Path == "" {
			continue
		}
		p, err := exec.LookPath(x.Path)
		if err != nil {
			return "", fmt.Errorf("%s (from %s): %w", x.Path, x.From, err)
		}
		return p, nil
	}
	exeName := name
	if runtime.GOOS == "windows" {
		exeName += ".exe"
	}
	nf := &NotFoundError{Name: name}
	if exe, err := os.Executable(); err == nil {
		nf.Dirs = []string{filepath.Dir(exe)}
		if real, err := filepath.EvalSymlinks(exe); err == nil && filepath.Dir(real) != nf.Dirs[0] {
			nf.Dirs = append(nf.Dirs, filepath.Dir(real))
		}
		for _, d := range nf.Dirs {
			if p, err := exec.LookPath(filepath.Join(d, exeName)); err == nil {
				return p, nil
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", nf
}
