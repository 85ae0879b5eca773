// Package manifest is the wfcompat manifest: what a durable platform keeps
// about one version of a worker instead of its binary — the artifact's
// digest and kind, a version id, its world (every import and export with
// fully structured types, and their WIT rendering), which golem:api
// snapshot functions it exports, the callbacks a core module keeps in
// table slots, the memories, tables and globals a core module imports and
// exports, and its producers. docs/manifest.md describes the layout and
// docs/manifest.schema.json is its JSON Schema (embedded here as
// SchemaJSON, which Read validates against).
//
// The package builds a manifest from what analyze found (Build), encodes
// it (Encode) and reads it back (Read), and embeds it into or extracts it
// from a wfcompat:manifest custom section of the binary (Embed, Extract),
// keeping every other byte. It does not open files or decide
// compatibility, and decodes Wasm only through analyze (Build reads a core
// module's memories, tables and globals with analyze.Decode when the
// Input does not give them).
package manifest
