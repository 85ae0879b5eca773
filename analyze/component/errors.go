package component

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// FormatError reports a malformed or unsupported component binary. It has
// the shape of analyze/core's FormatError.
type FormatError struct {
	// Off is the absolute offset, in the input to Decode, of the byte where
	// the problem starts.
	Off int64
	// Msg describes the problem; it already includes any value involved.
	Msg string
	// Val is the offending value when there is one (a byte, a count, an
	// index), for callers that want it without parsing Msg.
	Val any
}

// Error returns "offset 0x<Off>: <Msg>".
func (e *FormatError) Error() string {
	return fmt.Sprintf("offset 0x%x: %s", e.Off, e.Msg)
}

func errorf(off int, val any, format string, args ...any) *FormatError {
	return &FormatError{Off: int64(off), Msg: fmt.Sprintf(format, core.CutArgs(args)...), Val: val}
}
