package manifest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/jsontext"
	"github.com/wfcompat/wfcompat/manifest/internal/jsonpos"
	"github.com/wfcompat/wfcompat/wit"
)

// SchemaJSON is the JSON Schema of the manifest, as published in
// docs/manifest.schema.json.
//
//go:embed schema.json
var SchemaJSON []byte

// schemaV1JSON and schemaV2JSON are the schemas of wfcompat.manifest/v1
// and v2, which Read still accepts.
var (
	//go:embed schema_v1.json
	schemaV1JSON []byte
	//go:embed schema_v2.json
	schemaV2JSON []byte
)

// Error is a malformed manifest: the byte offset and what is wrong. Its
// message is one line: "offset 0x1a2 (line 12, column 7): /world/exports/0/kind: ...".
type Error struct {
	// Offset is the byte offset in the manifest (in the custom section's
	// payload for an embedded one); -1 when not known.
	Offset int64
	Line   int
	Col    int
	Err    error
}

func (e *Error) Error() string {
	msg := strings.Join(strings.Fields(e.Err.Error()), " ")
	if e.Offset < 0 {
		return msg
	}
	return fmt.Sprintf("offset 0x%x (line %d, column %d): %s", e.Offset, e.Line, e.Col, msg)
}

func (e *Error) Unwrap() error { return e.Err }

func errAt(b []byte, off int64, err error) *Error {
	if off < 0 {
		return &Error{Offset: -1, Err: err}
	}
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return &Error{Offset: off, Line: line, Col: col, Err: err}
}

// IsManifest reports whether b looks like a wfcompat manifest: a JSON
// object whose "schema" names a wfcompat manifest version (any version, so
// that Read can say which one it does not know).
func IsManifest(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	var probe struct {
		Schema string `json:"schema"`
	}
	// The first value only, decoded once: Read reports data after it,
	// where it is.
	if json.NewDecoder(bytes.NewReader(t)).Decode(&probe) != nil {
		return false
	}
	return strings.HasPrefix(probe.Schema, "wfcompat.manifest/")
}

// Read parses and validates a manifest: JSON syntax, the schema (every
// required field, no unknown one, known kinds), and what the schema cannot
// say (digest form, each item and type carrying the parts its kind needs).
// Errors are *Error with the offset of the offending value.
//
// A wfcompat.manifest/v1 or v2 manifest is validated against its own
// schema and upgraded: Schema becomes the current one and Legacy says
// which it was. A v1 manifest's Callbacks is nil (v1 recorded too little
// for the in-flight check); neither records artifact.wit_features (see
// RecordedWITFeatures).
func Read(b []byte) (*Manifest, error) {
	// encoding/json reads bytes that are not UTF-8 as U+FFFD without a
	// word; a manifest read that way would describe another artifact.
	if i := jsontext.InvalidUTF8(b); i >= 0 {
		return nil, errAt(b, int64(i), errors.New("invalid UTF-8 (a manifest is UTF-8 JSON text)"))
	}
	v, offsets, err := jsonpos.Decode(b)
	if err != nil {
		var se *jsonpos.SyntaxError
		if errors.As(err, &se) {
			return nil, errAt(b, se.Offset, errors.New(se.Msg))
		}
		return nil, errAt(b, 0, err)
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, errAt(b, offsets[""], errors.New("not a wfcompat manifest: not a JSON object"))
	}
	compile, legacy := compiled, ""
	switch s, _ := top["schema"].(string); {
	case s == Schema:
	case s == SchemaV2:
		compile, legacy = compiledV2, SchemaV2
	case s == SchemaV1:
		compile, legacy = compiledV1, SchemaV1
	case strings.HasPrefix(s, "wfcompat.manifest/"):
		return nil, errAt(b, offsets["/schema"], fmt.Errorf("unsupported manifest schema %q; this wfcompat reads %q, %q and %q", s, Schema, SchemaV2, SchemaV1))
	default:
		return nil, errAt(b, offsets[""], fmt.Errorf("not a wfcompat manifest: no \"schema\": %q", Schema))
	}
	schema, err := compile()
	if err != nil {
		return nil, err // a bug: the embedded schemas are tested
	}
	if verr := validateSchema(schema, v); verr != nil {
		return nil, errAt(b, schemaErrorOffset(b, offsets, verr), verr)
	}
	var m Manifest
	var v1 struct {
		Manifest
		// v1's callbacks summary, which the analysis replaced.
		Callbacks json.RawMessage `json:"callbacks"`
	}
	into := any(&m)
	if legacy == SchemaV1 {
		into = &v1
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		// The schema admits what the Go types cannot hold (an integer
		// beyond their range).
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			lit := strings.TrimPrefix(te.Value, "number ")
			field := strings.TrimPrefix(te.Field, "Manifest.") // v1's wrapper
			return nil, errAt(b, max(te.Offset-int64(len(lit)), 0), fmt.Errorf("%s: value %s out of range", field, te.Value))
		}
		return nil, errAt(b, 0, err)
	}
	switch legacy {
	case SchemaV1:
		m = v1.Manifest
		m.Schema, m.Legacy, m.Callbacks = Schema, SchemaV1, nil
	case SchemaV2:
		m.Schema, m.Legacy = Schema, SchemaV2
	}
	if verr := m.validate(); verr != nil {
		return nil, errAt(b, offsetOf(offsets, verr.Path), verr)
	}
	return &m, nil
}

// schemaErrorOffset returns where a schema violation is: the value at its
// path, or for an unknown property, the property's key (the violation is
// the object's, which may be large).
func schemaErrorOffset(b []byte, offsets map[string]int64, verr *jsonpos.Error) int64 {
	off := offsetOf(offsets, verr.Path)
	if q, ok := strings.CutPrefix(verr.Msg, "unknown property "); ok {
		if name, err := strconv.Unquote(q); err == nil {
			if v, ok := offsets[verr.Path+"/"+jsonpos.Escape(name)]; ok && v <= int64(len(b)) {
				off = v
				key, _ := json.Marshal(name)
				if k := bytes.LastIndex(b[:v], key); k >= 0 {
					off = int64(k)
				}
			}
		}
	}
	return off
}

// offsetOf returns the offset of the value at path, or of its nearest
// ancestor that has one.
func offsetOf(offsets map[string]int64, path string) int64 {
	for {
		if off, ok := offsets[path]; ok {
			return off
		}
		i := strings.LastIndexByte(path, '/')
		if i < 0 {
			return -1
		}
		path = path[:i]
	}
}

// Validate checks a manifest built in memory as Read checks one read from
// JSON, beyond the JSON layout.
func (m *Manifest) Validate() error {
	if m.Schema != Schema {
		return fmt.Errorf("schema is %q, want %q", m.Schema, Schema)
	}
	if err := m.validate(); err != nil {
		return err
	}
	return nil
}

// validate checks what the JSON Schema cannot express. Errors carry the
// JSON pointer of the offending value.
func (m *Manifest) validate() *jsonpos.Error {
	fail := func(path, format string, args ...any) *jsonpos.Error {
		return &jsonpos.Error{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(m.VersionID) == "" {
		return fail("/version_id", "empty version_id")
	}
	if hasControl(m.VersionID) {
		return fail("/version_id", "version_id contains a control character")
	}
	switch m.Artifact.Kind {
	case KindCore, KindComponent, KindWIT:
	default:
		return fail("/artifact/kind", "unknown artifact kind %q", m.Artifact.Kind)
	}
	if !isDigest(m.Artifact.SHA256) {
		return fail("/artifact/sha256", "sha256 %q is not 64 lower-case hex digits", clip(m.Artifact.SHA256))
	}
	if m.Artifact.Size < 0 {
		return fail("/artifact/size", "negative size")
	}
	if err := validateWITFeatures(m.Artifact); err != nil {
		return err
	}
	if m.World == nil {
		return fail("/world", "no world")
	}
	if err := validateWorld(m.World); err != nil {
		return err
	}
	if m.Snapshot.Save == nil || m.Snapshot.Load == nil {
		return fail("/snapshot", "snapshot needs save and load lists")
	}
	if m.Producers == nil {
		return fail("/producers", "no producers list")
	}
	if m.Callbacks != nil {
		if m.Artifact.Kind != KindCore {
			return fail("/callbacks", "a %s has no callback analysis; only core modules do", m.Artifact.Kind)
		}
		if err := validateCallbacks(m.Callbacks); err != nil {
			return err
		}
	}
	if m.CoreExterns != nil {
		if m.Artifact.Kind != KindCore {
			return fail("/core_externs", "a %s has no core memories, tables and globals; only core modules do", m.Artifact.Kind)
		}
		return validateCoreExterns(m.CoreExterns)
	}
	return nil
}

// validateWITFeatures checks artifact.wit_features: only for WIT, WIT
// identifiers (as the command line and the configuration take them),
// sorted without repeats, so that a selection has one encoding.
func validateWITFeatures(a Artifact) *jsonpos.Error {
	if a.WITFeatures == nil {
		return nil
	}
	const at = "/artifact/wit_features"
	if a.Kind != KindWIT {
		return &jsonpos.Error{Path: at, Msg: fmt.Sprintf("a %s has no WIT features; only WIT is read with them", a.Kind)}
	}
	names := *a.WITFeatures
	for i, n := range names {
		p := fmt.Sprintf("%s/%d", at, i)
		if analyze.CheckWITFeature(n) != nil {
			return &jsonpos.Error{Path: p, Msg: fmt.Sprintf("feature %q is not a WIT identifier (letters, digits and hyphens, starting with a letter)", clip(n))}
		}
		if i > 0 && n <= names[i-1] {
			return &jsonpos.Error{Path: p, Msg: fmt.Sprintf("wit_features must be sorted without repeats (%q after %q)", clip(n), clip(names[i-1]))}
		}
	}
	return nil
}

// validateCallbacks checks what the in-flight check relies on: table
// contents in range and function names unambiguous.
func validateCallbacks(c *Callbacks) *jsonpos.Error {
	fail := func(path, format string, args ...any) *jsonpos.Error {
		return &jsonpos.Error{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	checkArgs := func(p string, args []ProfileArg) *jsonpos.Error {
		for i, a := range args {
			if a.Index < 0 || a.Env < -1 || a.Role == "" {
				return fail(fmt.Sprintf("%s/args/%d", p, i), "a callback argument needs an index >= 0, a role and an env >= -1")
			}
		}
		return nil
	}
	for i, p := range c.Profiles {
		at := fmt.Sprintf("/callbacks/profiles/%d", i)
		if p.Module == "" || p.Name == "" {
			return fail(at, "a profile needs a module and a name")
		}
		if err := checkArgs(at, p.Args); err != nil {
			return err
		}
	}
	for i, im := range c.Imports {
		if err := checkArgs(fmt.Sprintf("/callbacks/imports/%d", i), im.Args); err != nil {
			return err
		}
	}
	seen := map[uint32]bool{}
	for i, t := range c.Tables {
		at := fmt.Sprintf("/callbacks/tables/%d", i)
		if seen[t.Index] {
			return fail(at+"/index", "table %d listed twice", t.Index)
		}
		seen[t.Index] = true
		if uint64(len(t.Entries)) > t.Min {
			return fail(at+"/entries", "%d entries for a table of %d slots", len(t.Entries), t.Min)
		}
		for s, fn := range t.Entries {
			if fn < -2 {
				return fail(fmt.Sprintf("%s/entries/%d", at, s), "entry %d is neither a function index, -1 (empty) nor -2 (unknown)", fn)
			}
		}
		for k, n := range t.EntryNames {
			if k > 0 && n.Func <= t.EntryNames[k-1].Func {
				return fail(fmt.Sprintf("%s/entry_names/%d", at, k), "entry_names must be ordered by func without repeats")
			}
		}
	}
	return nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func isDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// validateWorld checks that every item, function and type has the parts
// its kind needs, so that code walking the world never meets a nil where
// the model promises a value.
func validateWorld(w *wit.World) *jsonpos.Error {
	for _, side := range []struct {
		name  string
		items []*wit.Item
	}{{"imports", w.Imports}, {"exports", w.Exports}} {
		for i, it := range side.items {
			p := fmt.Sprintf("/world/%s/%d", side.name, i)
			if err := validateItem(it, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateItem(it *wit.Item, p string) *jsonpos.Error {
	if it == nil {
		return &jsonpos.Error{Path: p, Msg: "null item"}
	}
	set := 0
	for _, b := range []bool{it.Interface != nil, it.Function != nil, it.Type != nil} {
		if b {
			set++
		}
	}
	want := map[wit.ItemKind]bool{
		wit.ItemInterface: it.Interface != nil,
		wit.ItemFunction:  it.Function != nil,
		wit.ItemType:      it.Type != nil,
	}
	if !want[it.Kind] || set != 1 {
		return &jsonpos.Error{Path: p, Msg: fmt.Sprintf("an item of kind %q needs exactly its %q member", it.Kind, it.Kind)}
	}
	switch it.Kind {
	case wit.ItemInterface:
		for i, td := range it.Interface.Types {
			if err := validateTypeDef(td, fmt.Sprintf("%s/interface/types/%d", p, i)); err != nil {
				return err
			}
		}
		for i, f := range it.Interface.Functions {
			if err := validateFunction(f, fmt.Sprintf("%s/interface/functions/%d", p, i)); err != nil {
				return err
			}
		}
	case wit.ItemFunction:
		return validateFunction(it.Function, p+"/function")
	case wit.ItemType:
		return validateTypeDef(it.Type, p+"/type")
	}
	return nil
}

func validateTypeDef(td *wit.TypeDef, p string) *jsonpos.Error {
	if td == nil {
		return &jsonpos.Error{Path: p, Msg: "null type definition"}
	}
	return validateType(td.Type, p+"/type", 0)
}

func validateFunction(f *wit.Function, p string) *jsonpos.Error {
	if f == nil {
		return &jsonpos.Error{Path: p, Msg: "null function"}
	}
	for i, prm := range f.Params {
		if err := validateType(prm.Type, fmt.Sprintf("%s/params/%d/type", p, i), 0); err != nil {
			return err
		}
	}
	if f.Result != nil {
		return validateType(f.Result, p+"/result", 0)
	}
	return nil
}

// validateType checks t's shape (wit.Type.Validate) at JSON pointer p.
func validateType(t *wit.Type, p string, _ int) *jsonpos.Error {
	var te *wit.TypeError
	if err := t.Validate(); errors.As(err, &te) {
		return &jsonpos.Error{Path: p + te.Path, Msg: te.Msg}
	} else if err != nil {
		return &jsonpos.Error{Path: p, Msg: err.Error()}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
