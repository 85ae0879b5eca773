package cli

import (
	"bytes"
	"io"
	"os"
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
	// MaxInputSize bounds the size of an input file (--max-input-size;
	// 0: analyze.DefaultMaxInputSize).
	MaxInputSize int64
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
	}
}

// Test returns an IO over fresh buffers, not a terminal.
func Test() (*IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IO{In: &bytes.Buffer{}, Out: &out, Err: &errb, Getwd: os.Getwd}, &out, &errb
}

func isTerminal(f *os.File) bool {
	// A character device is a terminal for our purposes; this avoids a
	// dependency on golang.org/x/term for one bit of information.
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	return os.Getenv("TERM") != "dumb" && os.Getenv("NO_COLOR") == ""
}
