package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/wfcompat/wfcompat/internal/stallhttp"
)

// downloadStall is how long a download may go without receiving a byte
// (the response headers included) before it is given up: a server that
// stops sending must not hang a CI job.
const downloadStall = stallhttp.Default

// maxRedirects is as many redirects as net/http follows by default.
const maxRedirects = 10

// resolveHTTP downloads an https URL into the cache. With a #sha256=
// fragment a cached copy is used without a request, and a download of
// other content is refused.
func resolveHTTP(ctx context.Context, r Ref, opts Options, c *cache) (*Local, error) {
	if p := c.lookup(r.Digest); p != "" {
		return &Local{Path: p, Digest: r.Digest}, nil
	}
	path, digest, err := download(ctx, opts.httpClient(), r, opts.maxSize(), c, downloadStall)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return &Local{Path: path, Digest: digest}, nil
}

// download fetches r.URL into the cache with client, refusing a redirect
// to anything but https (Parse refuses plain http; a redirect must not
// get round that), and giving up when no byte arrives for stall.
func download(ctx context.Context, client *http.Client, r Ref, max int64, c *cache, stall time.Duration) (string, string, error) {
	client = httpsOnly(client)
	client.Transport = &stallhttp.Transport{Base: client.Transport, Stall: stall}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return "", "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("HTTP %s", resp.Status)
	}
	if resp.ContentLength > max {
		return "", "", fmt.Errorf("%d bytes, larger than the limit of %d", resp.ContentLength, max)
	}
	return c.store(resp.Body, max, r.Digest)
}

// httpsOnly returns client with a redirect policy that refuses anything
// but https, before the client's own policy (or net/http's default of at
// most 10 redirects).
func httpsOnly(client *http.Client) *http.Client {
	c := *client
	own := client.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirected to %s: plain http is not accepted", req.URL.Redacted())
		}
		if own != nil {
			return own(req, via)
		}
		if len(via) >= maxRedirects {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &c
}
