//go:build !wasmtools

package cli

import "errors"

// errNoWasmTools answers WFCOMPAT_WIT_READER=wasm-tools in a build
// without the wasm-tools reader.
var errNoWasmTools = errors.New(witReaderEnv + "=wasm-tools: this wfcompat was built without the wasm-tools reader; build with -tags wasmtools")

// witReadersFor returns the WIT readers for WFCOMPAT_WIT_READER=env. This
// build reads WIT natively only (it does not link go.bytecodealliance.org):
// WIT that needs a binary WIT package under deps/ fails with an error
// saying how to convert it.
func witReadersFor(env string) (witReaders, error) {
	if env == "wasm-tools" {
		return witReaders{}, errNoWasmTools
	}
	return witReaders{}, nil
}
