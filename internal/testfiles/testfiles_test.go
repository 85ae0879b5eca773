package testfiles

import (
	"slices"
	"testing"
)

func TestWriteNames(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"empty", nil, nil},
		{"files and a directory", map[string]string{"b.wit": "b", "a.wit": "a", "deps/c.wit": "c"}, []string{"a.wit", "b.wit", "deps"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Names(t, Write(t, c.files)); !slices.Equal(got, c.want) {
				t.Errorf("Names = %q, want %q", got, c.want)
			}
		})
	}
}
