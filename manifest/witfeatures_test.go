package manifest_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/manifest"
)

// featuresWIT has an ungated function, one behind @unstable(feature = x)
// and a world function behind y.
const featuresWIT = "../testdata/wit/features.wit"

// buildWIT makes the manifest of featuresWIT read with f.
func buildWIT(t *testing.T, f analyze.WITFeatures) *manifest.Manifest {
	t.Helper()
	a, err := analyze.Open(featuresWIT, analyze.Options{WITFeatures: f})
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Build(manifest.Input{Kind: string(a.Kind), SHA256: a.SHA256, Size: a.Size, World: a.World, WITFeatures: a.WITFeatures})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestWITFeaturesRecorded: a manifest of WIT records the features it was
// read with, sorted without repeats ([] for none), and nothing for every
// feature (the default); it encodes, reads back and says so. Other kinds
// never record features.
func TestWITFeaturesRecorded(t *testing.T) {
	for _, tc := range []struct {
		name     string
		features analyze.WITFeatures
		want     *[]string // artifact.wit_features
		json     string    // in the encoding ("" : absent)
		gated    bool      // the x-gated function is in the world
	}{
		{"every feature", analyze.WITFeatures{}, nil, "", true},
		{"none", analyze.WITFeatures{Only: true}, &[]string{}, `"wit_features": []`, false},
		{"y, x, x", analyze.WITFeatures{Only: true, Names: []string{"y", "x", "x"}}, &[]string{"x", "y"}, "\"wit_features\": [\n      \"x\",\n      \"y\"\n    ]", true},
		{"an unknown one", analyze.WITFeatures{Only: true, Names: []string{"nope"}}, &[]string{"nope"}, `"nope"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := buildWIT(t, tc.features)
			if diff := cmp.Diff(tc.want, m.Artifact.WITFeatures); diff != "" {
				t.Errorf("wit_features (-want +got):\n%s", diff)
			}
			enc, err := manifest.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(enc), `"wit_features"`); has != (tc.json != "") || !strings.Contains(string(enc), tc.json) {
				t.Errorf("encoding lacks %q (or has wit_features when it should not):\n%.600s", tc.json, enc)
			}
			back, err := manifest.Read(enc)
			if err != nil {
				t.Fatal(err)
			}
			f, recorded := back.RecordedWITFeatures()
			if !recorded || !f.Same(tc.features) {
				t.Errorf("read back: %v (recorded %v), want %v", f, recorded, tc.features)
			}
			if got := strings.Contains(back.WIT, "gated: func"); got != tc.gated {
				t.Errorf("gated function in the world: %v, want %v", got, tc.gated)
			}
		})
	}
	// A binary's world is what its build made it: no features recorded,
	// whatever WIT features were asked for.
	b, err := os.ReadFile("../testdata/wat/cb_forward.wasm")
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Build(manifest.Input{Kind: string(a.Kind), Bytes: b, World: a.World, WITFeatures: analyze.WITFeatures{Only: true, Names: []string{"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Artifact.WITFeatures != nil {
		t.Errorf("a core module's manifest records WIT features %v", *m.Artifact.WITFeatures)
	}
}

// TestWITFeaturesGolden: the manifest of features.wit read with x only,
// a small v3 seed with wit_features for the fuzzers.
func TestWITFeaturesGolden(t *testing.T) {
	const golden = "testdata/features.manifest.json"
	enc, err := manifest.Encode(buildWIT(t, analyze.WITFeatures{Only: true, Names: []string{"x"}}))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, enc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if diff := cmp.Diff(string(want), string(enc)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", golden, diff)
	}
}

// TestReadWITFeaturesErrors: a bad wit_features is an error at the
// offending value, one line, like every manifest error.
func TestReadWITFeaturesErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/features.manifest.json")
	if err != nil {
		t.Skip("golden manifest missing; run TestWITFeaturesGolden with -update")
	}
	core, err := os.ReadFile("testdata/cb_forward.manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	const list = "\"wit_features\": [\n      \"x\"\n    ]"
	replace := func(in []byte, old, new string) string {
		s := string(in)
		if !strings.Contains(s, old) {
			t.Fatalf("manifest lacks %q", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	v2 := strings.Replace(string(good), manifest.Schema, manifest.SchemaV2, 1)
	for _, tc := range []struct{ name, in, want string }{
		{"not a list", replace(good, list, `"wit_features": "x"`), `offset 0xe7 (line 8, column 21): /artifact/wit_features: want array, got string`},
		{"not a string", replace(good, list, `"wit_features": [1]`), `offset 0xe8 (line 8, column 22): /artifact/wit_features/0: want string, got number`},
		{"null", replace(good, list, `"wit_features": null`), `offset 0xe7 (line 8, column 21): /artifact/wit_features: want array, got null`},
		{"not an identifier", replace(good, list, `"wit_features": ["x", "a b"]`), `offset 0xed (line 8, column 27): /artifact/wit_features/1: feature "a b" is not a WIT identifier`},
		{"empty name", replace(good, list, `"wit_features": [""]`), `(line 8, column 22): /artifact/wit_features/0: feature "" is not a WIT identifier`},
		{"unsorted", replace(good, list, `"wit_features": ["y", "x"]`), `offset 0xed (line 8, column 27): /artifact/wit_features/1: wit_features must be sorted without repeats ("x" after "y")`},
		{"long name", replace(good, list, `"wit_features": ["`+strings.Repeat("a ", 5000)+`"]`), `/artifact/wit_features/0: feature "a a a`},
		{"repeated", replace(good, list, `"wit_features": ["x", "x"]`), `/artifact/wit_features/1: wit_features must be sorted without repeats ("x" after "x")`},
		{"not WIT", replace(core, `"size": `, `"wit_features": ["x"], "size": `), `/artifact/wit_features: a core has no WIT features; only WIT is read with them`},
		{"in v2", v2, `offset 0xd7 (line 8, column 5): /artifact: unknown property "wit_features"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := manifest.Read([]byte(tc.in))
			var me *manifest.Error
			if !errors.As(err, &me) {
				t.Fatalf("error %v (%T), want a *manifest.Error", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "offset 0x") || strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error:\n got %s\nwant …%s…", err, tc.want)
			}
		})
	}
}

// TestReadV2: a wfcompat.manifest/v2 manifest is read against v2's schema
// and upgraded. Of WIT, it does not record the features its world was
// read with (v2 was written while they could be restricted, with no
// field for them): analyze.Open marks it so.
func TestReadV2(t *testing.T) {
	for _, tc := range []struct {
		file     string
		kind     string
		recorded bool
	}{
		{"testdata/features.v2.manifest.json", manifest.KindWIT, false},
		{"testdata/cb_forward.v2.manifest.json", manifest.KindCore, true},
	} {
		m, err := manifest.Read(readFile(t, tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if m.Schema != manifest.Schema || m.Legacy != manifest.SchemaV2 || m.Artifact.Kind != tc.kind {
			t.Errorf("%s: schema %q, legacy %q, kind %s", tc.file, m.Schema, m.Legacy, m.Artifact.Kind)
		}
		if tc.kind == manifest.KindCore && m.Callbacks == nil {
			t.Errorf("%s: v2's callback analysis was dropped", tc.file)
		}
		if f, recorded := m.RecordedWITFeatures(); recorded != tc.recorded || !f.All() {
			t.Errorf("%s: RecordedWITFeatures = %v, %v; want every feature, recorded %v", tc.file, f, recorded, tc.recorded)
		}
		a, err := analyze.Open(tc.file, analyze.Options{Manifests: manifest.Reader{}})
		if err != nil {
			t.Fatal(err)
		}
		if a.WITFeaturesUnrecorded == tc.recorded {
			t.Errorf("%s: WITFeaturesUnrecorded = %v", tc.file, a.WITFeaturesUnrecorded)
		}
	}
	// v1 was written only while WIT was read with every feature.
	v1 := `{"schema":"wfcompat.manifest/v1","version_id":"v","artifact":{"kind":"wit","sha256":"` + strings.Repeat("0", 64) + `","size":0},` +
		`"world":{"name":"w","imports":null,"exports":null},"wit":"","snapshot":{"save":[],"load":[]},"producers":[]}`
	m, err := manifest.Read([]byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	if f, recorded := m.RecordedWITFeatures(); !recorded || !f.All() {
		t.Errorf("v1 of WIT: RecordedWITFeatures = %v, %v; want every feature, recorded", f, recorded)
	}
}

// TestOpenWITManifestFeatures: analyze.Open gives a manifest of WIT the
// features it records.
func TestOpenWITManifestFeatures(t *testing.T) {
	a, err := analyze.Open("testdata/features.manifest.json", analyze.Options{Manifests: manifest.Reader{}})
	if err != nil {
		t.Fatal(err)
	}
	if a.WITFeaturesUnrecorded || !a.WITFeatures.Only || !slices.Equal(a.WITFeatures.Names, []string{"x"}) {
		t.Errorf("WITFeatures %+v, unrecorded %v; want x only, recorded", a.WITFeatures, a.WITFeaturesUnrecorded)
	}
}
