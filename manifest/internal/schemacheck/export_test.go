package schemacheck

// The oracle test (package schemacheck_test) renders the oracle's errors
// with the validator's own value rendering.
var (
	JSONText = jsonText
	Clip     = clip
)
