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

// TestCommitAll: the writes are renamed together, or none is; a failed
// write or a cancelled context leaves every file as it was and no
// temporary file, and the error names the failed write.
func TestCommitAll(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		bad     int // the index of a write that fails (its path is a read-only file), or -1
		wantErr error
	}{
		{"all written", context.Background(), -1, nil},
		{"second fails", context.Background(), 1, ErrOutputReadOnly},
		{"first fails", context.Background(), 0, ErrOutputReadOnly},
		{"cancelled", cancelled, -1, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			names := []string{"a.json", "b.sarif", "c.xml"}
			var ws []*PendingWrite
			for i, n := range names {
				p := filepath.Join(dir, n)
				mode := os.FileMode(0o644)
				if i == tc.bad {
					mode = 0o444
				}
				if err := os.WriteFile(p, []byte("old"), mode); err != nil {
					t.Fatal(err)
				}
				ws = append(ws, StartWrite(tc.ctx, p, []byte("new "+n)))
				if ws[i].Path() != p {
					t.Fatalf("Path() = %s, want %s", ws[i].Path(), p)
				}
			}
			err := CommitAll(tc.ctx, ws...)
			var ce *CommitError
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatal(err)
			case tc.wantErr != nil && (!errors.Is(err, tc.wantErr) || !errors.As(err, &ce)):
				t.Fatalf("err = %v, want a CommitError wrapping %v", err, tc.wantErr)
			case tc.bad >= 0 && ce.Index != tc.bad:
				t.Errorf("CommitError.Index = %d, want %d", ce.Index, tc.bad)
			}
			for _, n := range names {
				want := "old"
				if tc.wantErr == nil {
					want = "new " + n
				}
				if b, _ := os.ReadFile(filepath.Join(dir, n)); string(b) != want {
					t.Errorf("%s: %q, want %q", n, b, want)
				}
			}
			if es, _ := os.ReadDir(dir); len(es) != len(names) {
				t.Errorf("left %v", es)
			}
		})
	}
	if err := CommitAll(context.Background()); err != nil {
		t.Errorf("no writes: %v", err)
	}
}
