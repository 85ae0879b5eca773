package ociartifact

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Media types of the wasm OCI artifact layout (CNCF TAG Runtime's "Wasm
// OCI Artifact layout", what wkg and wash push), and the config media
// types of container images, which are named in errors.
const (
	// MediaTypeWasm is the layer holding the component or module.
	MediaTypeWasm = "application/wasm"
	// MediaTypeWasmConfig is the artifact's config.
	MediaTypeWasmConfig = "application/vnd.wasm.config.v0+json"

	mediaTypeDockerConfig = "application/vnd.docker.container.image.v1+json"
	mediaTypeOCIConfig    = "application/vnd.oci.image.config.v1+json"
)

// MaxManifestSize caps a manifest: the OCI distribution specification
// asks registries to accept manifests of up to 4 MiB, and a wasm
// artifact's is under a kilobyte.
const MaxManifestSize = 4 << 20

// Descriptor is the part of an OCI content descriptor wfcompat reads.
type Descriptor struct {
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	// Digest is as the manifest has it: "ALGORITHM:HEX", unchecked until
	// WasmLayer picks the descriptor.
	Digest string `json:"digest"`
}

// Manifest is the part of an OCI image manifest wfcompat reads. Fields
// it does not read (annotations, subject, platform) are ignored, whatever
// they hold.
type Manifest struct {
	MediaType string       `json:"mediaType"`
	Config    Descriptor   `json:"config"`
	Layers    []Descriptor `json:"layers"`
}

// ParseManifest parses the JSON of an image manifest of at most
// MaxManifestSize bytes.
func ParseManifest(b []byte) (*Manifest, error) {
	if len(b) > MaxManifestSize {
		return nil, fmt.Errorf("%d bytes, larger than the limit of %d", len(b), MaxManifestSize)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return nil, fmt.Errorf("at byte %d: %w", syntax.Offset, err)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("at byte %d: %w", typ.Offset, err)
		}
		return nil, err
	}
	return &m, nil
}

// WasmLayer picks the layer to compare: the one application/wasm layer,
// or the only layer of an artifact with the wasm config. Its digest must
// be sha256 and its declared size at most maxSize.
func WasmLayer(m *Manifest, maxSize int64) (Descriptor, error) {
	l, err := pick(m)
	if err != nil {
		return Descriptor{}, err
	}
	if alg, hex, _ := strings.Cut(l.Digest, ":"); alg != "sha256" {
		return Descriptor{}, fmt.Errorf("wasm layer digest %q: only sha256 is supported", l.Digest)
	} else if !isLowerHex(hex, 64) {
		return Descriptor{}, fmt.Errorf("wasm layer digest %q: want sha256: and 64 lowercase hex digits", l.Digest)
	}
	if l.Size < 0 {
		return Descriptor{}, fmt.Errorf("wasm layer %s: negative size %d", l.Digest, l.Size)
	}
	if l.Size > maxSize {
		return Descriptor{}, fmt.Errorf("wasm layer %s: %d bytes, larger than the limit of %d", l.Digest, l.Size, maxSize)
	}
	return l, nil
}

func pick(m *Manifest) (Descriptor, error) {
	var found []Descriptor
	for _, l := range m.Layers {
		if l.MediaType == MediaTypeWasm {
			found = append(found, l)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return Descriptor{}, fmt.Errorf("the artifact has %d %s layers; expected one", len(found), MediaTypeWasm)
	case len(m.Layers) == 1 && m.Config.MediaType == MediaTypeWasmConfig:
		return m.Layers[0], nil
	}
	var kinds []string
	for _, l := range m.Layers {
		kinds = append(kinds, l.MediaType)
	}
	if m.Config.MediaType == mediaTypeDockerConfig || m.Config.MediaType == mediaTypeOCIConfig {
		return Descriptor{}, fmt.Errorf("a container image (layers %s), not a wasm artifact: expected a %s layer", strings.Join(kinds, ", "), MediaTypeWasm)
	}
	return Descriptor{}, fmt.Errorf("no %s layer (layers: %s)", MediaTypeWasm, strings.Join(kinds, ", "))
}

// isLowerHex reports whether s is n lowercase hex digits.
func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
