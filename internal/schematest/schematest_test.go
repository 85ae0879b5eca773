package schematest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStrictClosesObjects(t *testing.T) {
	schema := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
	  "properties": {"a": {"type": "object", "properties": {"x": {"type": "integer"}}},
	                 "m": {"type": "object", "additionalProperties": {"type": "integer"}}}}`
	p := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(p, []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	loose, strict := CompileJSON(t, p), CompileJSONStrict(t, p)
	for _, c := range []struct {
		doc           string
		loose, strict bool
	}{
		{`{"a": {"x": 1}, "m": {"k": 2}}`, true, true},
		{`{"a": {"x": 1, "y": 2}}`, true, false},
		{`{"b": 1}`, true, false},
		{`{"a": {"x": "no"}}`, false, false},
	} {
		if err := ValidateJSON(loose, []byte(c.doc)); (err == nil) != c.loose {
			t.Errorf("loose %s: %v", c.doc, err)
		}
		if err := ValidateJSON(strict, []byte(c.doc)); (err == nil) != c.strict {
			t.Errorf("strict %s: %v", c.doc, err)
		}
	}
}

func TestValidateXML(t *testing.T) {
	dir := t.TempDir()
	xsd := filepath.Join(dir, "s.xsd")
	os.WriteFile(xsd, []byte(`<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:int"/></xs:schema>`), 0o644)
	if err := ValidateXML(t, xsd, []byte(`<a>1</a>`)); err != nil {
		t.Errorf("valid: %v", err)
	}
	if err := ValidateXML(t, xsd, []byte(`<a>x</a>`)); err == nil || !strings.Contains(err.Error(), "fails to validate") {
		t.Errorf("invalid: %v", err)
	}
}
