package core

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
	"github.com/wfcompat/wfcompat/internal/quote"
)

// FormatError reports malformed or unsupported input: wfcompat's one
// decode error (wasmbin.FormatError), with Off the absolute offset in the
// input to Decode, or relative to the offset an InstrReader was given.
type FormatError = wasmbin.FormatError

// errorf returns a *FormatError at off.
func errorf(off int, val any, format string, args ...any) *FormatError {
	return &FormatError{Off: int64(off), Msg: fmt.Sprintf(format, quote.Args(args)...), Val: val}
}
