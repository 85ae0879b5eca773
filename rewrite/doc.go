// Package rewrite owns the core module encoder and the pin transformation
// with its lockfile.
//
// The encoder ([Encoder], [Encode], [AppendInstr]) writes a core module
// from the plain structs of analyze/core, section by section, copying from
// the original bytes every section, entry and function body that was not
// changed, so that a rewrite changes only what it must.
//
// [Pin] keeps a module's callback handlers (see analyze/callbacks) at the
// table slots recorded in a [Lock], so that responses to calls made by the
// previous release reach the same handler after an upgrade. It never
// renumbers a slot that code or data may hold as an integer: a function
// displaced from a pinned slot moves to a fresh slot and the module's own
// indirect accesses are routed to it through a small remap function, while
// the host reading the pinned slot finds the callback. It refuses, with an
// error that says where, any module it cannot prove it pins correctly.
// [Check] proves the output: re-analysis ([Verify]) and validation
// ([Validate], analyze/validate). [CheckOutputs] refuses output paths that
// are inputs or each other, directories, links or read-only files, and
// [WriteFile] writes atomically, removing its temporary file when the
// context is cancelled, or when a signal ends the wfcompat command
// (internal/interrupt); [CommitAll] renames several outputs into place
// together. A rewritten module leaves out an
// embedded wfcompat:manifest section, which would describe the input.
//
// The package must not decide whether an upgrade is safe (compat does) and
// never modifies its input bytes.
package rewrite
