package analyze

import (
	"bytes"
	"fmt"
)

// Kind is the kind of an input.
type Kind string

// Input kinds.
const (
	KindCore      Kind = "core"      // a core WebAssembly module
	KindComponent Kind = "component" // a Component Model binary (layer 1)
	KindWIT       Kind = "wit"       // a .wit file or a directory of them
)

var wasmMagic = []byte("\x00asm")

// Sniff tells a core module from a component by the preamble of b. It
// returns an *Error (offset 0 or 4) for anything that is not Wasm.
func Sniff(b []byte) (Kind, error) {
	if len(b) < 4 || !bytes.Equal(b[:4], wasmMagic) {
		if bytes.HasPrefix(wasmMagic, b) {
			return "", &FormatError{Off: int64(len(b)), Msg: fmt.Sprintf("truncated preamble: need 8 bytes, file has %d", len(b))}
		}
		return "", &FormatError{Off: 0, Msg: "bad magic number, not a WebAssembly binary", Val: fmt.Sprintf("% x", b[:min(len(b), 4)])}
	}
	if len(b) < 8 {
		return "", &FormatError{Off: int64(len(b)), Msg: fmt.Sprintf("truncated preamble: need 8 bytes, file has %d", len(b))}
	}
	switch {
	case bytes.Equal(b[4:8], []byte{1, 0, 0, 0}):
		return KindCore, nil
	case bytes.Equal(b[4:8], []byte{0x0d, 0, 1, 0}):
		return KindComponent, nil
	}
	return "", &FormatError{Off: 4, Msg: "unknown WebAssembly version/layer (want 01 00 00 00 for a core module, 0d 00 01 00 for a component)", Val: fmt.Sprintf("% x", b[4:8])}
}

// FormatError is a malformed-input error at a byte offset, for the checks
// this package makes itself (the decoders have their own, of the same shape).
type FormatError struct {
	Off int64
	Msg string
	Val any
}

func (e *FormatError) Error() string {
	if e.Val != nil {
		return fmt.Sprintf("offset 0x%x: %s: %v", e.Off, e.Msg, e.Val)
	}
	return fmt.Sprintf("offset 0x%x: %s", e.Off, e.Msg)
}
