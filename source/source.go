package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxSize caps what Resolve reads from standard input or downloads:
// far above the largest real component (tens of MB), far below what would
// hurt the machine.
const DefaultMaxSize = 256 << 20

// Kind is where an input lives.
type Kind string

// Kinds of source.
const (
	KindFile  Kind = "file"
	KindStdin Kind = "stdin"
	KindGit   Kind = "git"
	KindOCI   Kind = "oci"
	KindHTTP  Kind = "https"
)

// Ref is a parsed source reference.
type Ref struct {
	Kind Kind
	// Raw is the reference as given.
	Raw string
	// Rev and Path: for git, the revision and the path in its tree; for a
	// file, Path is the path.
	Rev, Path string
	// Image is the OCI reference without the oci:// prefix.
	Image string
	// URL is the https URL without its fragment; Digest is the expected
	// "sha256:HEX" from a #sha256=HEX fragment, or "".
	URL, Digest string
}

// Parse parses a source reference; see the package documentation.
func Parse(s string) (Ref, error) {
	r := Ref{Raw: s}
	switch {
	case s == "":
		return r, errors.New("empty source")
	case s == "-":
		r.Kind = KindStdin
	case strings.HasPrefix(s, "git:"):
		rev, path, ok := strings.Cut(strings.TrimPrefix(s, "git:"), ":")
		if !ok || rev == "" || strings.Trim(path, "/") == "" && path != "." {
			return r, fmt.Errorf("%s: want git:REV:PATH (e.g. git:origin/main:build/app.wasm)", s)
		}
		r.Kind, r.Rev, r.Path = KindGit, rev, path
	case strings.HasPrefix(s, "oci://"):
		r.Kind, r.Image = KindOCI, strings.TrimPrefix(s, "oci://")
		if r.Image == "" {
			return r, fmt.Errorf("%s: want oci://REGISTRY/REPOSITORY:TAG or @sha256:DIGEST", s)
		}
	case strings.HasPrefix(s, "https://"):
		r.Kind = KindHTTP
		u, frag, _ := strings.Cut(s, "#")
		r.URL = u
		if frag != "" {
			hex, ok := strings.CutPrefix(frag, "sha256=")
			if !ok || !isHexDigest(hex) {
				return r, fmt.Errorf("%s: fragment must be #sha256=<64 hex digits>", s)
			}
			r.Digest = "sha256:" + strings.ToLower(hex)
		}
	case strings.HasPrefix(s, "http://"):
		return r, fmt.Errorf("%s: plain http is not accepted; use https://", s)
	default:
		r.Kind, r.Path = KindFile, s
	}
	return r, nil
}

// Options control Resolve. The zero value works: the user cache
// directory, os.Stdin, the wfcompat-oci helper for oci:// and https://
// sources, the repository around the working directory, DefaultMaxSize.
type Options struct {
	// CacheDir holds fetched artifacts; "" is wfcompat under
	// os.UserCacheDir (or under os.TempDir when there is none).
	CacheDir string
	// Stdin is read for "-".
	Stdin io.Reader
	// RepoDir is where git sources look for the repository (it and its
	// parents); "" is the working directory.
	RepoDir string
	// MaxSize caps the bytes read from stdin or downloaded; 0 is
	// DefaultMaxSize.
	MaxSize int64
	// OCI fetches oci:// sources in process (package source/ocifetch
	// implements it); nil runs the wfcompat-oci helper executable. Neither
	// is asked for a pinned reference whose manifest and layer are cached.
	OCI OCIFetcher
	// HTTP downloads https:// sources in process (package
	// source/httpfetch implements it, on net/http); nil runs the
	// wfcompat-oci helper executable. Neither is asked for a URL with
	// #sha256= whose content is cached. (It replaces the HTTPClient
	// field of earlier versions: package source links no HTTP client.)
	HTTP HTTPFetcher
	// OCIHelper is the path of the wfcompat-oci helper, which fetches
	// oci:// and https:// sources; "" looks for it
	// as the package documentation says ($WFCOMPAT_OCI_HELPER, beside
	// the running executable, on PATH).
	OCIHelper string
}

func (o Options) maxSize() int64 {
	if o.MaxSize > 0 {
		return o.MaxSize
	}
	return DefaultMaxSize
}

// Local is a resolved source: a local path to open, and how to name it.
type Local struct {
	// Path is the local file or directory holding the artifact: the path
	// itself for a local source, a cache entry otherwise.
	Path string
	// Name is the source as given, for messages and reports.
	Name string
	// Digest is "sha256:HEX" of the file's bytes when Resolve read them
	// ("" for local sources and directories).
	Digest string
	Kind   Kind
}

// Resolve fetches the artifact ref names, if it is not local, and returns
// where it is on disk.
func Resolve(ctx context.Context, ref string, opts Options) (*Local, error) {
	r, err := Parse(ref)
	if err != nil {
		return nil, err
	}
	c, err := openCache(opts.CacheDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	var l *Local
	switch r.Kind {
	case KindFile:
		return &Local{Path: r.Path, Name: ref, Kind: KindFile}, nil
	case KindStdin:
		l, err = resolveStdin(opts, c)
	case KindGit:
		l, err = resolveGit(ctx, r, opts, c)
	case KindOCI:
		l, err = resolveOCI(ctx, r, opts, c)
	case KindHTTP:
		l, err = resolveHTTP(ctx, r, opts, c)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	l.Name, l.Kind = ref, r.Kind
	return l, nil
}

func resolveStdin(opts Options, c *cache) (*Local, error) {
	in := opts.Stdin
	if in == nil {
		in = os.Stdin
	}
	path, digest, err := c.store(in, opts.maxSize(), "")
	if err != nil {
		return nil, fmt.Errorf("read standard input: %w", err)
	}
	return &Local{Path: path, Digest: digest}, nil
}

func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range strings.ToLower(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// defaultCacheDir is wfcompat under the user cache directory.
func defaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "wfcompat")
	}
	return filepath.Join(os.TempDir(), "wfcompat-cache")
}
