// Package format renders a compat.Report for people and machines.
//
// One Report, six renderings, chosen by name with Write (see Formats):
//
//   - text: for a terminal or a CI log. Grouped by mode in compat.AllModes
//     order, verdict first, then the mode's reasons and the findings that
//     affect it, then a one-line summary. ANSI color only when Options.Color.
//   - json: the Report itself, indented, stable; the schema is documented in
//     REPORT_SCHEMA.md (wfcompat.report/v1).
//   - sarif: SARIF 2.1.0, for code-scanning uploads.
//   - github: GitHub Actions workflow commands (one annotation per finding),
//     then one plain log line per mode verdict and a summary line.
//   - junit: JUnit XML, one test case per mode, for CI test-report widgets.
//   - markdown: a pull-request comment.
//
// # Gating
//
// Options.Gate and Options.RequireProof say which verdicts fail the
// deploy gate. A mode gates when it is in Options.Gate (every mode when
// Gate is empty) and its verdict is not n/a. A gating mode fails when it
// is unsafe, when it is unproven and RequireProof is set, or when its
// verdict is not one of the four known verdicts (fail closed). Evaluate
// returns the overall outcome; text, markdown, junit and github mark
// non-gating modes, json and sarif carry verdicts only.
//
// # JUnit mapping
//
// Each mode is a test case (classname "wfcompat.mode", name = mode):
//
//   - gating, failing (unsafe; unproven with RequireProof): <failure>,
//     type "unsafe" or "unproven", the reasons and findings as its text;
//   - gating, safe: passes;
//   - gating, unproven without RequireProof: passes, with a <system-out>
//     note carrying the reasons (the gate lets it through, so the test
//     report must not be red, but the note is not lost);
//   - applicable but not gating: <skipped message="not gating: VERDICT">,
//     reasons in <system-out>;
//   - n/a (or absent from the report): <skipped message="n/a: ...">.
//
// The failures count therefore equals the number of modes that fail the
// gate, and a junit report is green exactly when Evaluate is not
// OutcomeFail.
//
// Renderers never interpret the report beyond this: they do not re-derive
// verdicts from findings. Text and markdown neutralise control characters
// in report strings (no terminal escapes from a crafted module); github
// applies the workflow-command escaping; junit and sarif rely on
// encoding/xml and encoding/json.
package format
