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
// It does not decode (analyze/core does) and knows nothing of callbacks.
package validate
