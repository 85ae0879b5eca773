package schematest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CompileJSON compiles the JSON Schema in file path (formats asserted).
func CompileJSON(tb testing.TB, path string) *jsonschema.Schema {
	tb.Helper()
	return compile(tb, path, false)
}

// CompileJSONStrict compiles the JSON Schema in path with every object
// schema that lists properties closed (unevaluatedProperties: false, where
// the schema does not say otherwise). The published schemas leave objects
// open, since fields may be added within a schema version; validating real
// outputs strictly proves that the schema documents every field they have.
func CompileJSONStrict(tb testing.TB, path string) *jsonschema.Schema {
	tb.Helper()
	return compile(tb, path, true)
}

func compile(tb testing.TB, path string, strict bool) *jsonschema.Schema {
	tb.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(abs)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	if strict {
		closeObjects(doc)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file://" + filepath.ToSlash(abs)
	if err := c.AddResource(url, doc); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		tb.Fatalf("compile %s: %v", path, err)
	}
	return s
}

// ValidateJSON reports whether doc is valid against s; the error lists
// every violation with its location.
func ValidateJSON(s *jsonschema.Schema, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// ValidateXML validates the XML doc against the XML Schema in xsd with
// xmllint (Debian libxml2-utils), skipping tb, saying so, when xmllint is
// not installed.
func ValidateXML(tb testing.TB, xsd string, doc []byte) error {
	tb.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		tb.Skipf("xmllint not installed (apt-get install libxml2-utils): cannot validate against %s", xsd)
	}
	file := filepath.Join(tb.TempDir(), "doc.xml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", xsd, file).CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return errors.New(string(out))
		}
		tb.Fatalf("run xmllint: %v", err)
	}
	return nil
}

// closeObjects adds unevaluatedProperties: false to every schema object
// with "properties" and neither additionalProperties nor
// unevaluatedProperties.
func closeObjects(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["properties"].(map[string]any); ok {
			_, add := v["additionalProperties"]
			_, uneval := v["unevaluatedProperties"]
			if !add && !uneval {
				v["unevaluatedProperties"] = false
			}
		}
		for k, x := range v {
			if k == "properties" || k == "$defs" {
				// Values are schemas; names are data, never keywords.
				if m, ok := x.(map[string]any); ok {
					for _, s := range m {
						closeObjects(s)
					}
				}
				continue
			}
			closeObjects(x)
		}
	case []any:
		for _, x := range v {
			closeObjects(x)
		}
	}
}
