// Package wasmbin is the Wasm binary framing shared by every package that
// reads or writes Wasm bytes: LEB128 integers (read and write), the 8-byte
// preamble that tells a core module from a component, the top-level section
// list with custom-section names, and the one FormatError (byte offset,
// message, offending value) that malformed input is reported with.
//
// wasmbin knows framing only: it never decodes a section's contents beyond
// a custom section's name, and it imports nothing from wfcompat.
package wasmbin
