package source

import (
	"context"
	"fmt"
	"net/http"
)

// resolveHTTP downloads an https URL into the cache. With a #sha256=
// fragment a cached copy is used without a request, and a download of
// other content is refused.
func resolveHTTP(ctx context.Context, r Ref, opts Options, c *cache) (*Local, error) {
	if p := c.lookup(r.Digest); p != "" {
		return &Local{Path: p, Digest: r.Digest}, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := opts.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download: HTTP %s", resp.Status)
	}
	if resp.ContentLength > opts.maxSize() {
		return nil, fmt.Errorf("download: %d bytes, larger than the limit of %d", resp.ContentLength, opts.maxSize())
	}
	path, digest, err := c.store(resp.Body, opts.maxSize(), r.Digest)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return &Local{Path: path, Digest: digest}, nil
}
