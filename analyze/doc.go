// Package analyze opens wfcompat's inputs and tells their kinds apart: core
// Wasm modules and components (by magic and layer bytes, analyze/wasmbin),
// WIT files and directories, and wfcompat manifests (JSON files, or the
// wfcompat:manifest section of a binary) read through Options.Manifests.
// It hands the bytes to the decoders in its subpackages (analyze/core,
// analyze/component) and builds the input's world (wit.World).
//
// analyze knows bytes and offsets; it knows nothing of upgrades, and it
// imports no package built on its results (manifest, compat).
package analyze
