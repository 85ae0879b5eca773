package core

import (
	"fmt"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
)

// FormatError reports malformed or unsupported input: wfcompat's one
// decode error (wasmbin.FormatError), with Off the absolute offset in the
// input to Decode, or relative to the offset an InstrReader was given.
type FormatError = wasmbin.FormatError

// errorf returns a *FormatError at off.
func errorf(off int, val any, format string, args ...any) *FormatError {
	return &FormatError{Off: int64(off), Msg: fmt.Sprintf(format, CutArgs(args)...), Val: val}
}

// MaxQuoted bounds the bytes of input (names, numbers) an error message
// quotes: a 500 KB name must not come back as a 500 KB line.
const MaxQuoted = 64

// CutArgs shortens the string arguments of an error message with Cut. It
// modifies and returns args.
func CutArgs(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) > MaxQuoted {
			args[i] = Cut(s)
		}
	}
	return args
}

// Cut returns s, or, when it is longer than MaxQuoted bytes, its beginning
// and end around "…" followed by its length; cuts fall on UTF-8 boundaries.
func Cut(s string) string {
	if len(s) <= MaxQuoted {
		return s
	}
	head, tail := MaxQuoted*2/3, MaxQuoted/3
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	t := len(s) - tail
	for t < len(s) && !utf8.RuneStart(s[t]) {
		t++
	}
	return fmt.Sprintf("%s…%s (%d bytes)", s[:head], s[t:], len(s))
}
