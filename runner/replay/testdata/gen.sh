#!/bin/sh
# Regenerates the event-log fixtures: logs recorded by `wfcompat run` on
# Golem's update-test components (read from the shared corpus, never copied
# here). Run from this directory: ./gen.sh [SHARED_DIR]
set -eu
shared=${1:-${WFCOMPAT_SHARED:-../../../../shared}}
root=$(cd ../../.. && pwd)
bin=$(mktemp -d)/wfcompat
(cd "$root" && go build -o "$bin" ./cmd/wfcompat)
run() { # OUT DIR COMPONENT ARGS...
  out=$1 dir=$2 comp=$3; shift 3
  mkdir -p "$dir"
  "$bin" run "$shared/corpus/$dir/$comp.wasm" --log "$dir/$out" "$@" >/dev/null 2>&1
}
api=golem:component/api
# Header only: a worker that never ran an invocation.
run v1-f3.jsonl golem-v1.1.0 update-test-v1 --invoke "$api#f3()" --invoke "$api#f3()"
head -n 1 golem-v1.1.0/v1-f3.jsonl > golem-v1.1.0/v1-empty.jsonl
run v1-f1.jsonl golem-v1.1.0 update-test-v1 --invoke "$api#f1(0)" --http-respond 200
run v1-f2.jsonl golem-v1.1.0 update-test-v1 --invoke "$api#f2()"
run v2-f1-f2.jsonl golem-v1.1.0 update-test-v2 --invoke "$api#f1(0)" --invoke "$api#f2()" --http-respond 200
run v2-11-f1-f2.jsonl golem-v1.1.0 update-test-v2-11 --invoke "$api#f1(0)" --invoke "$api#f2()" --http-respond 200
run v2-11-f1-f2.jsonl golem-v1.3.0 update-test-v2-11 --invoke "$api#f1(0)" --invoke "$api#f2()" --http-respond 200
# Restart fixtures, recorded on the runner's restart-old component
# (runner/testdata/restart-old.wat): div traps on 0, fix too, spin never
# returns, and an instance that trapped traps on every later invocation.
# `wfcompat run` exits 1 when an invocation traps: that is what is recorded.
rec() { # OUT ARGS...
  out=$1; shift
  mkdir -p restart
  "$bin" run "$root/runner/testdata/restart-old.wasm" --log "restart/$out" "$@" >/dev/null 2>&1 || [ $? -eq 1 ]
}
rec div5.jsonl --invoke 'div(5)'
rec div7.jsonl --invoke 'div(7)'
rec div0.jsonl --invoke 'div(0)'
rec fix0.jsonl --invoke 'fix(0)'
rec poisoned.jsonl --invoke 'div(0)' --invoke 'div(5)' --invoke 'div(7)'
rec spin.jsonl --timeout 200ms --invoke 'spin(1)'
