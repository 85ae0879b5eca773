// Package runner runs components and core modules on wazero, sandboxed and
// deterministic, and records what they do as an event log.
//
// Instantiate takes an analyzed artifact (analyze.Open) and Options (the
// WASI host's environment, arguments, virtual clock start, random seed and
// local HTTP response; memory limit; per-invocation timeout; compilation
// cache). Instance.Invoke calls an export with wit/value arguments and
// returns an Outcome: the results, or the trap. Every import call goes
// through one interceptor: the runner records each call (its arguments and
// results, in WAVE) into the invocation's events and, when Options.Log is
// set, writes them as a wfcompat.eventlog/v1 log (docs/eventlog.md);
// Options.Intercept lets a replayer answer imports from a log instead.
//
// Export.Flat prepares an export whose parameters and result are scalars
// (bool, integers, floats, char, enums, flags; records and tuples of them
// as parameters) for the typed fast path: FlatExport.Call passes flat core
// values as uint64s, allocates nothing and returns no Outcome (the import
// calls are not collected; with an event log it takes the general path).
//
// Components are instantiated by runner/component (the instantiation graph)
// over runner/abi (the canonical ABI) with runner/wasi as the host. Core
// modules run through wazero's own wasi_snapshot_preview1 with the same
// environment, clock and seed.
//
// The sandbox: no file system, no network, no host environment, a memory
// limit (Options.MaxMemory, 256 MiB by default) and a timeout per
// invocation (10 s by default) after which the instance is closed. A trap
// says why in its kind (TrapKind): the program's, the sandbox's (the
// timeout, the caller's cancellation, or a trap after the memory limit
// refused a memory.grow), or the host's (TrapHost: a host function failed,
// a stub of Options.StubMissing was called, the runner's Go code
// panicked). KindOf and Outcome.TrapKind are how callers learn it.
//
// The package depends on analyze, wit, wit/value and eventlog, never on
// compat: compat consumes its evidence.
package runner
