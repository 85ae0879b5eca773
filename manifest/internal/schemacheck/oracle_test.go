package schemacheck_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/wfcompat/wfcompat/manifest/internal/jsonpos"
	"github.com/wfcompat/wfcompat/manifest/internal/schemacheck"
)

// The oracle is github.com/santhosh-tekuri/jsonschema (draft 2020-12) with
// the failure selection and wording the manifest package used before it
// had its own validator: of the failures without causes, the deepest
// value, then the first by JSON pointer.

// schemaFiles are the manifest schemas, v2 and v1.
var schemaFiles = []string{"../../schema.json", "../../schema_v2.json", "../../schema_v1.json"}

type pair struct {
	name   string
	ours   *schemacheck.Schema
	oracle *jsonschema.Schema
}

func schemas(tb testing.TB) []pair {
	tb.Helper()
	var out []pair
	for _, file := range schemaFiles {
		doc, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		ours, err := schemacheck.Compile(doc)
		if err != nil {
			tb.Fatalf("%s: %v", file, err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		if err != nil {
			tb.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource("schema.json", v); err != nil {
			tb.Fatal(err)
		}
		oracle, err := c.Compile("schema.json")
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, pair{filepath.Base(file), ours, oracle})
	}
	return out
}

func oracleValidate(s *jsonschema.Schema, v any) *jsonpos.Error {
	err := s.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &jsonpos.Error{Msg: err.Error()}
	}
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

func kindMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Enum:
		var want []string
		for _, w := range k.Want {
			want = append(want, schemacheck.JSONText(w))
		}
		return fmt.Sprintf("%s is not one of %s", schemacheck.Clip(schemacheck.JSONText(k.Got)), strings.Join(want, ", "))
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

// agree validates v with both and fails t where they differ. It returns
// whether v was valid.
func agree(t testing.TB, p pair, v any, what string) bool {
	t.Helper()
	got, want := p.ours.Validate(v), oracleValidate(p.oracle, v)
	if fmt.Sprint(got) != fmt.Sprint(want) || (got == nil) != (want == nil) {
		t.Fatalf("%s, %s: schemacheck says %v, jsonschema says %v", p.name, what, got, want)
	}
	return got == nil
}

// manifests are the valid manifests of manifest/testdata, decoded as Read
// decodes them.
func manifests(t testing.TB) map[string]any {
	t.Helper()
	files, err := filepath.Glob("../../testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in manifest/testdata: %v", err)
	}
	out := map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, _, err := jsonpos.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = v
	}
	return out
}

// TestValidManifests: every manifest in testdata is valid under its own
// schema version by both validators, and both report the same failure
// under the other version.
func TestValidManifests(t *testing.T) {
	ps := schemas(t)
	for name, v := range manifests(t) {
		valid := 0
		for _, p := range ps {
			if agree(t, p, v, name) {
				valid++
			}
		}
		if valid != 1 {
			t.Errorf("%s: valid under %d schemas, want 1", name, valid)
		}
	}
}

// replacements stand in for a value: one of each JSON type, integers
// written as decimals and exponents, strings near the schemas' enums, a
// string too long to quote whole.
var replacements = []any{nil, true, json.Number("7"), json.Number("7.5"), json.Number("1e2"), json.Number("-0"),
	"x", "component", "wfcompat.manifest/v2", "wfcompat.manifest/v1", strings.Repeat("y", 100), []any{}, []any{json.Number("1")}, map[string]any{}}

// mutations returns copies of v with one change at one place: every
// property removed, an unknown property added, every value replaced by one
// of each JSON type and by strings near the schemas' enums.
func mutations(v any) []any {
	var out []any
	var walk func(v any, set func(any) any)
	walk = func(v any, set func(any) any) {
		for _, r := range replacements {
			out = append(out, set(r))
		}
		switch v := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(v) {
				out = append(out, set(without(v, k)))
				child := v[k]
				walk(child, func(r any) any { return set(with(v, k, r)) })
			}
			out = append(out, set(with(v, "zz-unknown", json.Number("1"))), set(with(v, "a/~unknown", "x")))
		case []any:
			for i := range v {
				walk(v[i], func(r any) any {
					c := append([]any(nil), v...)
					c[i] = r
					return set(c)
				})
			}
		}
	}
	walk(v, func(r any) any { return r })
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func with(m map[string]any, k string, v any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for kk, vv := range m {
		c[kk] = vv
	}
	c[k] = v
	return c
}

func without(m map[string]any, k string) map[string]any {
	c := make(map[string]any, len(m))
	for kk, vv := range m {
		if kk != k {
			c[kk] = vv
		}
	}
	return c
}

// TestMutatedManifests: one change anywhere in a valid manifest (all of
// them for the small manifests, a sample of 600 for the large one) — the
// two validators agree on validity, the place and the message; then the
// same with several changes at once (which failure is reported).
func TestMutatedManifests(t *testing.T) {
	ps := schemas(t)
	invalid := 0
	rng := rand.New(rand.NewSource(1))
	names := sortedKeys(manifests(t))
	all := manifests(t)
	for _, name := range names {
		v := all[name]
		ms := mutations(v)
		if len(ms) > 600 {
			rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
			ms = ms[:600]
		}
		for i, m := range ms {
			for _, p := range ps {
				if !agree(t, p, m, fmt.Sprintf("%s mutation %d", name, i)) {
					invalid++
				}
			}
		}
		// Several changes at once.
		for i := 0; i < 200; i++ {
			m := v
			for k := 0; k < 2+rng.Intn(4); k++ {
				m = mutateRandom(rng, m)
			}
			for _, p := range ps {
				agree(t, p, m, fmt.Sprintf("%s multi-mutation %d", name, i))
			}
		}
	}
	if invalid == 0 {
		t.Fatal("no mutation was invalid: the test checks nothing")
	}
	t.Logf("%d invalid single mutations agreed on", invalid)
}

// mutateRandom makes one random change of the kinds mutations makes, at a
// random depth, copying only the path to it.
func mutateRandom(rng *rand.Rand, v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := sortedKeys(x)
		switch r := rng.Intn(10); {
		case r == 0 || len(keys) == 0:
			return replacements[rng.Intn(len(replacements))]
		case r == 1:
			return without(x, keys[rng.Intn(len(keys))])
		case r == 2:
			return with(x, []string{"zz-unknown", "a/~unknown", "b"}[rng.Intn(3)], json.Number("1"))
		default:
			k := keys[rng.Intn(len(keys))]
			return with(x, k, mutateRandom(rng, x[k]))
		}
	case []any:
		if len(x) == 0 || rng.Intn(8) == 0 {
			return replacements[rng.Intn(len(replacements))]
		}
		c := append([]any(nil), x...)
		i := rng.Intn(len(c))
		c[i] = mutateRandom(rng, c[i])
		return c
	}
	return replacements[rng.Intn(len(replacements))]
}

// TestCompileRefuses: keywords outside the subset are refused, not ignored.
func TestCompileRefuses(t *testing.T) {
	for _, doc := range []string{
		`{"type": "object", "minProperties": 1}`,
		`{"properties": {"a": {"pattern": "x"}}}`,
		`{"additionalProperties": {"type": "string"}}`,
		`{"$ref": "#/$defs/missing"}`,
		`{"$ref": "other.json"}`,
		`{"enum": [true, null]}`,
		`{"type": "float"}`,
		`{"items": true}`,
		`{"properties": {"a": {"$defs": {}}}}`,
		`{"oneOf": []}`,
		`[]`,
	} {
		if _, err := schemacheck.Compile([]byte(doc)); err == nil {
			t.Errorf("Compile(%s) accepted", doc)
		}
	}
}

// FuzzAgree: on any JSON input, both validators agree under both schemas.
//
//	go test ./manifest/internal/schemacheck -run=^$ -fuzz=FuzzAgree -fuzztime=2m
func FuzzAgree(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/*.json")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil && len(b) < 16<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"schema":"wfcompat.manifest/v2","artifact":{"kind":"wasm","size":1.5},"world":{"imports":[{"kind":"function","function":{"params":{}}}]},"x":1}`))
	f.Add([]byte(`{"schema":"wfcompat.manifest/v1","version_id":1,"artifact":[],"world":{"name":"w","imports":null,"exports":[{"name":"f","kind":"type","type":{"name":"t","type":{"kind":"list","elem":{"kind":"u9"},"len":1e400}}}]}}`))
	ps := schemas(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		v, _, err := jsonpos.Decode(in)
		if err != nil {
			return
		}
		for _, p := range ps {
			agree(t, p, v, "input")
		}
	})
}
