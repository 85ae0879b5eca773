// Package httpfetch downloads https:// sources with net/http: redirects
// to https:// only (a URL given as https must not be downgraded to plain
// http by the server), status 200 OK, a size cap, declared or read, and
// a download that receives no byte for a minute (headers or body; one
// that keeps progressing is not cut short) given up, as package
// source/ocifetch gives up registry requests (internal/stallhttp).
//
// It is the implementation behind https:// sources. The wfcompat command
// does not link it (net/http and crypto/tls cost every process about a
// quarter of a millisecond of start-up): it runs the wfcompat-oci helper
// executable, which does. A Go program that resolves sources itself may
// download in process instead:
//
//	local, err := source.Resolve(ctx, "https://example.com/app.wasm",
//		source.Options{HTTP: &httpfetch.Fetcher{}})
//
// Fetcher.Client replaces the client (a proxy, other root certificates,
// a test server's client); it replaces source.Options.HTTPClient of
// earlier versions.
//
// The package writes only the request's output file (through a temporary
// file in its directory and a rename); it never parses Wasm.
package httpfetch
