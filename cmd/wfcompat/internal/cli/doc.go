// Package cli holds the wfcompat commands: one file per command, each with an
// options struct and a NewCmdX constructor taking the IO streams, so tests run
// a command in-process and capture everything it prints.
//
// Commands are thin: they parse flags, call the library (analyze, compat,
// rewrite), pick a formatter and map errors to exit codes. They never call
// os.Exit; Main returns the status for main to exit with.
package cli
