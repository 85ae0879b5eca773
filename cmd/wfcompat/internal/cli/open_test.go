package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenPairErrors: the two sides of diff are read at the same time, but
// the error reported is the old side's when both fail, as when they were
// read one after the other; a good old side and a bad new one report the
// new one.
func TestOpenPairErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.wit")
	if err := os.WriteFile(good, []byte("package a:b;\nworld w {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.wit")
	if err := os.WriteFile(bad, []byte("package a:b;\nworld w {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.wasm")
	tests := []struct {
		name     string
		old, new string
		want     string // the path the error names first
	}{
		{"both fail", missing, bad, missing},
		{"both fail, other order", bad, missing, bad},
		{"new fails", good, bad, bad},
		{"old fails", bad, good, bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := 0; i < 20; i++ { // the goroutines finish in either order
				io, _, errb := Test()
				if code := Main([]string{"diff", tt.old, tt.new}, io); code != ExitError {
					t.Fatalf("exit %d, want %d; stderr %s", code, ExitError, errb)
				}
				if msg := errb.String(); !strings.HasPrefix(msg, "wfcompat: "+tt.want+":") {
					t.Fatalf("stderr %q, want the error of %s", msg, tt.want)
				}
			}
		})
	}
}
