package assertformat

import (
	"bytes"
	"encoding/json"
)

// renderJSON writes the document itself (schema wfcompat.assert/v1,
// docs/assert.schema.json), indented.
func renderJSON(b *bytes.Buffer, r *report) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r.doc)
}
