// Package ocifetch fetches the wasm layer of a Wasm OCI artifact (the
// layout wkg and wash push: config application/vnd.wasm.config.v0+json,
// one application/wasm layer) with go-containerregistry: the registry
// protocol, credentials from the Docker configuration (docker login,
// ~/.docker/config.json, credential helpers), http for registries on
// localhost and private addresses.
//
// It is the implementation behind oci:// sources. The wfcompat command
// does not link it (go-containerregistry's dependencies cost every process
// about half a millisecond of start-up): it runs the wfcompat-oci helper
// executable, which does. A Go program that resolves sources itself may
// use it in process instead:
//
//	local, err := source.Resolve(ctx, "oci://ghcr.io/acme/app:prod",
//		source.Options{OCI: &ocifetch.Fetcher{}})
//
// Manifests are parsed and the wasm layer picked by package
// source/internal/ociartifact, which package source also uses to serve a
// pinned reference from its cache without the helper: both pick the same
// layer, with the same errors.
//
// A registry that accepts a request and stops sending does not hang the
// fetch: a request that receives no byte (headers or body) for
// Fetcher.Stall, a minute by default as for source/httpfetch's https
// downloads, is given up with a StallError; a slow download that keeps
// progressing is not cut short.
//
// The package writes only the request's output file (through a temporary
// file and a rename) and reads the request's blob directory; it never
// parses Wasm.
package ocifetch
