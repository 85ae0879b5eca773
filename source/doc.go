// Package source fetches the artifacts wfcompat compares from where they
// live, so that a CI gate can name its baseline instead of keeping a copy:
//
//	path/to/file.wasm          a local file or directory (returned as is)
//	-                          standard input
//	git:REV:PATH               PATH as committed at REV in the enclosing git
//	                           repository, read with the git command's plumbing
//	                           (rev-parse, ls-tree, cat-file), without a
//	                           checkout (a shallow CI clone works when REV was
//	                           fetched; otherwise the error says how to fetch it)
//	oci://REGISTRY/REPO:TAG    the wasm layer of an OCI artifact in the layout
//	oci://REGISTRY/REPO@sha256:…  wkg and wash push (config
//	                           application/vnd.wasm.config.v0+json, one
//	                           application/wasm layer), fetched by the
//	                           wfcompat-oci helper executable or in process
//	                           (Options.OCI, package source/ocifetch)
//	https://HOST/PATH[#sha256=HEX]  a download, checked against the digest
//	                           when given, made by the same helper or in
//	                           process (Options.HTTP, package
//	                           source/httpfetch); a redirect to anything
//	                           but https:// is refused
//
// Everything fetched is stored under the user cache directory by content
// digest (blobs/sha256/HEX; git trees under trees/git-HASH), written through
// a temporary file and a rename, and Resolve returns that local path with a
// display name for messages: the caller opens it like any local input
// (analyze.Open). A download whose digest is known in advance (an OCI
// layer, an OCI manifest named by digest, a URL with #sha256=) is not
// fetched again.
//
// The package links no registry client, and no HTTP client: neither
// net/http nor crypto/tls, whose package initialization would cost every
// wfcompat process start-up time. https:// sources are downloaded by an
// HTTPFetcher: Options.HTTP when set (source/httpfetch is one, on
// net/http; it replaces Options.HTTPClient of earlier versions),
// otherwise the wfcompat-oci helper executable. oci:// sources are
// fetched by an OCIFetcher: Options.OCI when set (source/ocifetch is one,
// on go-containerregistry), otherwise the same helper, which Resolve runs
// as git runs git-remote-https (see HelperProtocol for where it is looked
// for and what it is asked). Either way Resolve checks what was fetched
// (a download's digest, the URL's #sha256= when given, and its size; an
// OCI layer's digest and size) and stores it in the cache itself, with
// the manifest of an OCI reference pinned by digest. Such a reference
// (oci://…@sha256:…, which never changes) whose manifest and layer are in
// the cache is then resolved without a fetcher: no helper is run, or
// needs to be installed. Resolve reads the cached manifest, checks that
// its bytes have the pinned digest, picks the wasm layer with the code
// source/ocifetch uses (same rules, same errors), and checks the cached
// layer's digest and size. An entry missing or failing a check goes to
// the fetcher, which fetches it again; a tag (it may have moved) always
// does.
//
// A server that stops sending fails the fetch instead of hanging it: an
// https download of source/httpfetch, and every registry request of
// source/ocifetch, in process or in the helper, is given up after a
// minute without receiving a byte (headers or body; a slow download that
// keeps progressing is not cut short); Resolve kills a helper that runs
// ten minutes without writing its output; and the git
// commands run with GIT_TERMINAL_PROMPT=0 and an http low-speed limit of
// 1 byte a second over 60 seconds, which bounds the on-demand fetches of
// a partial clone over http(s); over ssh, unless the user chose an ssh
// command (GIT_SSH_COMMAND, core.sshCommand, GIT_SSH: left alone), ssh
// runs in batch mode (no prompt) with a 60-second connect timeout and
// keepalive probes that give up a dead server after about a minute.
//
// Errors name the source and what failed ("git:main:app.wasm: revision
// main not found ..."). The package decides nothing about the artifact
// itself: it never parses Wasm.
package source
