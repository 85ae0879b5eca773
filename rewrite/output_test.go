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

// TestStartWrite: nothing appears at the path before Commit; Abort, or a
// Commit after cancellation, leaves the old file as it was and no
// temporary file; Commit replaces it keeping its permissions.
func TestStartWrite(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.wasm")
	if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	check := func(what, want string) {
		t.Helper()
		b, err := os.ReadFile(out)
		if err != nil || string(b) != want {
			t.Fatalf("%s: %q, %v; want %q", what, b, err, want)
		}
		if es, _ := os.ReadDir(dir); len(es) != 1 {
			t.Fatalf("%s: left %v", what, es)
		}
	}
	w := StartWrite(context.Background(), out, []byte("new"))
	w.Abort()
	check("Abort", "old")

	ctx, cancel := context.WithCancel(context.Background())
	w = StartWrite(ctx, out, []byte("new"))
	cancel()
	if err := w.Commit(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit after cancel: %v", err)
	}
	check("Commit after cancel", "old")

	w = StartWrite(context.Background(), out, []byte("new"))
	if err := w.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("Commit", "new")
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
	if err := StartWrite(context.Background(), dir, []byte("x")).Commit(context.Background()); !errors.Is(err, ErrOutputDir) {
		t.Fatalf("a directory: %v", err)
	}
}
