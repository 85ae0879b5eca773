import { sleep, fetch } from "workflow";

export async function record(n: number) {
  "use step";
  return { n };
}

// pingThenWait: the built-in fetch step, then a sleep that holds the run,
// then a step of our own.
export async function pingThenWait(url: string) {
  "use workflow";
  const res = await fetch(url);
  const body = await res.text();
  await sleep("60s");
  return await record(body.length);
}
