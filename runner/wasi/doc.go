// Package wasi is the runner's deterministic WASI 0.2 host: exactly the
// interfaces the Golem components of the corpus import, at @0.2.0 through
// @0.2.3 (a host version satisfies a guest import by semver).
//
//   - wasi:cli environment (fixed; empty unless configured), arguments,
//     exit, stdin (empty), stdout and stderr (captured into writers), and
//     the terminal interfaces (no terminal attached);
//   - wasi:filesystem preopens (none) and types (every descriptor
//     operation fails with bad-descriptor);
//   - wasi:io error, streams and poll;
//   - wasi:clocks wall-clock and monotonic-clock as a virtual clock: a
//     fixed start, and time that advances only when the guest polls a
//     pollable that is not ready yet (a guest sleeping 1000 ms finishes at
//     once, and always sees the same times);
//   - wasi:random random, insecure and insecure-seed from a seeded generator;
//   - wasi:http types and outgoing-handler, without network: every request
//     fails with HTTP-request-denied, unless a local response is configured.
//
// The host implements component.Host. It must not reach the real clock,
// the file system, the network or the process environment.
package wasi
