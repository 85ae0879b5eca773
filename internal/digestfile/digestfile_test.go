package digestfile

import (
	"bytes"
	"errors"
	"os"
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
