// Package schematest validates documents against schemas in tests: JSON
// against JSON Schema (any draft, with santhosh-tekuri/jsonschema/v6) and
// XML against XML Schema (with xmllint, skipping where it is absent), and
// SARIF logs with the SARIF Multitool's validator (skipping where it is
// absent). It is for tests only; it never decides anything the tool
// reports.
package schematest
