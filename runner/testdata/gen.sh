#!/bin/sh
# Regenerates the runner's fixtures (components and core modules) from their
# .wat sources with jco's wasm-tools parser (npm: @bytecodealliance/jco@1.35.0).
# The tests do not run it.
#   cd runner/testdata && ./gen.sh
set -e
JCO=${JCO:-npx jco}
for w in *.wat; do
	$JCO parse "$w" -o "${w%.wat}.wasm"
done
