#!/bin/sh
# A plain shell gate for any CI: exit 0 when the new build may take over,
# 1 when it may not, 2 when an input could not be read.
set -eu
baseline=${1:-git:origin/main:dist/worker.wasm}
new=${2:-dist/worker.wasm}
# Name your upgrade path: golem-automatic (replay), golem-manual (snapshot, api),
# vercel, ic, any; or --mode MODE. Without one, every mode that applies
# gates, except a path the old build does not offer (wfcompat diff --help).
exec wfcompat diff --platform "${WFCOMPAT_PLATFORM:-golem-manual}" "$baseline" "$new"
