#!/bin/sh
# Regenerates the synthetic component fixtures of this directory from their
# WIT sources with the wasm-tools embedded in go.bytecodealliance.org
# (wasm-tools 1.230). The tests do not run it.
#   go build -o /tmp/wasm-tools go.bytecodealliance.org/internal/cmd/wasm-tools   (from the module root)
#   cd analyze/component/testdata/wit && WASM_TOOLS=/tmp/wasm-tools ./gen.sh
# The embedded wasm-tools sees only the current directory: binaries go
# through stdin and stdout.
set -e
WT=${WASM_TOOLS:-wasm-tools}
# rich: records, variants, enums, flags, tuples, options, results, lists,
# resources (imported and exported), type aliases, use with renaming,
# world-level functions and types, inline interfaces.
$WT component embed --dummy rich.wit -w rich | $WT component new - > rich.wasm
# async: async functions (0x43 function types), future, stream,
# error-context, and the async canonical built-ins, in both async ABIs.
$WT component embed --all-features --dummy-names legacy --async-callback async.wit -w svc | $WT component new - > async-callback.wasm
$WT component embed --all-features --dummy-names legacy --async-stackful async.wit -w svc | $WT component new - > async-stackful.wasm
# fixed: fixed-size lists (not decoded by go.bytecodealliance.org v0.7.0).
$WT component embed --all-features --dummy fixed.wit -w w | $WT component new - > fixed.wasm
