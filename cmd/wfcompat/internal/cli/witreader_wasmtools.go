//go:build wasmtools

package cli

import "github.com/wfcompat/wfcompat/wit/wasmtools"

// witReadersFor returns the WIT readers for WFCOMPAT_WIT_READER=env. This
// build links the wasm-tools that go.bytecodealliance.org embeds
// (wit/wasmtools): it reads WIT that needs a binary WIT package under
// deps/, which the native reader does not, and with env "wasm-tools" it
// reads all WIT (an escape hatch should the two readers disagree; about
// 50× slower).
func witReadersFor(env string) (witReaders, error) {
	r := witReaders{fallback: wasmtools.LoadWIT}
	if env == "wasm-tools" {
		r.reader = wasmtools.LoadWIT
	}
	return r, nil
}
