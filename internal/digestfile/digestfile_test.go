package digestfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	const sum = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" // "hello"
	for _, tc := range []struct {
		name string
		max  int64
		err  error
	}{
		{"under the limit", 10, nil},
		{"at the limit", 5, nil},
		{"over the limit", 4, ErrTooLarge},
	} {
		dir := t.TempDir()
		f, err := Write(dir, ".tmp-*", bytes.NewReader([]byte("hello")), tc.max)
		left, _ := os.ReadDir(dir)
		if tc.err != nil {
			if !errors.Is(err, tc.err) || len(left) != 0 {
				t.Errorf("%s: err %v, files %v; want %v and no file", tc.name, err, left, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got, rerr := os.ReadFile(f.Name)
		if rerr != nil || string(got) != "hello" || f.Digest != sum || len(left) != 1 {
			t.Errorf("%s: %q %q %v, files %v", tc.name, got, f.Digest, rerr, left)
		}
		// Rename moves it; Remove after Rename leaves the new name alone.
		dst := dir + "/kept"
		if err := f.Rename(dst); err != nil {
			t.Fatal(err)
		}
		f.Remove()
		if b, err := os.ReadFile(dst); err != nil || string(b) != "hello" {
			t.Errorf("%s: after Rename and Remove: %q, %v", tc.name, b, err)
		}
	}
	if _, err := Write("/nonexistent/dir", "x-*", bytes.NewReader(nil), 1); err == nil {
		t.Error("a missing directory: no error")
	}
}

// TestSave: the content lands at the path with its digest and size; a
// wrong digest or a stream over the limit leaves nothing in the directory.
func TestSave(t *testing.T) {
	const sum = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" // "hello"
	for _, tc := range []struct {
		name, want string
		max        int64
		err        string // "" for success
	}{
		{"any digest", "", 5, ""},
		{"the digest wanted", sum, 5, ""},
		{"another digest", "sha256:" + strings.Repeat("0", 64), 5, "content has digest " + sum},
		{"over the limit", "", 4, ErrTooLarge.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out")
			digest, size, err := Save(path, strings.NewReader("hello"), tc.max, tc.want)
			left, _ := os.ReadDir(dir)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || len(left) != 0 {
					t.Fatalf("err %v, %d files left; want %q and none", err, len(left), tc.err)
				}
				return
			}
			b, rerr := os.ReadFile(path)
			if err != nil || rerr != nil || string(b) != "hello" || digest != sum || size != 5 || len(left) != 1 {
				t.Fatalf("Save = %q, %d, %v (file %q, %v; %d entries)", digest, size, err, b, rerr, len(left))
			}
		})
	}
}
