// Package component decodes Component Model binaries (layer 1, the format
// of Golem workers) and extracts their worlds.
//
// [Decode] reads the preamble and every section of a component into plain
// structs: embedded core modules (as byte ranges, [Module], for the core
// decoder in analyze/core to decode when needed), nested components
// (recursively), core instances, instances, aliases of every form, core
// types (their shape only), component types (function, instance and
// component types with their declarators, resource types and every defined
// value type: records, variants, lists, fixed-size lists, tuples, flags,
// enums, options, results, own and borrow handles, futures, streams,
// error-context, maps and the primitives), canonical definitions (lift,
// lower, the resource built-ins and, as opaque records with their opcode
// and immediates, the async and thread built-ins), start, imports and
// exports with their extern descriptors, and custom sections (name and
// range). It also records each index space ([Component.Spaces]). Every
// section, item and error keeps its absolute byte offset.
//
// Decoding is strict about the format and never panics: malformed input
// gives a *[FormatError] with the offset of the offending byte, and every
// count and length is checked against the remaining input before anything
// is allocated. Decode does not validate indices or types; [Component.World]
// does as much of that as it needs, reporting what it cannot resolve with
// the offset of the definition concerned.
//
// [Component.World] elaborates the definitions the way a validator would
// (instantiating the shim components wit-component wraps exported
// interfaces in) and returns the component's world in the model of package
// wit: top-level imports and exports keyed by their names, interfaces with
// their types and functions, types as trees whose named references carry
// the name and owning interface of their definition. The WIT view of a
// binary by wasm-tools (wasmtools.LoadWIT) agrees with it on the whole Golem
// corpus; see wit's cross-check test.
//
// The package has no compatibility logic and does not decode core modules.
package component
