package wasmbin

import "fmt"

// FormatError reports malformed or unsupported input, modeled on
// debug/elf.FormatError. Every decoder of wfcompat returns this type.
type FormatError struct {
	// Off is the absolute offset of the byte where the problem starts: in
	// the input the decoder was given (or the base offset it was told).
	Off int64
	// Msg describes the problem; it already includes any value involved.
	Msg string
	// Val is the offending value when there is one (a count, a byte, an
	// index), for callers that want it without parsing Msg.
	Val any
}

// Error returns "offset 0x<Off>: <Msg>".
func (e *FormatError) Error() string {
	return fmt.Sprintf("offset 0x%x: %s", e.Off, e.Msg)
}

// Errorf returns a *FormatError at off with the formatted message.
func Errorf(off int, val any, format string, args ...any) *FormatError {
	return &FormatError{Off: int64(off), Msg: fmt.Sprintf(format, args...), Val: val}
}
