package rewrite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFileCancelled: a cancelled write (an interrupt) leaves neither
// the output nor a temporary file.
func TestWriteFileCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(dir, "out.wasm")
	if err := WriteFile(ctx, out, []byte("data")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("left %v", es)
	}
}

// TestCheckOutput covers each refusal of an output path.
func TestCheckOutput(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	os.WriteFile(f, nil, 0o644)
	ro := filepath.Join(dir, "ro")
	os.WriteFile(ro, nil, 0o444)
	link := filepath.Join(dir, "link")
	os.Symlink(f, link)
	for _, tc := range []struct {
		path string
		want error
	}{
		{filepath.Join(dir, "new"), nil},
		{f, nil},
		{dir, ErrOutputDir},
		{ro, ErrOutputReadOnly},
		{link, ErrOutputSymlink},
		{"/dev/null", ErrOutputIrregular},
	} {
		if err := CheckOutput(tc.path); !errors.Is(err, tc.want) {
			t.Errorf("CheckOutput(%s) = %v, want %v", tc.path, err, tc.want)
		}
	}
	if err := CheckOutput(filepath.Join(dir, "missing", "x")); err == nil {
		t.Error("an output in a missing directory passed")
	}
}
