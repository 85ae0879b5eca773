package ocifetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/wfcompat/wfcompat/internal/digestfile"
	"github.com/wfcompat/wfcompat/internal/stallhttp"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/internal/ociartifact"
)

// MaxManifestSize caps a manifest: the OCI distribution specification
// asks registries to accept manifests of up to 4 MiB, and a wasm
// artifact's is under a kilobyte.
const MaxManifestSize = ociartifact.MaxManifestSize

// Fetcher is a source.OCIFetcher on go-containerregistry. The zero value
// is ready to use.
type Fetcher struct {
	// Keychain supplies registry credentials; nil is the Docker
	// configuration and its credential helpers, read as
	// authn.DefaultKeychain reads them, with each credential helper run
	// given at most CredentialTimeout to answer.
	Keychain authn.Keychain
	// CredentialTimeout bounds one run of a Docker credential helper
	// when Keychain is nil; 0 is DefaultCredentialTimeout.
	CredentialTimeout time.Duration
	// Stall is how long a request to the registry may go without
	// receiving a byte before it is given up (with a StallError); 0 is
	// DefaultStall.
	Stall time.Duration
	// Transport, when not nil, carries the registry requests (nil:
	// http.DefaultTransport). It replaces source.OCIRequest.Transport of
	// earlier versions, which package source, linking no HTTP client, no
	// longer has.
	Transport http.RoundTripper
}

var _ source.OCIFetcher = (*Fetcher)(nil)

// FetchOCI fetches the manifest req.Reference names, picks its wasm layer
// and writes the layer to req.Output, unless req.Blobs holds it; see
// source.OCIRequest.
func (f *Fetcher) FetchOCI(ctx context.Context, req source.OCIRequest) (*source.OCIResult, error) {
	ref, err := name.ParseReference(req.Reference, name.StrictValidation)
	if err != nil {
		if ref, err = name.ParseReference(req.Reference); err != nil {
			return nil, fmt.Errorf("not an OCI reference (want oci://REGISTRY/REPOSITORY:TAG or @sha256:DIGEST): %w", err)
		}
	}
	kc := f.Keychain
	if kc == nil {
		kc = &credentialKeychain{timeout: f.CredentialTimeout}
	}
	transport := &stallhttp.Transport{Base: f.Transport, Stall: f.Stall}
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc), remote.WithTransport(transport)}
	res := &source.OCIResult{Reference: ref.Name()}
	m, err := manifest(ref, ropts, req.Blobs, res)
	if err != nil {
		return nil, err
	}
	// The layer is picked as package source picks it from a cached
	// manifest: same rules, same errors.
	layer, err := ociartifact.WasmLayer(m, req.MaxSize)
	if err != nil {
		return nil, err
	}
	digest := layer.Digest
	h, err := v1.NewHash(digest)
	if err != nil {
		return nil, fmt.Errorf("wasm layer digest %q: %w", digest, err)
	}
	res.Digest, res.Size, res.MediaType = digest, layer.Size, layer.MediaType
	if p := blobPath(req.Blobs, h); p != "" {
		if _, err := readBlob(p, h, req.MaxSize); err == nil {
			res.Path = p
			return res, nil
		}
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
	if err := writeFile(req.Output, rc, req.MaxSize, h); err != nil {
		return nil, fmt.Errorf("fetch wasm layer %s: %w", digest, err)
	}
	res.Path = req.Output
	return res, nil
}

// manifest returns the manifest ref names and notes its digest in res. A
// manifest named by digest never changes: it is read from the blob
// directory when there, and otherwise returned in res.Manifest for the
// caller to keep, so that a pinned baseline (oci://…@sha256:…) needs no
// network once fetched.
func manifest(ref name.Reference, ropts []remote.Option, blobs string, res *source.OCIResult) (*ociartifact.Manifest, error) {
	var pinned *v1.Hash
	if d, ok := ref.(name.Digest); ok {
		if h, err := v1.NewHash(d.DigestStr()); err == nil {
			pinned = &h
			res.ManifestDigest = h.String()
			if p := blobPath(blobs, h); p != "" {
				if b, err := readBlob(p, h, MaxManifestSize); err == nil {
					if m, err := ociartifact.ParseManifest(b); err == nil {
						return m, nil
					}
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
	if len(desc.Manifest) > MaxManifestSize {
		return nil, fmt.Errorf("manifest %s: %d bytes, larger than the limit of %d", desc.Digest, len(desc.Manifest), MaxManifestSize)
	}
	m, err := ociartifact.ParseManifest(desc.Manifest)
	if err != nil {
		return nil, fmt.Errorf("parse manifest: %w", err)
	}
	res.ManifestDigest = desc.Digest.String()
	if pinned != nil {
		res.Manifest = desc.Manifest
	}
	return m, nil
}

// blobPath is where the blob directory would hold h, or "" without one.
func blobPath(blobs string, h v1.Hash) string {
	if blobs == "" || h.Algorithm != "sha256" || len(h.Hex) != sha256.Size*2 {
		return ""
	}
	return filepath.Join(blobs, h.Algorithm, h.Hex)
}

// readBlob reads the blob at p when it has digest h and at most max bytes.
func readBlob(p string, h v1.Hash, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, max)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != h.Hex {
		return nil, fmt.Errorf("%s: content does not have digest %s", p, h)
	}
	return b, nil
}

// writeFile writes at most max bytes of r, which must have digest want, to
// path through a temporary file in its directory and a rename: after an
// error, path does not exist (or is what it was).
func writeFile(path string, r io.Reader, max int64, want v1.Hash) error {
	_, _, err := digestfile.Save(path, r, max, want.String())
	if errors.Is(err, digestfile.ErrTooLarge) {
		return fmt.Errorf("larger than %d bytes (the limit)", max)
	}
	return err
}
