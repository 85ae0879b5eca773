// Package assertformat renders the results of `wfcompat assert input` and
// `wfcompat assert event-log` (wfcompat.InputReport, wfcompat.LogReport)
// in the formats of `wfcompat diff`: text, json (schema wfcompat.assert/v1,
// docs/assert.schema.json), sarif (SARIF 2.1.0 for GitHub code scanning),
// github (workflow-command annotations), junit (Ant JUnit XML) and
// markdown (a pull-request comment or step summary).
//
// One vocabulary of levels runs through the formats: a failed input or
// log, and a log that could not be read, are errors (SARIF error, GitHub
// error annotation, JUnit failure or error); a problem of a Vercel
// Workflow run that has finished, which is never replayed, is a note
// (SARIF note, GitHub notice, suite output in JUnit). Passing inputs and
// logs appear in text, json, junit and markdown only.
//
// Every renderer builds its output in memory; Write writes it with one
// Write call, so a failure leaves no partial output.
package assertformat
