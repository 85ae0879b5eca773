// A small node:http host for the standalone bundles of one build
// (`wf build` output), on the local world. Usage:
//   WORKFLOW_LOCAL_DATA_DIR=DATA PORT=N node server.mjs BUILD_DIR
// POST /start {"workflowId": ..., "args": [...]} starts a run and answers {runId}.
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";

// A replay that diverges can reject outside any request (the runtime's
// event consumer runs on a timer); log it like a platform would instead of
// letting node end the host.
process.on("unhandledRejection", (e) => console.error("[host] unhandled rejection:", e));

const build = path.resolve(process.argv[2]);
const require = createRequire(path.join(build, "package.json"));
const flow = require(path.join(build, ".well-known/workflow/v1/flow.js"));
const step = require(path.join(build, ".well-known/workflow/v1/step.js"));
const { start } = await import(require.resolve("workflow/api"));

const routes = {
  "/.well-known/workflow/v1/flow": flow,
  "/.well-known/workflow/v1/step": step,
};

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, `http://localhost:${process.env.PORT}`);
    const buf = await body(req);
    if (url.pathname === "/ping") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("pong");
      return;
    }
    if (url.pathname === "/start") {
      const { workflowId, args } = JSON.parse(buf.toString());
      const run = await start({ workflowId }, args);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ runId: run.runId }));
      return;
    }
    const mod = routes[url.pathname];
    const h = mod && mod[req.method];
    if (!h) { res.writeHead(404); res.end(); return; }
    const request = new Request(url, {
      method: req.method,
      headers: req.headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : buf,
    });
    const r = await h(request);
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(Buffer.from(await r.arrayBuffer()));
  } catch (e) {
    console.error("host error", e);
    res.writeHead(500); res.end(String(e));
  }
});
// Start the local world like a deployment does: world.start() re-enqueues
// the runs it finds pending or running, so a new build takes them over.
const { getWorld } = await import(require.resolve("workflow/runtime"));
server.listen(Number(process.env.PORT), async () => {
  console.log("listening", process.env.PORT, build);
  await getWorld().start?.();
  console.log("world started");
});
