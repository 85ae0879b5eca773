// Package stallhttp gives up an HTTP request when its response stops
// arriving: a watchdog cancels the request when no byte (of the headers,
// then of each body read) comes for the stall time, and any byte restarts
// it. A server that accepts the connection and then sends nothing must
// not hang a CI job, and a slow download that keeps progressing must not
// be cut short. The https downloads of source/httpfetch and the registry
// requests of source/ocifetch share it.
package stallhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// Default is how long a request may go without receiving a byte (its
// response headers, then each read of its body) before it is given up.
const Default = time.Minute

// Error is the error of a body read given up because the server sent
// nothing for Stall. It is not temporary: clients that retry temporary
// errors (go-containerregistry) do not retry it.
type Error struct {
	Method, URL string
	Stall       time.Duration
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: no data for %v: giving up", e.Method, e.URL, e.Stall)
}

// Transport gives up a request when no byte of its response arrives for
// Stall: a watchdog cancels the request's context, restarted by every read
// that returns data. It covers every request made through it (for
// go-containerregistry: token, manifest, blob), whatever the transport
// underneath: an http.Transport's ResponseHeaderTimeout would only cover
// the headers, and its error is marked temporary, which clients retry.
type Transport struct {
	// Base makes the requests (nil: http.DefaultTransport).
	Base http.RoundTripper
	// Stall is how long a response may send nothing (0: Default).
	Stall time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base, stall := t.Base, t.Stall
	if base == nil {
		base = http.DefaultTransport
	}
	if stall <= 0 {
		stall = Default
	}
	ctx, cancel := context.WithCancel(req.Context())
	w := &watchdog{cancel: cancel, stall: stall, err: &Error{Method: req.Method, URL: req.URL.Redacted(), Stall: stall}}
	w.timer = time.AfterFunc(stall, w.fire)
	resp, err := base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		w.stop()
		if w.stalled() {
			// Without the URL: net/http's client adds it (url.Error).
			return nil, fmt.Errorf("no data for %v: giving up", stall)
		}
		return nil, err
	}
	w.timer.Reset(stall)
	resp.Body = &watchedBody{rc: resp.Body, w: w}
	return resp, nil
}

// watchdog cancels a request after stall without data.
type watchdog struct {
	cancel context.CancelFunc
	stall  time.Duration
	timer  *time.Timer
	err    *Error

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
// reports a read cut short by it as an Error.
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
