// Package wasmtools reads WIT, and the world of a component binary, through
// the wasm-tools 1.230 that go.bytecodealliance.org embeds (compiled to
// Wasm, run by wazero), and converts the result to wfcompat's world model
// (package wit).
//
// It is not wfcompat's WIT reader: WIT is read natively by wit/witparse,
// about 50× faster, and component binaries by analyze/component. This
// package is
//
//   - the oracle of the tests: the native readers are held against LoadWIT
//     (differential and cross-check tests), and its wasm-tools is the
//     semver-check oracle of compat's tests;
//   - optional in the wfcompat command: only a build with -tags wasmtools
//     links it, for the escape hatch WFCOMPAT_WIT_READER=wasm-tools and for
//     WIT whose deps/ hold binary WIT packages (.wasm, .wat), which
//     wit/witparse does not read. The default build does not link
//     go.bytecodealliance.org (its package initialization and size cost
//     every run's start-up).
//
// LoadWIT serializes its calls: the embedded wasm-tools is one
// process-wide wazero instance.
package wasmtools
