package source

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Media types of the wasm OCI artifact layout (CNCF TAG Runtime's
// "Wasm OCI Artifact layout", what wkg and wash push).
const (
	// MediaTypeWasm is the layer holding the component or module.
	MediaTypeWasm = "application/wasm"
	// MediaTypeWasmConfig is the artifact's config.
	MediaTypeWasmConfig = "application/vnd.wasm.config.v0+json"
)

// resolveOCI fetches the wasm layer of an OCI artifact. Credentials come
// from the Docker configuration (docker login, ~/.docker/config.json);
// registries on localhost and private addresses are spoken to over http.
func resolveOCI(ctx context.Context, r Ref, opts Options, c *cache) (*Local, error) {
	ref, err := name.ParseReference(r.Image, name.StrictValidation)
	if err != nil {
		if ref, err = name.ParseReference(r.Image); err != nil {
			return nil, fmt.Errorf("not an OCI reference (want oci://REGISTRY/REPOSITORY:TAG or @sha256:DIGEST): %w", err)
		}
	}
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)}
	if opts.HTTPClient != nil && opts.HTTPClient.Transport != nil {
		ropts = append(ropts, remote.WithTransport(opts.HTTPClient.Transport))
	} else {
		ropts = append(ropts, remote.WithTransport(http.DefaultTransport))
	}
	m, err := ociManifest(ref, ropts, c)
	if err != nil {
		return nil, err
	}
	layer, err := wasmLayer(m)
	if err != nil {
		return nil, err
	}
	if layer.Size > opts.maxSize() {
		return nil, fmt.Errorf("wasm layer %s: %d bytes, larger than the limit of %d", layer.Digest, layer.Size, opts.maxSize())
	}
	digest := layer.Digest.String()
	if layer.Digest.Algorithm != "sha256" {
		return nil, fmt.Errorf("wasm layer digest %s: only sha256 is supported", digest)
	}
	if p := c.lookup(digest); p != "" {
		return &Local{Path: p, Digest: digest}, nil
	}
	l, err := remote.Layer(ref.Context().Digest(digest), ropts...)
	if err != nil {
		return nil, fmt.Errorf("fetch wasm layer %s: %w", digest, err)
	}
	rc, err := l.Compressed()
	if err != nil {
		return nil, fmt.Errorf("fetch wasm layer %s: %w", digest, err)
	}
	defer rc.Close()
	path, got, err := c.store(rc, opts.maxSize(), digest)
	if err != nil {
		return nil, fmt.Errorf("fetch wasm layer %s: %w", digest, err)
	}
	return &Local{Path: path, Digest: got}, nil
}

// ociManifest returns the manifest ref names. A manifest named by digest
// never changes: it is kept in the cache, so that a pinned baseline
// (oci://…@sha256:…) needs no network once fetched.
func ociManifest(ref name.Reference, ropts []remote.Option, c *cache) (*v1.Manifest, error) {
	_, pinned := ref.(name.Digest)
	if pinned {
		if p := c.lookup(ref.Identifier()); p != "" {
			if b, err := os.ReadFile(p); err == nil {
				if m, err := v1.ParseManifest(bytes.NewReader(b)); err == nil {
					return m, nil
				}
			}
		}
	}
	desc, err := remote.Get(ref, ropts...)
	if err != nil {
		return nil, fmt.Errorf("fetch manifest: %w", err)
	}
	if desc.MediaType.IsIndex() {
		return nil, fmt.Errorf("%s is an image index (%s), not a wasm artifact; name one of its manifests by digest", ref, desc.MediaType)
	}
	m, err := v1.ParseManifest(bytes.NewReader(desc.Manifest))
	if err != nil {
		return nil, fmt.Errorf("parse manifest: %w", err)
	}
	if pinned {
		// Kept only when its content has the digest asked for.
		c.store(bytes.NewReader(desc.Manifest), int64(len(desc.Manifest)), ref.Identifier())
	}
	return m, nil
}

// wasmLayer picks the layer to compare: the one application/wasm layer,
// or the only layer of an artifact with the wasm config.
func wasmLayer(m *v1.Manifest) (v1.Descriptor, error) {
	var found []v1.Descriptor
	for _, l := range m.Layers {
		if string(l.MediaType) == MediaTypeWasm {
			found = append(found, l)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return v1.Descriptor{}, fmt.Errorf("the artifact has %d %s layers; expected one", len(found), MediaTypeWasm)
	case len(m.Layers) == 1 && string(m.Config.MediaType) == MediaTypeWasmConfig:
		return m.Layers[0], nil
	}
	var kinds []string
	for _, l := range m.Layers {
		kinds = append(kinds, string(l.MediaType))
	}
	if m.Config.MediaType == types.DockerConfigJSON || m.Config.MediaType == types.OCIConfigJSON {
		return v1.Descriptor{}, fmt.Errorf("a container image (layers %s), not a wasm artifact: expected a %s layer", strings.Join(kinds, ", "), MediaTypeWasm)
	}
	return v1.Descriptor{}, fmt.Errorf("no %s layer (layers: %s)", MediaTypeWasm, strings.Join(kinds, ", "))
}
