// Package eventlog is wfcompat's event-log format: the one record of a
// worker's run that compat's assertions read and that a runner writes and
// replays. A log is JSON Lines: a header line naming the format version and
// the artifact that produced the events, then one event per line — an
// invocation of an export (with its WAVE arguments and result or trap), a
// call of an import (with its WAVE arguments and result), and markers for
// upgrades and snapshots. docs/eventlog.md is the specification.
//
// The package owns the types, a streaming Reader whose errors name the file
// and line ("run.jsonl:17: ..."), a Writer that refuses to write an invalid
// event, structural validation, and the resolution of an event's qualified
// function name in a world. It does not type values: WAVE strings are kept
// as text, and reading them against a signature belongs to wit/value and to
// the assertions in compat.
package eventlog
