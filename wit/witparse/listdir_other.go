//go:build !linux

package witparse

import "os"

// listDir lists the directory dir, sorted by name; it does not keep it
// open (the returned descriptor is -1). buf is not used.
func listDir(dir string, buf []byte) (int, []dirEnt, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return -1, nil, err
	}
	ents := make([]dirEnt, len(des))
	for i, d := range des {
		ents[i] = dirEnt{name: d.Name(), typ: d.Type()}
	}
	return -1, ents, nil
}

// closeDir closes a directory listDir returned open.
func closeDir(fd int) {}
