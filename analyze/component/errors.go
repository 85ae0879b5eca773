package component

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
	"github.com/wfcompat/wfcompat/internal/quote"
)

// FormatError reports a malformed or unsupported component binary:
// wfcompat's one decode error (wasmbin.FormatError), with Off the absolute
// offset in the input to Decode.
type FormatError = wasmbin.FormatError

func errorf(off int, val any, format string, args ...any) *FormatError {
	return &FormatError{Off: int64(off), Msg: fmt.Sprintf(format, quote.Args(args)...), Val: val}
}
