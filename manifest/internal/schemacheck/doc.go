// Package schemacheck validates JSON values against the manifest schemas
// (manifest/schema.json, manifest/schema_v1.json) without a general JSON
// Schema library in the command's binary.
//
// It implements the part of JSON Schema draft 2020-12 those schemas use —
// type, enum (of strings and numbers), required, properties, additionalProperties
// (false), items, $ref to #/$defs/NAME, and the annotations $schema, $id,
// title, description — and Compile refuses a schema that uses anything
// else, so that an edit to a schema cannot be silently ignored. Where a
// value breaks several rules, Validate reports the one
// github.com/santhosh-tekuri/jsonschema's output leads the manifest
// package to report (the deepest value, then the first by JSON pointer;
// at one object a missing property before an unknown one), worded the same
// way. The manifest tests keep that library as the oracle and check, also
// by fuzzing, that both agree on every input.
//
// Why not the library in production: compiling its draft metaschemas in
// its package initialization costs every wfcompat process 3–8 ms, whether
// it reads a manifest or not.
package schemacheck
