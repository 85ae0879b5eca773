// Package evidence proves the upgrade modes that only running proves —
// replay, snapshot and restart — by running event logs recorded by
// workers of the old build on the bundled runner (package runner): each
// log is replayed on the new build, its final state is saved by the old
// build and loaded by the new one, and its invocations are rerun on fresh
// instances of the new build. The result is a compat.Evidence, which
// compat.Diff turns into verdicts.
//
// It is its own package so that the root package wfcompat links no Wasm
// runtime: a program that diffs without running (the released wfcompat
// front, a build plugin) does not pay wazero's start-up. To prove with
// logs, give wfcompat.Diff a Prover:
//
//	res, err := wfcompat.Diff(ctx, old, nw, wfcompat.DiffOptions{
//		Logs:   logs,
//		Prover: evidence.Prover{Options: evidence.Options{Runner: runner.Options{}}},
//	})
package evidence
