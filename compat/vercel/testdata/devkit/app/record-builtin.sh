#!/bin/sh
# Regenerates testdata/devkit/builtin: a run that called the built-in fetch
# step, recorded on workflow@4.8.9 (build f1), then taken over by the same
# source built with workflow@4.8.8 (f2-wf488: the built-in step ids change
# with the package version) and, as the control, by f1 itself. Run it beside
# record.sh (same scratch directory, after `npm install`):
#   sh record-builtin.sh OUT
set -eu
OUT=$(cd "${1:?usage: record-builtin.sh OUT}" && pwd)
HERE=$(pwd)
[ -d node_modules/workflow ] || npm install --no-audit --no-fund
[ -d wf488/node_modules/workflow ] || (mkdir -p wf488 && cd wf488 && echo '{"name":"wf488","private":true}' >package.json &&
  npm install --no-audit --no-fund workflow@4.8.8 @workflow/serde@4.1.2)
mkdir -p "$OUT/builds" "$OUT/v1" "$OUT/takeover/f1" "$OUT/takeover/f2-wf488"
rm -rf f2-wf488 && mkdir f2-wf488 && cp -r f1/src f1/package.json f2-wf488/
(cd f1 && ln -sfn "$HERE/node_modules" node_modules && npx wf build >/dev/null)
(cd f2-wf488 && ln -sfn "$HERE/wf488/node_modules" node_modules && npx wf build >/dev/null)
for b in f1 f2-wf488; do cp "$b/.well-known/workflow/v1/manifest.json" "$OUT/builds/$b.manifest.json"; done

DATA=$(mktemp -d)/v1
WORKFLOW_LOCAL_DATA_DIR="$DATA" PORT=3451 node server.mjs f1 >"$OUT/v1/host.log" 2>&1 &
pid=$!; sleep 5
curl -s -XPOST localhost:3451/start -d '{"workflowId":"workflow//./src/workflows/fetcher//pingThenWait","args":["http://localhost:3451/ping"]}' >"$OUT/v1/start.json"
sleep 10; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
rm -rf "$OUT/v1/local-world"; cp -r "$DATA" "$OUT/v1/local-world"; rm -rf "$OUT/v1/local-world/.locks"
run=$(sed 's/.*"runId":"\([^"]*\)".*/\1/' "$OUT/v1/start.json")
(cd f1 && export WORKFLOW_LOCAL_DATA_DIR="$DATA" && npx wf inspect runs --json 2>/dev/null >"$OUT/v1/runs.json" &&
  npx wf inspect events --runId "$run" --json --withData 2>/dev/null >"$OUT/v1/$run.events-withdata.json")
port=3451; pids=""
for b in f1 f2-wf488; do
  port=$((port + 1)); rm -rf "$DATA.$b"; cp -r "$DATA" "$DATA.$b"
  WORKFLOW_LOCAL_DATA_DIR="$DATA.$b" PORT=$port node server.mjs "$b" >"$OUT/takeover/$b/host.log" 2>&1 &
  pids="$pids $!"
done
sleep 80
for p in $pids; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
for b in f1 f2-wf488; do (cd "$b" && WORKFLOW_LOCAL_DATA_DIR="$DATA.$b" npx wf inspect runs --json 2>/dev/null >"$OUT/takeover/$b/runs.json"); done
node outcome.mjs "$OUT" f1 f2-wf488
