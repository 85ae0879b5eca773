// Package ociartifact reads the manifest of a Wasm OCI artifact (the
// layout wkg and wash push: config application/vnd.wasm.config.v0+json,
// one application/wasm layer) and picks the layer wfcompat compares.
//
// Two packages decide which layer an oci:// source names, and they must
// agree: source/ocifetch, the registry client behind the wfcompat-oci
// helper, and package source itself, which serves a pinned reference
// (oci://…@sha256:…) whose manifest and layer are in its cache without
// running the helper. Both parse manifests and pick the layer here, so
// they accept the same manifests and fail with the same errors.
//
// The package does no I/O and links no registry client: the wfcompat
// command imports it through package source.
package ociartifact
