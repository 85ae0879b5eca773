//go:build !linux

package witparse

import (
	"os"
	"path/filepath"
)

// listDir lists the directory dir, sorted by name; it does not keep it
// open (the returned descriptor is -1). buf is not used. With untyped,
// every entry's type comes from lstat, never from the listing, as
// os.ReadDir does itself where the file system reports none.
func listDir(dir string, buf []byte, untyped bool) (int, []dirEnt, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return -1, nil, err
	}
	ents := make([]dirEnt, len(des))
	for i, d := range des {
		ents[i] = dirEnt{name: d.Name(), typ: d.Type()}
		if untyped {
			st, err := os.Lstat(filepath.Join(dir, d.Name()))
			if err != nil {
				return -1, nil, err
			}
			ents[i].typ = st.Mode().Type()
		}
	}
	return -1, ents, nil
}

// closeDir closes a directory listDir returned open.
func closeDir(fd int) {}
