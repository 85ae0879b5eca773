// Package compat decides whether a new build may take over from an old one,
// per upgrade mode. It owns the rule catalog (rules as data), the diff engine
// that walks two worlds, the modes and their verdicts, and the Report those
// produce. Reports are data: formatters in compat/format render them.
//
// compat never prints and never exits; the CLI in cmd/wfcompat does both.
package compat
