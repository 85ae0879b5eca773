package ocifetch

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/internal/ociartifact"
)

// FuzzManifestOracle holds ociartifact.ParseManifest, which the fetcher
// and package source's cache both use, to go-containerregistry's
// v1.ParseManifest: what both accept reads the same, and what only
// ociartifact refuses is JSON followed by more data.
func FuzzManifestOracle(f *testing.F) {
	for _, img := range []v1.Image{
		ocitest.WasmArtifact(f, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm),
		ocitest.WasmArtifact(f, []byte("\x00asm"), "application/octet-stream"),
		ocitest.ContainerImage(f),
	} {
		b, err := img.RawManifest()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	d := "sha256:" + strings.Repeat("ab", 32)
	for _, s := range []string{`{"layers":[{"mediaType":"application/wasm","size":8,"digest":"` + d + `"}]} x`,
		`{"Layers":[{"MEDIATYPE":"application/wasm","digest":"sha512:00"}],"annotations":{"a":"b"}}`, `null`, `{"layers":[{"digest":null}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want, werr := v1.ParseManifest(bytes.NewReader(b))
		got, err := ociartifact.ParseManifest(b)
		if err != nil {
			if werr == nil && !moreAfterJSON(b) {
				t.Fatalf("ociartifact refuses what v1 reads as %+v: %v", want, err)
			}
			return
		}
		if werr != nil {
			return // v1 also checks fields wfcompat does not read
		}
		if got.MediaType != string(want.MediaType) || !sameDescriptor(got.Config, want.Config) || len(got.Layers) != len(want.Layers) {
			t.Fatalf("read %+v, v1 %+v", got, want)
		}
		for i := range got.Layers {
			if !sameDescriptor(got.Layers[i], want.Layers[i]) {
				t.Fatalf("layer %d: read %+v, v1 %+v", i, got.Layers[i], want.Layers[i])
			}
		}
	})
}

func sameDescriptor(d ociartifact.Descriptor, w v1.Descriptor) bool {
	digest := ""
	if w.Digest != (v1.Hash{}) {
		digest = w.Digest.String()
	}
	return d.MediaType == string(w.MediaType) && d.Size == w.Size && d.Digest == digest
}

// moreAfterJSON reports whether b holds a JSON value followed by more than
// white space (which a json.Decoder, as v1.ParseManifest uses, ignores).
func moreAfterJSON(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	var v any
	if dec.Decode(&v) != nil {
		return false
	}
	// JSON's whitespace only: bytes.TrimSpace would also drop \f, \v and
	// Unicode spaces, which are data after the value.
	return len(bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")) > 0
}
