//go:build lean && wasmtools

package cli

// The lean front (-tags lean) exists to link no Wasm runtime, and the
// wasm-tools WIT reader (-tags wasmtools) runs wasm-tools on wazero: the
// two tags do not combine. Build the complete command with -tags
// wasmtools instead.
var _ = leanAndWasmtoolsTagsDoNotCombine_buildWithoutLean
