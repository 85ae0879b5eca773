// Package vercel adapts Vercel's Workflow DevKit to wfcompat. It reads what
// the DevKit writes — its build manifest (workflows with the ordered calls
// of their graphs, steps, serializable classes), `wf inspect` output and the
// local world's store, with payloads in the DevKit's devalue serialization
// — and judges whether a new deployment can take over runs in flight the
// way the DevKit's runtime replays them: the run's workflow must exist, the
// calls the run recorded (steps, sleeps, hooks, by correlation id) must be
// the first calls the new workflow makes, and the classes its recorded
// values refer to must exist. Finished runs are not replayed and never
// fail. It also compares two manifests into a compat.Report with the same
// modes, verdicts and output formats as a comparison of Wasm builds.
//
// DevKit manifests carry no types, so argument shapes are never checked;
// reports and results say so. The package never prints and never exits.
// docs/vercel.md describes the inputs and verdicts; testdata/devkit holds
// recordings of the real runtime the tests hold the verdicts to.
package vercel
