// Package sarif is the SARIF 2.1.0 log both report renderers write
// (compat/format for diff reports, compat/assertformat for assert
// reports): the types of a log, its tool, rules, results, locations and
// artifacts, and the helpers they share (driver versions, fingerprints,
// file paths as artifact URIs, the writer). Each renderer keeps its own run type, since the runs differ
// in their fields, their order and their property bag.
package sarif
