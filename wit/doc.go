// Package wit holds wfcompat's model of a component world: the interfaces,
// functions and types a component (or a WIT world) imports and exports.
//
// Every check in wfcompat works on this one model, whichever input it came
// from: a component binary (decoded natively by analyze/component), WIT text
// (read natively by wit/witparse; wit/wasmtools reads it through
// go.bytecodealliance.org/wit, the oracle in tests), or a manifest. The model is plain
// data: structs of structs, no behaviour beyond naming, rendering as WIT text
// and walking. Types are trees: a reference to a named type carries the name
// and owner of the definition together with its full structure, so two worlds
// can be compared structurally without resolving indices.
//
// The package does not decode binaries, decide compatibility or print reports.
package wit
