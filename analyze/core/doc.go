// Package core decodes WebAssembly 2.0 core modules into plain structs.
//
// This package owns the binary format of core modules, and nothing else.
// [Decode] turns a module into a [Module]: every section (types, imports,
// functions, tables, memories, globals, exports, start, elements, data count,
// code, data, and custom sections, including the advisory "name" and
// "producers" sections) decoded into plain structs whose fields callers read
// directly, in the style of debug/elf. Every section, entry, function body and
// instruction records the absolute file offset where it starts, and where
// useful the range of raw bytes it occupies, so that a rewriter in another
// package can copy untouched parts verbatim and report problems precisely.
// Function bodies are decoded lazily, one instruction at a time, by
// [InstrReader], which does not allocate; [Code.Instructions] and
// [Module.Instructions] return slices for convenience.
//
// The package must not contain upgrade or compatibility logic, validation
// beyond what decoding needs (it does not type-check code), printing, or
// anything else that decides what a module means: those belong to the
// packages that use it. It depends only on the standard library.
//
// Decoding is strict: any malformed input, and any feature outside
// WebAssembly 2.0 plus tail calls, extended constant expressions, relaxed
// SIMD, the multi-memory forms of memory indices and the table-with-
// initializer form, is reported as a *[FormatError] carrying the exact offset
// of the offending byte. Unsupported proposals (exception handling, GC,
// threads, memory64, ...) get an error naming them rather than a misparse.
// Index ranges are checked where the decoder sees the index space (type
// indices of functions and imports, function indices of exports, the start
// function and element segments, table, memory and global indices of
// segments, exports and constant expressions); indices inside function
// bodies are not, as that is validation. Decode never panics and checks
// every count and length against the remaining input before allocating. The
// exceptions are the name and producers sections, which are advisory: a
// malformed one is recorded in [Module.NamesErr] or [Module.ProducersErr]
// and does not fail the decode.
//
// A decoded Module retains the input: byte-slice fields such as
// [Code.Body], [Data.Init] and [Custom.Data] are sub-slices of the slice
// passed to Decode, which must therefore not be modified while the Module is
// in use. Offsets are uint32 because a module is at most 4 GiB.
package core
