// Package replay re-executes recorded event logs on a build, as Golem's
// automatic update replays a worker's oplog on the new component, and
// reports the first place where the build does not continue the log.
//
// Each logged invocation is called on one instance of the build (state
// carries over, as in the recorded run) with the recorded arguments. Import
// calls are split by one table (Durable, documented in docs/replay.md) into
// durable calls, which are served from the log and matched by name
// (interface#function, versions ignored) as Golem matches
// ImportedFunctionInvoked entries, and live calls (stdio, stream plumbing,
// local resource construction, polling), which the runner's deterministic
// host executes and which are never compared. Options.Strict compares the
// arguments of durable calls too. The export's result is compared with the
// recorded one.
//
// The first divergence of a log is a *Divergence with one of the reasons
// import-mismatch, extra-import, missing-import, result-mismatch,
// export-missing, params-mismatch, trap or unexpected-success. What keeps a
// log from being replayed at all (an instantiation failure, a log that does
// not type) is an error.
//
// The package depends on runner, eventlog, wit and wit/value, never on
// compat.
package replay
