#!/bin/sh
# A plain shell gate for any CI: exit 0 when the new build may take over,
# 1 when it may not, 2 when an input could not be read.
set -eu
baseline=${1:-git:origin/main:dist/worker.wasm}
new=${2:-dist/worker.wasm}
exec wfcompat diff --mode api --mode snapshot "$baseline" "$new"
