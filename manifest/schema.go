package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/wfcompat/wfcompat/manifest/internal/jsonpos"
)

// The manifest schemas are validated with github.com/santhosh-tekuri/jsonschema
// (draft 2020-12); its first failure is turned into a *jsonpos.Error at the
// JSON pointer of the offending value, which Read turns into a byte offset.

var (
	compiled   = sync.OnceValues(func() (*jsonschema.Schema, error) { return compileSchema("manifest.schema.json", SchemaJSON) })
	compiledV1 = sync.OnceValues(func() (*jsonschema.Schema, error) { return compileSchema("manifest.v1.schema.json", schemaV1JSON) })
)

// compileSchema compiles a schema document named name.
func compileSchema(name string, doc []byte) (*jsonschema.Schema, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("manifest schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(name, v); err != nil {
		return nil, fmt.Errorf("manifest schema %s: %w", name, err)
	}
	s, err := c.Compile(name)
	if err != nil {
		return nil, fmt.Errorf("manifest schema %s: %w", name, err)
	}
	return s, nil
}

// validateSchema validates v (as jsonpos.Decode produces it) and returns
// the first failure, located.
func validateSchema(s *jsonschema.Schema, v any) *jsonpos.Error {
	err := s.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &jsonpos.Error{Msg: err.Error()}
	}
	// Of the failures without causes (a $ref failure holds the real one
	// among its causes), report the most specific: the deepest value, then
	// the first by path, so that the choice does not depend on the
	// library's order.
	var best *jsonpos.Error
	bestDepth := -1
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		path := ""
		for _, seg := range e.InstanceLocation {
			path += "/" + jsonpos.Escape(seg)
		}
		d := len(e.InstanceLocation)
		if d > bestDepth || (d == bestDepth && path < best.Path) {
			best, bestDepth = &jsonpos.Error{Path: path, Msg: kindMessage(e.ErrorKind)}, d
		}
	}
	walk(ve)
	return best
}

var printer = message.NewPrinter(language.English)

// kindMessage words a failure; the kinds the manifest schemas produce are
// worded as wfcompat words them, the others as the library does.
func kindMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Enum:
		var want []string
		for _, w := range k.Want {
			want = append(want, jsonText(w))
		}
		return fmt.Sprintf("%s is not one of %s", clip(jsonText(k.Got)), strings.Join(want, ", "))
	case *kind.Required:
		return fmt.Sprintf("missing required property %q", k.Missing[0])
	case *kind.AdditionalProperties:
		props := append([]string(nil), k.Properties...)
		sort.Strings(props)
		return fmt.Sprintf("unknown property %q", props[0])
	case *kind.Type:
		return fmt.Sprintf("want %s, got %s", strings.Join(k.Want, " or "), k.Got)
	}
	return k.LocalizedString(printer)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
