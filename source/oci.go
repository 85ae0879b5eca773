package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/wfcompat/wfcompat/source/internal/ociartifact"
)

// Media types of the wasm OCI artifact layout (CNCF TAG Runtime's
// "Wasm OCI Artifact layout", what wkg and wash push).
const (
	// MediaTypeWasm, "application/wasm", is the layer holding the
	// component or module.
	MediaTypeWasm = ociartifact.MediaTypeWasm
	// MediaTypeWasmConfig, "application/vnd.wasm.config.v0+json", is the
	// artifact's config.
	MediaTypeWasmConfig = ociartifact.MediaTypeWasmConfig
)

// OCIFetcher fetches the wasm layer of an OCI artifact. Package source
// does not speak the registry protocol itself: linking a registry client
// (go-containerregistry and its dependencies) would cost every wfcompat
// process about half a millisecond of start-up. Resolve uses
// Options.OCI when set (package source/ocifetch implements OCIFetcher in
// process), and otherwise runs the wfcompat-oci helper executable, which
// implements it in its own process (see HelperProtocol).
//
// Resolve checks what a fetcher returns: the layer's bytes must have the
// digest it reports and fit Options.MaxSize; a manifest it returns must
// have the digest it reports. Resolve does not ask a fetcher for a
// reference pinned by digest whose manifest and layer are in its cache
// (see the package documentation).
type OCIFetcher interface {
	FetchOCI(ctx context.Context, req OCIRequest) (*OCIResult, error)
}

// OCIRequest is what Resolve asks an OCIFetcher for.
type OCIRequest struct {
	// Reference is the OCI reference without oci://
	// (REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:HEX).
	Reference string
	// MaxSize caps the layer's size: a larger one is an error, declared
	// or read.
	MaxSize int64
	// Output is the file the layer is written to, through a temporary
	// file in its directory and a rename: after an error it does not
	// exist.
	Output string
	// Blobs, when not "", is a directory of blobs named by digest
	// (Blobs/sha256/HEX, the blobs directory of the OCI image layout),
	// read only. A layer found there with its digest is not downloaded
	// (the result's Path names it and Output is not written), and neither
	// is a manifest named by digest.
	Blobs string
}

// OCIResult describes the layer an OCIFetcher fetched. It is also the
// wire format of the helper protocol: one line of JSON on the helper's
// standard output.
type OCIResult struct {
	// Protocol is HelperProtocol; in-process fetchers may leave it 0.
	Protocol int `json:"protocol,omitempty"`
	// Reference is the reference as the fetcher understood it (with the
	// registry and tag defaults filled in).
	Reference string `json:"reference"`
	// ManifestDigest is the "sha256:HEX" digest of the artifact's manifest.
	ManifestDigest string `json:"manifestDigest,omitempty"`
	// Manifest is the manifest's bytes, set only when the reference names
	// it by digest and it was downloaded (not found in Blobs), so that
	// the caller may keep it: a pinned baseline then needs no network.
	Manifest []byte `json:"manifest,omitempty"`
	// Digest, Size and MediaType describe the wasm layer.
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
	MediaType string `json:"mediaType"`
	// Path is where the layer is: OCIRequest.Output, or its blob in
	// OCIRequest.Blobs.
	Path string `json:"path"`
}

// resolveOCI fetches the wasm layer of an OCI artifact through
// opts.OCI, or the helper, into the cache. The fetcher may read the cache
// (OCIRequest.Blobs) but never writes it: what it returns is checked and
// then stored here, by digest. A pinned reference whose manifest and
// layer are in the cache is served from it without a fetcher.
func resolveOCI(ctx context.Context, r Ref, opts Options, c *cache) (*Local, error) {
	if l, done, err := cachedOCI(r.Image, opts.maxSize(), c); done {
		return l, err
	}
	f := opts.OCI
	if f == nil {
		h, err := findHelper(opts)
		if err != nil {
			return nil, err
		}
		f = h
	}
	// The fetcher writes into a private directory beside the cache's
	// blobs, removed whatever happens: a fetch that fails or is canceled
	// (the helper killed) leaves nothing behind, and a layer it fetched
	// moves into the cache with a rename.
	tmp, removeTmp, err := tempDir(filepath.Join(c.dir, "blobs", "sha256"), ".tmp-oci-*")
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	defer removeTmp()
	req := OCIRequest{
		Reference: r.Image,
		MaxSize:   opts.maxSize(),
		Output:    filepath.Join(tmp, "layer"),
		Blobs:     filepath.Join(c.dir, "blobs"),
	}
	res, err := f.FetchOCI(ctx, req)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, errors.New("the OCI fetcher returned no result")
	}
	if !isDigest(res.Digest) {
		return nil, fmt.Errorf("wasm layer digest %q: only sha256 is supported", res.Digest)
	}
	if res.Size > req.MaxSize {
		return nil, fmt.Errorf("wasm layer %s: %d bytes, larger than the limit of %d", res.Digest, res.Size, req.MaxSize)
	}
	if res.Manifest != nil && isDigest(res.ManifestDigest) && strings.HasSuffix(r.Image, "@"+res.ManifestDigest) {
		// A pinned manifest, kept only when its content has the digest asked for.
		c.store(bytes.NewReader(res.Manifest), int64(len(res.Manifest)), res.ManifestDigest)
	}
	if filepath.Clean(res.Path) != req.Output {
		// Found in the cache by the fetcher; checked again here.
		if p := c.lookup(res.Digest); p != "" {
			return &Local{Path: p, Digest: res.Digest}, nil
		}
		return nil, fmt.Errorf("wasm layer %s: the fetcher named %s, which does not hold it", res.Digest, res.Path)
	}
	path, err := c.adopt(req.Output, req.MaxSize, res.Digest)
	if err != nil {
		return nil, fmt.Errorf("wasm layer %s: %w", res.Digest, err)
	}
	return &Local{Path: path, Digest: res.Digest}, nil
}

// cachedOCI resolves a pinned reference (REGISTRY/REPOSITORY@sha256:HEX)
// from the cache alone, as a fetcher given the cache's blobs
// (OCIRequest.Blobs) would, without running one: the manifest is the
// blob named by the reference's digest, and it is parsed, and the layer
// picked, by the code source/ocifetch uses (package ociartifact), so the
// layer and the errors are the fetcher's. done is false when the fetcher
// must be asked: a tag (it may have moved), a reference this package is
// not sure the fetcher accepts, a manifest or layer that is not in the
// cache, or an entry whose content does not have its digest, or the
// layer's size. Every cache entry used is verified here.
func cachedOCI(image string, maxSize int64, c *cache) (l *Local, done bool, err error) {
	pin, ok := pinnedDigest(image)
	if !ok {
		return nil, false, nil
	}
	b := c.read(pin, ociartifact.MaxManifestSize)
	if b == nil {
		return nil, false, nil
	}
	m, err := ociartifact.ParseManifest(b)
	if err != nil {
		return nil, false, nil // the fetcher asks the registry, and reports it
	}
	layer, err := ociartifact.WasmLayer(m, maxSize)
	if err != nil {
		return nil, true, err // what the fetcher says of this manifest
	}
	p := c.lookupSized(layer.Digest, layer.Size)
	if p == "" {
		return nil, false, nil
	}
	return &Local{Path: p, Digest: layer.Digest}, true, nil
}

// pinnedDigest returns the manifest digest of a reference pinned by
// digest (REGISTRY/REPOSITORY[:TAG]@sha256:HEX), and whether the
// reference is one. It accepts only references the registry client
// (go-containerregistry's name.ParseReference, which ocifetch uses)
// parses as that digest: the repository and tag syntax is checked as it
// checks it, and anything else (a tag alone, another algorithm, a URL
// scheme) goes to the fetcher, which decides.
func pinnedDigest(image string) (string, bool) {
	if strings.HasPrefix(image, "http://") || strings.HasPrefix(image, "https://") {
		return "", false
	}
	base, pin, ok := strings.Cut(image, "@")
	if !ok || strings.Contains(pin, "@") || !isDigest(pin) {
		return "", false
	}
	// A tag before the digest is ignored, as the registry client ignores it.
	if i := strings.LastIndexByte(base, ':'); i >= 0 && !strings.Contains(base[i+1:], "/") {
		if !onlyOf(base[i+1:], tagChars, 128) {
			return "", false
		}
		base = base[:i]
	}
	registry, repo := "", base
	if first, rest, ok := strings.Cut(base, "/"); ok && (first == "localhost" || strings.ContainsAny(first, ".:")) {
		registry, repo = first, rest
	}
	if !onlyOf(repo, repositoryChars, 255) {
		return "", false
	}
	if u, err := url.Parse("//" + registry); err != nil || u.Host != registry {
		return "", false
	}
	return pin, true
}

// The characters go-containerregistry allows in repositories and tags.
const (
	repositoryChars = "abcdefghijklmnopqrstuvwxyz0123456789_-./"
	tagChars        = "abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// onlyOf reports whether s is 1 to max characters of chars.
func onlyOf(s, chars string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(chars, s[i]) < 0 {
			return false
		}
	}
	return true
}

// isDigest reports whether s is "sha256:" and 64 lowercase hex digits.
func isDigest(s string) bool {
	hex, ok := strings.CutPrefix(s, "sha256:")
	return ok && isHexDigest(hex) && strings.ToLower(hex) == hex
}
