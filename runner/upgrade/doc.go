// Package upgrade moves a recorded worker from one build to another the
// way Golem updates a worker, before deploy: automatic (replay the log on
// the new build; a divergence reverts), snapshot (rebuild the old build's
// state by replaying the log on it, call its save-snapshot, call the new
// build's load-snapshot on a fresh instance; every failure Golem knows
// reverts) and restart (run each logged invocation's inputs, converted, on
// a fresh instance of the new build).
//
// Result.WriteLog writes the worker's continued log: the old events, a
// snapshot marker where one was taken, an upgrade marker, and the
// load-snapshot invocation, so that replay.Replay (wfcompat run --resume)
// rebuilds the upgraded worker's state from it.
//
// The package depends on runner, runner/replay, eventlog and wit, never
// on compat.
package upgrade
