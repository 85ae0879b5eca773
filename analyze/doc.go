// Package analyze opens wfcompat's inputs and tells their kinds apart: core
// Wasm modules and components (by magic and layer bytes), WIT files and
// directories, and (later) JSON manifests. It hands the bytes to the
// decoders in its subpackages (analyze/core, analyze/component) and builds
// the input's world (wit.World).
//
// analyze knows bytes and offsets; it knows nothing of upgrades.
package analyze
