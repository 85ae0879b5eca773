package analyze

import "github.com/wfcompat/wfcompat/analyze/wasmbin"

// Kind is the kind of an input (wasmbin.Kind: the one list of kinds).
type Kind = wasmbin.Kind

// Input kinds.
const (
	KindCore      = wasmbin.KindCore      // a core WebAssembly module
	KindComponent = wasmbin.KindComponent // a Component Model binary (layer 1)
	KindWIT       = wasmbin.KindWIT       // a .wit file or a directory of them
)

// Sniff tells a core module from a component by the preamble of b. It
// returns a *wasmbin.FormatError (offset 0 or 4) for anything that is not
// Wasm.
func Sniff(b []byte) (Kind, error) { return wasmbin.Sniff(b) }
