// Package validate checks that a decoded core module is valid: the
// module's structure (index spaces, limits, constant expressions, element
// and data segments, exports, the start function) and the type of every
// function body, by the algorithm of the specification's validation
// appendix.
//
// It covers what analyze/core decodes: WebAssembly 2.0 (SIMD, bulk
// memory, reference types, multi-value), relaxed SIMD, tail calls,
// extended constant expressions, multi-memory and memory64. It is pin's
// proof that its output is valid: wazero cannot compile memory64 or
// multi-memory modules, and compiling to check costs ten times the
// rewrite itself. Tests hold it against wazero and wabt's wasm-validate
// on the corpora, the fixtures and the fuzzers' inputs.
//
// Most instructions of real code (locals, constants, numeric operators,
// loads and stores, calls, blocks, branches) are checked by a fast path
// that reads them straight from the body's bytes, without the decoder's
// instruction struct, when their operands are plainly right; anything
// else, every error included, goes through the decoder and the general
// algorithm, which reports it at its offset. Tests hold the fast path to
// the general one (same verdict, message and offset) on the corpus,
// mutants and random programs, and in FuzzValidate.
//
// It does not decode (analyze/core does) and knows nothing of callbacks.
package validate
