package source

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// HTTPFetcher downloads an https:// source. Package source does not link
// an HTTP client itself: net/http and crypto/tls (their package
// initialization and page faults) would cost every wfcompat process
// about a quarter of a millisecond of start-up. Resolve uses Options.HTTP
// when set (package source/httpfetch implements HTTPFetcher in process),
// and otherwise runs the wfcompat-oci helper executable, which implements
// it in its own process (protocol version 2, see HelperProtocol).
//
// A fetcher follows redirects to https:// URLs only, gives up a download
// that receives no byte for a minute (headers or body; one that keeps
// progressing is not cut short), refuses a status other than 200 OK and
// more than HTTPRequest.MaxSize bytes, declared or read. Resolve checks
// what it returns: the file's bytes must have the digest it reports (and
// the #sha256= of the URL, when given) and fit Options.MaxSize; the file
// then moves into the cache. Resolve does not ask a fetcher for a URL
// with #sha256= whose content is in its cache.
type HTTPFetcher interface {
	FetchHTTP(ctx context.Context, req HTTPRequest) (*HTTPResult, error)
}

// HTTPRequest is what Resolve asks an HTTPFetcher for.
type HTTPRequest struct {
	// URL is the https:// URL, without its #sha256= fragment.
	URL string
	// Digest, when not "", is the "sha256:HEX" the content must have:
	// other content is an error.
	Digest string
	// MaxSize caps the download: a larger one is an error, declared or
	// read.
	MaxSize int64
	// Output is the file the download is written to, through a temporary
	// file in its directory and a rename: after an error it does not
	// exist.
	Output string
}

// HTTPResult describes what an HTTPFetcher downloaded. It is also the
// wire format of the helper's answer to an https:// URL: one line of JSON
// on its standard output.
type HTTPResult struct {
	// Protocol is the helper protocol's version (2); in-process fetchers
	// may leave it 0.
	Protocol int `json:"protocol,omitempty"`
	// URL is the URL asked for (HTTPRequest.URL).
	URL string `json:"url"`
	// Digest and Size describe the content: "sha256:HEX" and its length.
	Digest string `json:"digest"`
	Size   int64  `json:"size"`
	// Path is where the content is: HTTPRequest.Output.
	Path string `json:"path"`
}

// resolveHTTP downloads an https URL into the cache through opts.HTTP, or
// the helper. With a #sha256= fragment a cached copy is used without a
// request, and a download of other content is refused. The fetcher
// writes into a private directory beside the cache's blobs, removed
// whatever happens (a failed or interrupted download leaves nothing); a
// download it finished is checked and moves into the cache by a rename.
func resolveHTTP(ctx context.Context, r Ref, opts Options, c *cache) (*Local, error) {
	if p := c.lookup(r.Digest); p != "" {
		return &Local{Path: p, Digest: r.Digest}, nil
	}
	f := opts.HTTP
	if f == nil {
		h, err := findHelper(opts)
		if err != nil {
			return nil, err
		}
		f = h
	}
	tmp, removeTmp, err := tempDir(filepath.Join(c.dir, "blobs", "sha256"), ".tmp-https-*")
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	defer removeTmp()
	req := HTTPRequest{URL: r.URL, Digest: r.Digest, MaxSize: opts.maxSize(), Output: filepath.Join(tmp, "download")}
	res, err := f.FetchHTTP(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	if res == nil {
		return nil, errors.New("download: the fetcher returned no result")
	}
	switch {
	case !isDigest(res.Digest):
		return nil, fmt.Errorf("download: digest %q: only sha256 is supported", res.Digest)
	case req.Digest != "" && res.Digest != req.Digest:
		return nil, fmt.Errorf("download: content has digest %s, want %s", res.Digest, req.Digest)
	case res.Size > req.MaxSize:
		return nil, fmt.Errorf("download: %d bytes, larger than the limit of %d", res.Size, req.MaxSize)
	case filepath.Clean(res.Path) != req.Output:
		return nil, fmt.Errorf("download: the fetcher named %s, not the file it was asked to write (%s)", res.Path, req.Output)
	}
	path, err := c.adopt(req.Output, req.MaxSize, res.Digest)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return &Local{Path: path, Digest: res.Digest}, nil
}

// helperURL is r's URL as the helper is given it: with the #sha256=
// fragment when the digest is known, so that it refuses other content
// before writing its output.
func helperURL(req HTTPRequest) string {
	if req.Digest == "" {
		return req.URL
	}
	return req.URL + "#sha256=" + strings.TrimPrefix(req.Digest, "sha256:")
}
