package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// resolveGit reads PATH at REV from the repository around opts.RepoDir,
// without a checkout: a file becomes a cache blob, a directory (a WIT
// package with deps/) a cache tree.
func resolveGit(r Ref, opts Options, c *cache) (*Local, error) {
	dir := opts.RepoDir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dir = wd
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("open the git repository at %s: %w", dir, err)
	}
	hash, err := repo.ResolveRevision(plumbing.Revision(r.Rev))
	if err != nil {
		return nil, revisionError(repo, r.Rev, err)
	}
	commit, err := repo.CommitObject(*hash)
	if err != nil {
		return nil, fmt.Errorf("revision %s (%s): %w", r.Rev, hash, objectError(repo, r.Rev, err))
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("revision %s: tree: %w", r.Rev, objectError(repo, r.Rev, err))
	}
	p := strings.Trim(path.Clean("/"+filepath.ToSlash(r.Path)), "/")
	if p == "" {
		return extractTree(repo, tree, opts, c)
	}
	entry, err := tree.FindEntry(p)
	if err != nil {
		return nil, fmt.Errorf("%s does not exist at revision %s (%s)", p, r.Rev, hash.String()[:12])
	}
	switch entry.Mode {
	case filemode.Dir:
		sub, err := repo.TreeObject(entry.Hash)
		if err != nil {
			return nil, fmt.Errorf("%s at %s: %w", p, r.Rev, objectError(repo, r.Rev, err))
		}
		return extractTree(repo, sub, opts, c)
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
	case filemode.Symlink:
		return nil, fmt.Errorf("%s at %s is a symbolic link; name the file it points to", p, r.Rev)
	default:
		return nil, fmt.Errorf("%s at %s is not a file (mode %s)", p, r.Rev, entry.Mode)
	}
	blob, err := repo.BlobObject(entry.Hash)
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", p, r.Rev, objectError(repo, r.Rev, err))
	}
	if blob.Size > opts.maxSize() {
		return nil, fmt.Errorf("%s at %s: %d bytes, larger than the limit of %d", p, r.Rev, blob.Size, opts.maxSize())
	}
	rd, err := blob.Reader()
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", p, r.Rev, err)
	}
	defer rd.Close()
	file, digest, err := c.store(rd, opts.maxSize(), "")
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", p, r.Rev, err)
	}
	return &Local{Path: file, Digest: digest}, nil
}

// revisionError explains a revision that does not resolve, saying how to
// fetch it; a shallow clone (actions/checkout's default) is named as the
// likely cause.
func revisionError(repo *git.Repository, rev string, err error) error {
	fetch := "git fetch origin " + rev
	if strings.HasPrefix(rev, "origin/") {
		fetch = "git fetch origin " + strings.TrimPrefix(rev, "origin/")
	}
	if shallow(repo) {
		return fmt.Errorf("revision %s not found: this is a shallow clone that does not have it; fetch it first (%s --depth=1, or actions/checkout with fetch-depth: 0)", rev, fetch)
	}
	return fmt.Errorf("revision %s not found (%v); fetch it first (%s)", rev, err, fetch)
}

// objectError explains a missing object: in a shallow clone, the history
// beyond the fetched depth is absent.
func objectError(repo *git.Repository, rev string, err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) && shallow(repo) {
		return fmt.Errorf("%w: the shallow clone does not hold it; fetch %s first (git fetch --depth=1 origin %s)", err, rev, rev)
	}
	return err
}

func shallow(repo *git.Repository) bool {
	s, err := repo.Storer.Shallow()
	return err == nil && len(s) > 0
}

// extractTree writes the files of tree into the cache (trees/git-HASH)
// and returns the directory. Symbolic links and submodules are refused:
// a directory of WIT must not point outside itself.
func extractTree(repo *git.Repository, tree *object.Tree, opts Options, c *cache) (*Local, error) {
	dst := filepath.Join(c.dir, "trees", "git-"+tree.Hash.String())
	if fi, err := os.Stat(dst); err == nil && fi.IsDir() {
		return &Local{Path: dst}, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	defer os.RemoveAll(tmp) // no-op after the rename
	var total int64
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		name, entry, err := walker.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tree %s: %w", tree.Hash, err)
		}
		target := filepath.Join(tmp, filepath.FromSlash(name))
		switch entry.Mode {
		case filemode.Dir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return nil, fmt.Errorf("cache: %w", err)
			}
			continue
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
		case filemode.Symlink:
			return nil, fmt.Errorf("%s is a symbolic link: a directory source must hold only files", name)
		default:
			return nil, fmt.Errorf("%s is a submodule or of unknown mode %s", name, entry.Mode)
		}
		blob, err := repo.BlobObject(entry.Hash)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if total += blob.Size; total > opts.maxSize() {
			return nil, fmt.Errorf("the tree holds more than %d bytes (the limit)", opts.maxSize())
		}
		if err := writeBlob(blob, target); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		if fi, serr := os.Stat(dst); serr == nil && fi.IsDir() {
			return &Local{Path: dst}, nil // extracted concurrently
		}
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Local{Path: dst}, nil
}

func writeBlob(blob *object.Blob, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	rd, err := blob.Reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, rd); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
