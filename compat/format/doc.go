// Package format renders a compat.Report for people and machines.
//
// One Report, six renderings, chosen by name with Write (see Formats):
//
//   - text: for a terminal or a CI log. The verdict table (one row per
//     mode, with the mode-level reasons no finding explains), then every
//     finding once, most severe first, with the modes it affects and what
//     it does to each; info findings are counted, and shown only with
//     Options.Verbose; then one line with the outcome and the counts.
//     ANSI color only when Options.Color.
//   - json: the Report itself, indented, stable, with the gate filled in;
//     the schema is documented in REPORT_SCHEMA.md (wfcompat.report/v1)
//     and docs/report.schema.json.
//   - sarif: SARIF 2.1.0 for GitHub code scanning: rule descriptions and
//     help from the catalog, helpUri into docs/rules.md, partial
//     fingerprints, automationDetails, suppressions.
//   - github: GitHub Actions annotations, aggregated to fit GitHub's
//     per-step limit, then one plain log line per mode and a summary line.
//   - junit: JUnit XML (the Ant JUnit schema), one test case per mode.
//   - markdown: a pull-request comment or step summary.
//
// # Gating
//
// Options.Gate and Options.RequireProof (else the report's Gate) say which
// verdicts fail the deploy gate. A mode gates when it is in the gate
// (every mode when the gate is empty) and its verdict is not n/a. A gating
// mode fails when it is unsafe, when it is unproven and proof is
// required, or when its verdict is not one of the four known verdicts
// (fail closed). Evaluate returns the overall outcome.
//
// # One severity vocabulary
//
// A finding has a severity (error, warning, info). Every format shows it
// at its Level: the severity, lowered to note when the finding affects no
// gating mode (it cannot fail this gate, so it must not look as if it
// did). SARIF writes the level as error, warning or note; GitHub as
// ::error, ::warning or ::notice; text, markdown and JSON keep the
// severity words and mark effects on non-gating modes "(not gating)".
// docs/formats.md has the table.
//
// # JUnit mapping
//
// Each mode is a test case (classname "wfcompat.<old>_to_<new>", the
// artifact pair with separators replaced, so that merged reports of
// several pairs stay apart; name = mode):
//
//   - gating, failing (unsafe; unproven with proof required): <failure>,
//     type "unsafe" or "unproven", the reasons and findings as its text;
//   - gating, safe: passes;
//   - gating, unproven without proof required: passes; the reasons go to
//     the suite's <system-out> (the Ant schema allows no output inside a
//     test case);
//   - applicable but not gating: <skipped message="not gating: VERDICT">;
//   - n/a (or absent from the report): <skipped message="n/a: ...">.
//
// The suite carries timestamp (Options.Time), time (Options.Elapsed),
// hostname and the report's identity as properties. The failures count
// equals the number of modes that fail the gate, and a junit report is
// green exactly when Evaluate is not OutcomeFail.
//
// # Escaping
//
// Names come from binaries and may hold any bytes. Every format shows
// report strings on one line with newlines, carriage returns, tabs, other
// control characters and bidirectional overrides escaped (\n, \x1b,
// \u202e), so that no name can start a report line, a workflow command or
// a Markdown block of its own; only the WIT declarations (old, new) keep
// their lines, indented or fenced. github additionally applies the
// workflow-command escaping, markdown the Markdown escaping, junit and
// sarif the escaping of encoding/xml and encoding/json.
//
// Renderers never interpret the report beyond this: they do not re-derive
// verdicts from findings.
package format
