package ociartifact

import (
	"strings"
	"testing"
)

func TestWasmLayer(t *testing.T) {
	d := "sha256:" + strings.Repeat("ab", 32)
	wasm := Descriptor{MediaType: MediaTypeWasm, Size: 1, Digest: d}
	for _, c := range []struct {
		name string
		m    Manifest
		max  int64
		want Descriptor
		err  string
	}{
		{"one wasm layer", Manifest{Layers: []Descriptor{{MediaType: "text/plain", Digest: d}, wasm}}, 10, wasm, ""},
		{"only layer of a wasm config", Manifest{Config: Descriptor{MediaType: MediaTypeWasmConfig}, Layers: []Descriptor{{MediaType: "text/plain", Size: 3, Digest: d}}}, 10,
			Descriptor{MediaType: "text/plain", Size: 3, Digest: d}, ""},
		{"at the limit", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm, Size: 10, Digest: d}}}, 10, Descriptor{MediaType: MediaTypeWasm, Size: 10, Digest: d}, ""},
		{"two wasm layers", Manifest{Layers: []Descriptor{wasm, wasm}}, 10, Descriptor{}, "has 2 application/wasm layers"},
		{"container image", Manifest{Config: Descriptor{MediaType: mediaTypeOCIConfig}, Layers: []Descriptor{{MediaType: "application/vnd.oci.image.layer.v1.tar"}}}, 10, Descriptor{},
			"a container image (layers application/vnd.oci.image.layer.v1.tar)"},
		{"docker image", Manifest{Config: Descriptor{MediaType: mediaTypeDockerConfig}}, 10, Descriptor{}, "a container image"},
		{"no wasm layer", Manifest{Config: Descriptor{MediaType: "application/x-other"}, Layers: []Descriptor{{MediaType: "text/plain"}}}, 10, Descriptor{},
			"no application/wasm layer (layers: text/plain)"},
		{"no layers", Manifest{}, 10, Descriptor{}, "no application/wasm layer (layers: )"},
		{"over the limit", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm, Size: 11, Digest: d}}}, 10, Descriptor{}, "wasm layer " + d + ": 11 bytes, larger than the limit of 10"},
		{"negative size", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm, Size: -1, Digest: d}}}, 10, Descriptor{}, "negative size -1"},
		{"sha512", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm, Digest: "sha512:" + strings.Repeat("ab", 64)}}}, 10, Descriptor{}, "only sha256 is supported"},
		{"no digest", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm}}}, 10, Descriptor{}, `wasm layer digest "": only sha256 is supported`},
		{"upper-case algorithm", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm, Digest: strings.ToUpper(d[:7]) + strings.ToUpper(d[7:])}}}, 10, Descriptor{}, "only sha256"},
		{"upper-case hex digits", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm, Digest: "sha256:" + strings.Repeat("AB", 32)}}}, 10, Descriptor{}, "64 lowercase hex digits"},
		{"short hex", Manifest{Layers: []Descriptor{{MediaType: MediaTypeWasm, Digest: "sha256:abc"}}}, 10, Descriptor{}, "64 lowercase hex digits"},
	} {
		got, err := WasmLayer(&c.m, c.max)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.err)
		}
	}
}

func TestParseManifest(t *testing.T) {
	d := "sha256:" + strings.Repeat("ab", 32)
	for _, c := range []struct {
		name, in string
		want     int // layers
		err      string
	}{
		{"wasm artifact", `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"` + MediaTypeWasmConfig +
			`","size":2,"digest":"` + d + `"},"layers":[{"mediaType":"application/wasm","size":8,"digest":"` + d + `"}]}`, 1, ""},
		{"fields it does not read", `{"layers":[],"annotations":7,"subject":"x","layersX":1}`, 0, ""},
		{"keys in another case", `{"LAYERS":[{"MediaType":"application/wasm"}]}`, 1, ""},
		{"trailing data", `{"layers":[]} {}`, 0, "at byte 15: invalid character"},
		{"not JSON", `{"layers":[}`, 0, "at byte 12: invalid character"},
		{"wrong type", `{"layers":[{"size":"8"}]}`, 0, "at byte 22: json: cannot unmarshal string"},
		{"fractional size", `{"layers":[{"size":1.5}]}`, 0, "cannot unmarshal number 1.5"},
		{"too large", `{"layers":[]}` + strings.Repeat(" ", MaxManifestSize), 0, "larger than the limit of 4194304"},
	} {
		m, err := ParseManifest([]byte(c.in))
		if c.err == "" && (err != nil || len(m.Layers) != c.want) {
			t.Errorf("%s: %+v, %v", c.name, m, err)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.err)
		}
	}
}

// FuzzWasmLayer: parsing and picking never panic, and a picked layer has
// a sha256 digest and a size within the limit.
func FuzzWasmLayer(f *testing.F) {
	d := "sha256:" + strings.Repeat("ab", 32)
	for _, s := range []string{
		`{"config":{"mediaType":"` + MediaTypeWasmConfig + `"},"layers":[{"mediaType":"text/plain","size":8,"digest":"` + d + `"}]}`,
		`{"layers":[{"mediaType":"application/wasm","size":8,"digest":"` + d + `"},{"mediaType":"application/wasm"}]}`,
		`{"layers":[{"mediaType":"application/wasm","size":-8,"digest":"sha512:00"}]}`,
		`null`, `[]`, `{"layers":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil {
			return
		}
		l, err := WasmLayer(m, 1000)
		if err != nil {
			return
		}
		if alg, hex, _ := strings.Cut(l.Digest, ":"); alg != "sha256" || !isLowerHex(hex, 64) || l.Size < 0 || l.Size > 1000 {
			t.Fatalf("picked %+v", l)
		}
	})
}

// TestMediaTypeValues: the values package source's documentation states.
func TestMediaTypeValues(t *testing.T) {
	if MediaTypeWasm != "application/wasm" || MediaTypeWasmConfig != "application/vnd.wasm.config.v0+json" {
		t.Errorf("media types %q, %q", MediaTypeWasm, MediaTypeWasmConfig)
	}
}
