// Package witparse reads WIT text natively: a lexer, a parser and a
// resolver for the WIT language as the Component Model's WIT.md defines it,
// following wit-parser (bytecodealliance/wasm-tools) where the text is
// silent. It turns a .wit file or a directory of them (with its deps/) into
// the world model of package wit, the same wit.World the component decoder
// builds from a binary, without running wasm-tools.
//
// The package owns WIT text: tokens, syntax, name resolution, feature gates,
// package versions and world elaboration. It does not decode binaries, decide
// compatibility or print reports. Errors are *Error: the file, line, column
// and byte offset, with the source line and a caret under the position.
//
// Types are built once per definition and shared by pointer wherever they
// are referred to, so WIT whose types refer to each other many times loads
// in linear time and memory; a type nested deeper than MaxDepth, or whose
// expansion as a tree would exceed MaxSize nodes (a chain of
// `type tN = tuple<tN-1, tN-1>`), is an error, found without expanding it.
package witparse
