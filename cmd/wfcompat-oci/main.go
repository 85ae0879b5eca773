// Command wfcompat-oci fetches the wasm layer of a Wasm OCI artifact, or
// downloads an https:// URL. It is the helper the wfcompat command runs
// for oci:// and https:// sources that are not already in its cache, as
// git runs git-remote-https for https remotes: the registry client,
// net/http and crypto/tls and their dependencies live here, so that every
// other wfcompat process starts without them. It can be run by hand:
//
//	wfcompat-oci fetch -o app.wasm ghcr.io/acme/app:v1
//	wfcompat-oci fetch -o app.wasm https://example.com/app.wasm
//
// The protocol between wfcompat and the helper is documented in package
// source (HelperProtocol).
//
// main is the only place that exits: 0 on success, 2 on any error (one
// line on standard error). A signal (SIGINT, SIGTERM, SIGHUP) ends it as
// it ends wfcompat (internal/interrupt): the temporary file of the layer
// or download being written is removed, a credential helper it runs is
// sent SIGTERM, and the process ends by the signal (status 130, 143, 129
// in a shell), leaving no partial output.
package main

import (
	"context"
	"os"

	"github.com/wfcompat/wfcompat/cmd/wfcompat-oci/internal/ocicli"
	"github.com/wfcompat/wfcompat/internal/interrupt"
)

func main() {
	interrupt.Enable()
	os.Exit(ocicli.Main(context.Background(), os.Args[1:], &ocicli.IO{Out: os.Stdout, Err: os.Stderr}))
}
