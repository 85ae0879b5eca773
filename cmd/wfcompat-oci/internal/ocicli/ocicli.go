package ocicli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/httpfetch"
	"github.com/wfcompat/wfcompat/source/ocifetch"
)

// IO is where the command writes.
type IO struct {
	Out io.Writer
	Err io.Writer
}

// Exit statuses.
const (
	ExitOK    = 0
	ExitError = 2
)

// Main runs the command line args and returns the exit status: 0, or 2
// after one line "wfcompat-oci: MESSAGE" on io.Err.
func Main(ctx context.Context, args []string, io *IO) int {
	return execute(ctx, args, io, nil)
}

// execute is Main with fetch's logic replaced by runF (nil runs it).
func execute(ctx context.Context, args []string, io *IO, runF func(*FetchOptions) error) int {
	root := NewCmdRoot(io, runF)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
		fmt.Fprintf(io.Err, "%s: %s\n", source.HelperName, msg)
		return ExitError
	}
	return ExitOK
}

// NewCmdRoot builds the wfcompat-oci command; runF replaces fetch's logic
// in tests (nil runs it).
func NewCmdRoot(io *IO, runF func(*FetchOptions) error) *cobra.Command {
	root := &cobra.Command{
		Use:   source.HelperName,
		Short: "Fetch the wasm layer of an OCI artifact, or an https:// URL (the helper wfcompat runs for oci:// and https:// sources)",
		Long: `wfcompat-oci fetches the wasm layer of a Wasm OCI artifact (the layout wkg and
wash push) from a registry, and downloads https:// URLs. It is a helper:
wfcompat runs it when a source is oci://… or https://… and not already in
wfcompat's cache (a digest-pinned reference whose manifest and layer are
cached and verify, or a URL with #sha256= whose content is cached, is read
without it), as git runs git-remote-https, so that the registry client, the
HTTP client and TLS, and their dependencies, are not loaded by every wfcompat
command. Install it beside wfcompat (the release archives and the container
image ship both; go install github.com/wfcompat/wfcompat/cmd/...@VERSION
installs both), or name it with WFCOMPAT_OCI_HELPER.

Registry credentials come from the Docker configuration (docker login,
~/.docker/config.json, credential helpers: each run of one is given a
minute to answer, then killed); registries on localhost and
private addresses are spoken to over http. An https:// download follows
redirects to https:// only. Proxies come from HTTPS_PROXY and NO_PROXY, root
certificates from the system (SSL_CERT_FILE and SSL_CERT_DIR add others).

It can be run by hand: fetch writes the layer or the download to a file and
prints one line of JSON describing it (protocol versions 1 and 2, documented
in package source of github.com/wfcompat/wfcompat: HelperProtocol).`,
		Version:       buildinfo.Read().String(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetVersionTemplate(source.HelperName + " {{.Version}}\n")
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(NewCmdFetch(io, runF))
	return root
}

// FetchOptions are the inputs of wfcompat-oci fetch.
type FetchOptions struct {
	IO       *IO
	Protocol int
	MaxSize  int64
	Output   string
	Blobs    string
	// Reference is an OCI reference (without oci://) or an https:// URL.
	Reference string
	// Fetcher fetches OCI references; nil is an ocifetch.Fetcher.
	Fetcher source.OCIFetcher
	// HTTP downloads https:// URLs; nil is an httpfetch.Fetcher.
	HTTP source.HTTPFetcher
}

// NewCmdFetch builds wfcompat-oci fetch.
func NewCmdFetch(io *IO, runF func(*FetchOptions) error) *cobra.Command {
	opts := &FetchOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "fetch -o FILE [--max-size N] [--blobs DIR] REFERENCE|URL",
		Short: "Write the wasm layer of the artifact REFERENCE names, or the download of URL, to FILE",
		Long: `Fetch writes the wasm layer of the artifact REFERENCE names
(REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:HEX; a leading oci://
is accepted) to FILE, through a temporary file and a rename, and prints one
line of JSON: {protocol, reference, manifestDigest, digest, size, mediaType,
path}. A layer larger than --max-size, or whose content does not have its
digest, is an error and leaves no FILE. With --blobs DIR, a layer (or a
manifest named by digest) found as DIR/sha256/HEX is not downloaded: path
names it.

Given an https:// URL (protocol version 2), fetch downloads it to FILE the
same way and prints {protocol, url, digest, size, path}: a redirect to
anything but https://, a status other than 200, more than --max-size bytes,
a minute without data, or content of another digest than the URL's
#sha256=HEX fragment is an error and leaves no FILE.`,
		Example: `  wfcompat-oci fetch -o app.wasm ghcr.io/acme/app:v1
  wfcompat-oci fetch -o app.wasm localhost:5000/acme/app@sha256:…
  wfcompat-oci fetch -o app.wasm https://example.com/app.wasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Reference = strings.TrimPrefix(args[0], "oci://")
			if runF != nil {
				return runF(opts)
			}
			return runFetch(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.Protocol, "protocol", source.HelperProtocol, "the helper protocol version to answer in (1: OCI references; 2: https:// URLs too)")
	cmd.Flags().Int64Var(&opts.MaxSize, "max-size", source.DefaultMaxSize, "refuse a layer or download larger than this many bytes")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "the file to write the layer or download to (required)")
	cmd.Flags().StringVar(&opts.Blobs, "blobs", "", "a directory of blobs by digest (DIR/sha256/HEX) to read instead of downloading (OCI only)")
	return cmd
}

func runFetch(ctx context.Context, opts *FetchOptions) error {
	if opts.Protocol < 1 || opts.Protocol > source.HelperProtocol {
		return fmt.Errorf("protocol version %d is not spoken by this helper (it speaks 1 to %d): install the wfcompat-oci of your wfcompat's version", opts.Protocol, source.HelperProtocol)
	}
	if opts.Output == "" {
		return errors.New("fetch: -o FILE is required")
	}
	if opts.MaxSize <= 0 {
		return fmt.Errorf("fetch: --max-size %d: want a positive number of bytes", opts.MaxSize)
	}
	var res any
	var err error
	if strings.HasPrefix(opts.Reference, "https://") || strings.HasPrefix(opts.Reference, "http://") {
		res, err = download(ctx, opts)
	} else {
		res, err = fetchOCI(ctx, opts)
	}
	if err != nil {
		return err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(opts.IO.Out, "%s\n", b)
	return err
}

// fetchOCI fetches an OCI reference (protocol version 1 and later).
func fetchOCI(ctx context.Context, opts *FetchOptions) (*source.OCIResult, error) {
	f := opts.Fetcher
	if f == nil {
		f = &ocifetch.Fetcher{}
	}
	res, err := f.FetchOCI(ctx, source.OCIRequest{Reference: opts.Reference, MaxSize: opts.MaxSize, Output: opts.Output, Blobs: opts.Blobs})
	if err != nil {
		return nil, err
	}
	res.Protocol = opts.Protocol
	return res, nil
}

// download downloads an https:// URL (protocol version 2 and later).
func download(ctx context.Context, opts *FetchOptions) (*source.HTTPResult, error) {
	if opts.Protocol < 2 {
		return nil, fmt.Errorf("fetch: %s: https:// URLs are fetched in protocol version 2, not %d", opts.Reference, opts.Protocol)
	}
	if opts.Blobs != "" {
		return nil, errors.New("fetch: --blobs is for OCI references, not https:// URLs")
	}
	r, err := source.Parse(opts.Reference) // refuses http:// and a bad #sha256=
	if err != nil {
		return nil, err
	}
	f := opts.HTTP
	if f == nil {
		f = &httpfetch.Fetcher{}
	}
	res, err := f.FetchHTTP(ctx, source.HTTPRequest{URL: r.URL, Digest: r.Digest, MaxSize: opts.MaxSize, Output: opts.Output})
	if err != nil {
		return nil, err
	}
	res.Protocol = opts.Protocol
	return res, nil
}
