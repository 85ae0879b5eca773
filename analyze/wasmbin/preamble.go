package wasmbin

import (
	"bytes"
	"fmt"
)

// Kind is the kind of an input wfcompat reads. The binary kinds are told
// apart by the preamble (Sniff); KindWIT is the text form of a world.
type Kind string

// Input kinds. The manifest records them as strings (artifact.kind).
const (
	KindCore      Kind = "core"      // a core WebAssembly module
	KindComponent Kind = "component" // a Component Model binary (layer 1)
	KindWIT       Kind = "wit"       // a .wit file or a directory of them
)

// Kinds lists every kind, in the order documents list them.
func Kinds() []Kind { return []Kind{KindCore, KindComponent, KindWIT} }

// Preamble lengths and contents.
var (
	// Magic is the 4-byte magic number every Wasm binary starts with.
	Magic = [4]byte{0, 'a', 's', 'm'}
	// CoreHeader is the preamble of a core module (version 1).
	CoreHeader = [8]byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	// ComponentHeader is the preamble of a component (version 0x0d, layer 1).
	ComponentHeader = [8]byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0}
)

// PreambleSize is the length of the preamble: magic, version and layer.
const PreambleSize = 8

// KindOf returns the kind b's preamble names, or "" when b does not start
// with a core or component preamble.
func KindOf(b []byte) Kind {
	switch {
	case bytes.HasPrefix(b, CoreHeader[:]):
		return KindCore
	case bytes.HasPrefix(b, ComponentHeader[:]):
		return KindComponent
	}
	return ""
}

// Sniff tells a core module from a component by the preamble of b. It
// returns a *FormatError (offset 0, 4, or the end of a short input) for
// anything that is not Wasm.
func Sniff(b []byte) (Kind, error) {
	if len(b) < 4 || !bytes.Equal(b[:4], Magic[:]) {
		if bytes.HasPrefix(Magic[:], b) {
			return "", truncated(b)
		}
		v := fmt.Sprintf("% x", b[:min(len(b), 4)])
		return "", &FormatError{Off: 0, Msg: "bad magic number, not a WebAssembly binary: " + v, Val: v}
	}
	if len(b) < PreambleSize {
		return "", truncated(b)
	}
	if k := KindOf(b); k != "" {
		return k, nil
	}
	v := fmt.Sprintf("% x", b[4:8])
	return "", &FormatError{Off: 4, Msg: "unknown WebAssembly version/layer (want 01 00 00 00 for a core module, 0d 00 01 00 for a component): " + v, Val: v}
}

func truncated(b []byte) *FormatError {
	return &FormatError{Off: int64(len(b)), Msg: fmt.Sprintf("truncated preamble: need 8 bytes, file has %d", len(b)), Val: len(b)}
}
