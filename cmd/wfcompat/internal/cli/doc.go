// Package cli holds the wfcompat commands: one file per command, each with an
// options struct and a NewCmdX constructor taking the IO streams, so tests run
// a command in-process and capture everything it prints.
//
// Commands are thin: they parse flags, call the library (analyze, compat,
// rewrite), pick a formatter and map errors to exit codes. They never call
// os.Exit; Main returns the status for main to exit with.
//
// Two builds: the complete one (default tags) runs every command; the lean
// one (-tags lean, the wfcompat that releases ship beside wfcompat-full)
// links neither the runner nor wazero and hands the commands that run Wasm
// — run, replay, upgrade, and diff with event logs — whole to wfcompat-full
// (lean.go; full.go is the complete build's side, hostflags.go what both
// share).
package cli
