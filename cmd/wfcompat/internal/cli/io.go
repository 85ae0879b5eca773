package cli

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IO is where a command reads and writes. Tests build one over buffers.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// OutTTY and ErrTTY report whether Out and Err are terminals: color and
	// progress output appear only there.
	OutTTY bool
	ErrTTY bool
	// Getwd returns the working directory (for finding wfcompat.yaml).
	Getwd func() (string, error)
	// Getenv reads an environment variable (WFCOMPAT_CONFIG,
	// GITHUB_STEP_SUMMARY); nil reads none.
	Getenv func(string) string
	// MaxInputSize bounds the size of an input file (--max-input-size;
	// 0: analyze.DefaultMaxInputSize).
	MaxInputSize int64

	// wit are the WIT readers of the run besides the native one, chosen
	// before the command runs (witreader.go).
	wit witReaders
	// witFeatures are the @unstable features WIT is read with
	// (--wit-features, --all-wit-features, else the configuration's
	// wit_features; the zero value: every one).
	witFeatures witFeatureFlags
	// args are the command line's arguments (os.Args[1:]), as Main was
	// given them: a lean build hands them to wfcompat-full as they are.
	args []string
	// execFull, when set (by tests), replaces the hand-over of a lean
	// build to wfcompat-full at path (execFull in exec_unix.go and
	// exec_other.go): argv are the arguments (argv[0] included), env the
	// environment.
	execFull func(io *IO, path string, argv, env []string) error
	// beforeCommit, when set (by tests), runs when a command's output
	// files are written to their temporary files, before they are
	// renamed into place: a test interrupts the command there.
	beforeCommit func()
}

// System returns the process's standard streams.
func System() *IO {
	return &IO{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		OutTTY: isTerminal(os.Stdout),
		ErrTTY: isTerminal(os.Stderr),
		Getwd:  os.Getwd,
		Getenv: os.Getenv,
	}
}

// getenv reads an environment variable through io.Getenv.
func (io *IO) getenv(name string) string {
	if io.Getenv == nil {
		return ""
	}
	return io.Getenv(name)
}

// Test returns an IO over fresh buffers, not a terminal.
func Test() (*IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IO{In: &bytes.Buffer{}, Out: &out, Err: &errb, Getwd: os.Getwd}, &out, &errb
}

// isTerminal reports whether f is a terminal that takes color and
// progress output: golang.org/x/term says it is a terminal, and neither
// TERM=dumb nor NO_COLOR asks for plain output.
func isTerminal(f *os.File) bool {
	if !term.IsTerminal(int(f.Fd())) {
		return false
	}
	return os.Getenv("TERM") != "dumb" && os.Getenv("NO_COLOR") == ""
}
