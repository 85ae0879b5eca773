package ocifetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultStall is how long a registry request may go without receiving a
// byte (its response headers, then each read of its body) before it is
// given up, the policy of package source's https downloads: a registry
// that accepts the connection and stops sending must not hang a CI job,
// and a slow download that keeps progressing is not cut short.
const DefaultStall = time.Minute

// StallError is the error of a request given up because the registry sent
// nothing for Stall. It is not temporary: go-containerregistry does not
// retry it.
type StallError struct {
	Method, URL string
	Stall       time.Duration
}

func (e *StallError) Error() string {
	return fmt.Sprintf("%s %s: no data for %v: giving up", e.Method, e.URL, e.Stall)
}

// stallTransport gives up a request when no byte of its response arrives
// for stall: a watchdog cancels the request's context, restarted by every
// read that returns data. It covers every request go-containerregistry
// makes (token, manifest, blob), whatever the transport underneath: an
// http.Transport's ResponseHeaderTimeout would only cover the headers, and
// its error is marked temporary, which go-containerregistry retries.
type stallTransport struct {
	base  http.RoundTripper
	stall time.Duration
}

func (t *stallTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	w := &watchdog{cancel: cancel, stall: t.stall, err: &StallError{Method: req.Method, URL: req.URL.Redacted(), Stall: t.stall}}
	w.timer = time.AfterFunc(t.stall, w.fire)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		w.stop()
		if w.stalled() {
			// Without the URL: net/http's client adds it (url.Error).
			return nil, fmt.Errorf("no data for %v: giving up", t.stall)
		}
		return nil, err
	}
	w.timer.Reset(t.stall)
	resp.Body = &watchedBody{rc: resp.Body, w: w}
	return resp, nil
}

// watchdog cancels a request after stall without data.
type watchdog struct {
	cancel context.CancelFunc
	stall  time.Duration
	timer  *time.Timer
	err    *StallError

	mu   sync.Mutex
	done bool // fired
}

func (w *watchdog) fire() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
	w.cancel()
}

func (w *watchdog) stalled() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done
}

// stop stops the timer and releases the request's context.
func (w *watchdog) stop() {
	w.timer.Stop()
	w.cancel()
}

// watchedBody restarts its request's watchdog whenever bytes arrive, and
// reports a read cut short by it as a StallError.
type watchedBody struct {
	rc   io.ReadCloser
	w    *watchdog
	once sync.Once
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.w.timer.Reset(b.w.stall)
	}
	if err != nil && !errors.Is(err, io.EOF) && b.w.stalled() {
		err = b.w.err
	}
	return n, err
}

func (b *watchedBody) Close() error {
	err := b.rc.Close()
	b.once.Do(b.w.stop)
	return err
}
