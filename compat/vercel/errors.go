package vercel

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Error is malformed input: a manifest or an event list. Its message is one
// line naming the file, the line and column, and the byte offset:
// "events.json:12:7 (byte 311): ...".
type Error struct {
	File string
	// Offset is the byte offset in the file, -1 when the error concerns
	// the whole file.
	Offset int64
	Err    error
	src    []byte
}

func (e *Error) Error() string {
	msg := strings.Join(strings.Fields(e.Err.Error()), " ")
	if e.src == nil || e.Offset < 0 {
		return e.File + ": " + msg
	}
	line, col := position(e.src, e.Offset)
	return fmt.Sprintf("%s:%d:%d (byte %d): %s", e.File, line, col, e.Offset, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// position returns the 1-based line and byte column of off in src.
func position(src []byte, off int64) (line, col int) {
	if off > int64(len(src)) {
		off = int64(len(src))
	}
	if off < 0 {
		off = 0
	}
	before := src[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
