package ocifetch

import (
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/wfcompat/wfcompat/source"
)

// wasmLayer picks the layer to compare: the one application/wasm layer,
// or the only layer of an artifact with the wasm config.
func wasmLayer(m *v1.Manifest) (v1.Descriptor, error) {
	var found []v1.Descriptor
	for _, l := range m.Layers {
		if string(l.MediaType) == source.MediaTypeWasm {
			found = append(found, l)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return v1.Descriptor{}, fmt.Errorf("the artifact has %d %s layers; expected one", len(found), source.MediaTypeWasm)
	case len(m.Layers) == 1 && string(m.Config.MediaType) == source.MediaTypeWasmConfig:
		return m.Layers[0], nil
	}
	var kinds []string
	for _, l := range m.Layers {
		kinds = append(kinds, string(l.MediaType))
	}
	if m.Config.MediaType == types.DockerConfigJSON || m.Config.MediaType == types.OCIConfigJSON {
		return v1.Descriptor{}, fmt.Errorf("a container image (layers %s), not a wasm artifact: expected a %s layer", strings.Join(kinds, ", "), source.MediaTypeWasm)
	}
	return v1.Descriptor{}, fmt.Errorf("no %s layer (layers: %s)", source.MediaTypeWasm, strings.Join(kinds, ", "))
}
