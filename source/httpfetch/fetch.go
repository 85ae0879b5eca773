package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wfcompat/wfcompat/internal/digestfile"
	"github.com/wfcompat/wfcompat/internal/stallhttp"
	"github.com/wfcompat/wfcompat/source"
)

// DefaultStall is how long a download may go without receiving a byte
// (its response headers, then each read of its body) before it is given
// up: a server that stops sending must not hang a CI job.
const DefaultStall = stallhttp.Default

// maxRedirects is as many redirects as net/http follows by default.
const maxRedirects = 10

// Fetcher is a source.HTTPFetcher on net/http. The zero value is ready to
// use.
type Fetcher struct {
	// Client makes the requests; nil is http.DefaultClient. Its redirect
	// policy (CheckRedirect) runs after the refusal of anything but
	// https, instead of net/http's default of at most 10 redirects; its
	// Transport is wrapped to give up a stalled download.
	Client *http.Client
	// Stall is how long a download may go without receiving a byte
	// before it is given up (with a stallhttp error); 0 is DefaultStall.
	Stall time.Duration
}

var _ source.HTTPFetcher = (*Fetcher)(nil)

// FetchHTTP downloads req.URL to req.Output; see source.HTTPRequest.
func (f *Fetcher) FetchHTTP(ctx context.Context, req source.HTTPRequest) (*source.HTTPResult, error) {
	if !strings.HasPrefix(req.URL, "https://") {
		return nil, fmt.Errorf("%s: not an https:// URL", req.URL)
	}
	if req.MaxSize <= 0 {
		return nil, fmt.Errorf("size limit %d: want a positive number of bytes", req.MaxSize)
	}
	client := httpsOnly(f.Client)
	client.Transport = &stallhttp.Transport{Base: client.Transport, Stall: f.Stall}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	if resp.ContentLength > req.MaxSize {
		return nil, fmt.Errorf("%d bytes, larger than the limit of %d", resp.ContentLength, req.MaxSize)
	}
	digest, size, err := digestfile.Save(req.Output, resp.Body, req.MaxSize, req.Digest)
	if errors.Is(err, digestfile.ErrTooLarge) {
		return nil, fmt.Errorf("larger than %d bytes (the limit; see source.Options.MaxSize)", req.MaxSize)
	}
	if err != nil {
		return nil, err
	}
	return &source.HTTPResult{URL: req.URL, Digest: digest, Size: size, Path: req.Output}, nil
}

// httpsOnly returns a copy of client (nil: http.DefaultClient) with a
// redirect policy that refuses anything but https, before the client's
// own policy (or net/http's default of at most 10 redirects).
func httpsOnly(client *http.Client) *http.Client {
	if client == nil {
		client = http.DefaultClient
	}
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
