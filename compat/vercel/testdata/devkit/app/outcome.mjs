// Writes OUT/takeover/BUILD/outcome.json: for each run recorded on v1, its
// status on v1 and what the runtime did with it when BUILD took over (the
// status and error `wf inspect runs --json` reports afterwards).
// Usage: node outcome.mjs OUT BUILD...
import fs from "node:fs";
import path from "node:path";

const [out, ...builds] = process.argv.slice(2);
const read = (p) => JSON.parse(fs.readFileSync(p, "utf8"));
const runs = (p) => (read(p).data ?? []);
const before = new Map(runs(path.join(out, "v1/runs.json")).map((r) => [r.runId, r]));
for (const b of builds) {
  const after = runs(path.join(out, "takeover", b, "runs.json"));
  const result = {
    build: b,
    note: "observed: v1's local world taken over by this build (world.start() re-enqueues runs in flight; the 90 s sleeps ended during the takeover)",
    runs: after
      .map((r) => ({
        runId: r.runId,
        workflow: r.workflowName,
        statusOnV1: before.get(r.runId)?.status,
        statusAfterTakeover: r.status,
        error: r.error ? String(r.error.message ?? r.error).split("\n")[0] : undefined,
      }))
      .sort((a, b) => a.runId.localeCompare(b.runId)),
  };
  fs.writeFileSync(path.join(out, "takeover", b, "outcome.json"), JSON.stringify(result, null, 2) + "\n");
}
