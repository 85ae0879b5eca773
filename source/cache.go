package source

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wfcompat/wfcompat/internal/digestfile"
	"github.com/wfcompat/wfcompat/internal/interrupt"
)

// cache is a content-addressed store of fetched artifacts.
type cache struct{ dir string }

func openCache(dir string) (*cache, error) {
	if dir == "" {
		dir = defaultCacheDir()
	}
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &cache{dir: dir}, nil
}

// blobPath is where the blob with digest "sha256:HEX" lives.
func (c *cache) blobPath(digest string) string {
	return filepath.Join(c.dir, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:"))
}

// lookup returns the path of a cached blob whose content still has its
// digest, or "".
func (c *cache) lookup(digest string) string { return c.lookupSized(digest, -1) }

// lookupSized returns the path of a cached blob whose content still has
// its digest and, unless size is negative, exactly size bytes; or "". A
// damaged entry is fetched again (store replaces it).
func (c *cache) lookupSized(digest string, size int64) string {
	if !isDigest(digest) {
		return ""
	}
	p := c.blobPath(digest)
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || size >= 0 && fi.Size() != size {
		return ""
	}
	var r io.Reader = f
	if size >= 0 {
		r = io.LimitReader(f, size+1)
	}
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil || size >= 0 && n != size || "sha256:"+hex.EncodeToString(h.Sum(nil)) != digest {
		return ""
	}
	return p
}

// read returns the content of a cached blob of at most max bytes that
// has digest, or nil.
func (c *cache) read(digest string, max int64) []byte {
	if !isDigest(digest) {
		return nil
	}
	f, err := os.Open(c.blobPath(digest))
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(b)) > max {
		return nil
	}
	if sum := sha256.Sum256(b); "sha256:"+hex.EncodeToString(sum[:]) != digest {
		return nil
	}
	return b
}

// store copies at most max bytes of r into the cache and returns its path
// and digest. With want set, content of another digest is an error and
// is not kept. A source longer than max is an error.
func (c *cache) store(r io.Reader, max int64, want string) (string, string, error) {
	tmp, err := digestfile.Write(filepath.Join(c.dir, "blobs", "sha256"), ".tmp-*", r, max)
	if errors.Is(err, digestfile.ErrTooLarge) {
		return "", "", fmt.Errorf("larger than %d bytes (the limit; see source.Options.MaxSize)", max)
	}
	if err != nil {
		return "", "", fmt.Errorf("cache: %w", err)
	}
	defer tmp.Remove() // no-op after the rename
	digest := tmp.Digest
	if want != "" && digest != want {
		return "", "", fmt.Errorf("content has digest %s, want %s", digest, want)
	}
	p := c.blobPath(digest)
	if err := tmp.Rename(p); err != nil {
		return "", "", fmt.Errorf("cache: %w", err)
	}
	return p, digest, nil
}

// adopt moves the file at path, which must be in the cache's directory
// tree (same file system), into the cache when its content has digest
// want and at most max bytes; otherwise it is an error and the file is
// left where it is.
func (c *cache) adopt(path string, max int64, want string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, max+1))
	f.Close()
	if err != nil {
		return "", err
	}
	if n > max {
		return "", fmt.Errorf("larger than %d bytes (the limit; see source.Options.MaxSize)", max)
	}
	if digest := "sha256:" + hex.EncodeToString(h.Sum(nil)); digest != want {
		return "", fmt.Errorf("content has digest %s, want %s", digest, want)
	}
	p := c.blobPath(want)
	if err := os.Rename(path, p); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	return p, nil
}

// tempDir makes a new directory in dir, named after pattern as
// os.MkdirTemp names them, that a signal ending the wfcompat command
// removes (internal/interrupt), and returns it with the function that
// removes it (a no-op once it was renamed).
func tempDir(dir, pattern string) (string, func(), error) {
	var tmp string
	var undo *interrupt.Cleanup
	var err error
	interrupt.Do(func() {
		if tmp, err = os.MkdirTemp(dir, pattern); err == nil {
			undo = interrupt.OnSignal(func() { os.RemoveAll(tmp) })
		}
	})
	if err != nil {
		return "", nil, err
	}
	return tmp, func() {
		os.RemoveAll(tmp)
		undo.Cancel()
	}, nil
}
