package cli

import (
	"context"
	"errors"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/source"
)

// fetchSide resolves an artifact argument that is not a local path — "-",
// git:REV:PATH, oci://…, https://… (package source) — to a local file,
// and returns it with a function that puts the argument back in place of
// the local path in errors, so that messages name what the user typed.
func fetchSide(io *IO, arg string) (string, func(error) error, error) {
	same := func(err error) error { return err }
	ref, err := source.Parse(arg)
	if err != nil {
		return "", nil, err // git:, oci://, https:// malformed; plain http://
	}
	if ref.Kind == source.KindFile {
		return arg, same, nil // a local path (./git:x for a file named so), for wfcompat.Open to judge
	}
	opts := source.Options{Stdin: io.In, MaxSize: io.MaxInputSize}
	if io.Getwd != nil {
		if wd, err := io.Getwd(); err == nil {
			opts.RepoDir = wd
		}
	}
	local, err := source.Resolve(context.Background(), arg, opts)
	if err != nil {
		return "", nil, err
	}
	return local.Path, func(err error) error {
		var ae *analyze.Error
		if errors.As(err, &ae) && ae.Path == local.Path {
			ae.Path = arg
		}
		if err != nil && strings.Contains(err.Error(), local.Path) {
			// A file inside a fetched tree (a WIT directory at git:REV:DIR)
			// is named by the argument too, not by the cache directory.
			return &renamed{err: err, from: local.Path, to: arg}
		}
		return err
	}, nil
}

// renamed is err with the local path of a fetched artifact replaced by
// the argument that named it.
type renamed struct {
	err      error
	from, to string
}

func (e *renamed) Error() string {
	msg := strings.ReplaceAll(e.err.Error(), e.from, e.to)
	return strings.Replace(msg, e.to+": "+e.to+": ", e.to+": ", 1) // the argument once
}
func (e *renamed) Unwrap() error { return e.err }
