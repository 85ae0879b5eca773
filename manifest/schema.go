package manifest

import (
	"fmt"
	"sync"

	"github.com/wfcompat/wfcompat/manifest/internal/jsonpos"
	"github.com/wfcompat/wfcompat/manifest/internal/schemacheck"
)

// The manifest schemas are validated with manifest/internal/schemacheck, a
// validator of the part of JSON Schema they use; its failure is a
// *jsonpos.Error at the JSON pointer of the offending value, which Read
// turns into a byte offset. The tests check it against
// github.com/santhosh-tekuri/jsonschema (draft 2020-12), which stays out of
// the command: its package initialization alone costs every process
// several milliseconds.

var (
	compiled   = sync.OnceValues(func() (*schemacheck.Schema, error) { return compileSchema("manifest.schema.json", SchemaJSON) })
	compiledV2 = sync.OnceValues(func() (*schemacheck.Schema, error) { return compileSchema("manifest.v2.schema.json", schemaV2JSON) })
	compiledV1 = sync.OnceValues(func() (*schemacheck.Schema, error) { return compileSchema("manifest.v1.schema.json", schemaV1JSON) })
)

// compileSchema compiles a schema document named name.
func compileSchema(name string, doc []byte) (*schemacheck.Schema, error) {
	s, err := schemacheck.Compile(doc)
	if err != nil {
		return nil, fmt.Errorf("manifest schema %s: %w", name, err)
	}
	return s, nil
}

// validateSchema validates v (as jsonpos.Decode produces it) and returns
// the failure to report, located.
func validateSchema(s *schemacheck.Schema, v any) *jsonpos.Error {
	return s.Validate(v)
}
