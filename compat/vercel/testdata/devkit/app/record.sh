#!/bin/sh
# Regenerates the DevKit recordings under compat/vercel/testdata/devkit with
# the real toolchain: builds every app version, records runs on v1 (the
# sleeps hold processOrder and remindLater in flight; quickOrder finishes),
# then lets each later build take over a copy of v1's local world and
# records what the runtime did. Needs node 20 and npm; run it in a scratch
# directory OUTSIDE the repository:
#   cp -r compat/vercel/testdata/devkit/app /tmp/wdk && cd /tmp/wdk && sh record.sh OUT
# OUT receives builds/*.manifest.json, v1 recordings and takeover outcomes.
set -eu
OUT=$(cd "${1:?usage: record.sh OUT}" && pwd)
HERE=$(pwd)
[ -d node_modules/workflow ] || npm install --no-audit --no-fund
BUILDS="v2-rename v3-insert v4-classmove v5-remove v6-append v7-void"
mkdir -p "$OUT/builds" "$OUT/v1" "$OUT/takeover"
for b in v1 $BUILDS; do
  (cd "$b" && ln -sfn "$HERE/node_modules" node_modules && npx wf build >/dev/null)
  cp "$b/.well-known/workflow/v1/manifest.json" "$OUT/builds/$b.manifest.json"
done

serve() { # serve BUILD DATA PORT LOG: starts the host, prints its pid
  WORKFLOW_LOCAL_DATA_DIR="$2" PORT="$3" node server.mjs "$1" >"$4" 2>&1 &
  echo $!
}
startrun() { # startrun PORT WORKFLOW ARGS
  curl -s -XPOST "localhost:$1/start" -d "{\"workflowId\":\"workflow//./src/workflows/order//$2\",\"args\":$3}" |
    sed 's/.*"runId":"\([^"]*\)".*/\1/'
}
export_runs() { # export_runs BUILD DATA DIR: the CLI's view of every run
  (cd "$1" && export WORKFLOW_LOCAL_DATA_DIR="$2" &&
    npx wf inspect runs --json 2>/dev/null >"$3/runs.json" &&
    npx wf inspect steps --json 2>/dev/null >"$3/steps.json" &&
    for r in $(sed -n 's/.*"runId": "\(wrun_[^"]*\)".*/\1/p' "$3/runs.json" | sort -u); do
      npx wf inspect events --runId "$r" --json --withData 2>/dev/null >"$3/$r.events-withdata.json"
      npx wf inspect events --runId "$r" --json 2>/dev/null >"$3/$r.events.json"
    done)
}

DATA=$(mktemp -d)/v1
pid=$(serve v1 "$DATA" 3421 "$OUT/v1/host.log"); sleep 3
echo "processOrder $(startrun 3421 processOrder '["ord_1",1999]')" >"$OUT/v1/runs.txt"
echo "remindLater $(startrun 3421 remindLater '["ord_2"]')" >>"$OUT/v1/runs.txt"
echo "quickOrder $(startrun 3421 quickOrder '["ord_3",500]')" >>"$OUT/v1/runs.txt"
sleep 6
kill "$pid"; wait "$pid" 2>/dev/null || true
rm -rf "$OUT/v1/local-world"; cp -r "$DATA" "$OUT/v1/local-world"; rm -rf "$OUT/v1/local-world/.locks"
export_runs v1 "$DATA" "$OUT/v1"

# Each later build takes over a copy of v1's store; the sleeps (90 s) end
# while it runs, so runs that replay cleanly go on to finish.
port=3430
pids=""
for b in $BUILDS; do
  port=$((port + 1))
  rm -rf "$DATA.$b"; cp -r "$DATA" "$DATA.$b"
  mkdir -p "$OUT/takeover/$b"
  pids="$pids $(serve "$b" "$DATA.$b" $port "$OUT/takeover/$b/host.log")"
done
sleep 120
for p in $pids; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
for b in $BUILDS; do export_runs "$b" "$DATA.$b" "$OUT/takeover/$b"; done
node outcome.mjs "$OUT" $BUILDS
