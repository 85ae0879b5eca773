package analyze

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/wit/witparse"
)

// TestWITDirSizeLimit: Options.MaxSize bounds each file of a WIT
// directory and all of them together, with the input limit's one-line
// error (the file, its size, the limit, the flag that raises it); the
// default reads them as before.
func TestWITDirSizeLimit(t *testing.T) {
	pad := func(head string, n int) string { return head + "//" + strings.Repeat("x", n-len(head)-3) + "\n" }
	dir := testfiles.Write(t, map[string]string{
		"a.wit":        pad("package a:b@1.0.0;\ninterface i { use c:d/t@1.0.0.{r}; f: func(x: r); }\nworld w { export i; }\n", 700),
		"deps/dep.wit": pad("package c:d@1.0.0;\ninterface t { type r = u32; }\n", 500),
	})
	for _, tc := range []struct {
		name string
		max  int64
		want string // "" : read
	}{
		{"default", 0, ""},
		{"within", 1200, ""},
		{"a file over", 600, filepath.Join(dir, "a.wit") + ": file is 700 bytes or more, larger than the 600-byte input limit (raise it with --max-input-size)"},
		{"all together over", 1000, ": the WIT files read come to 1200 bytes or more with this one, more than the 1000-byte input limit on all of them (raise it with --max-input-size)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Open(dir, Options{MaxSize: tc.max})
			if tc.want == "" {
				if err != nil || a.World == nil {
					t.Fatalf("Open: %v", err)
				}
				return
			}
			var ae *Error
			var se *witparse.SizeError
			if !errors.As(err, &ae) || !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want an *Error with a *witparse.SizeError", err, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, dir+"/") || strings.Contains(msg, "\n") {
				t.Errorf("error:\n got %s\nwant …%s", msg, tc.want)
			}
		})
	}
	// The wasm-tools reader's directory check applies the same limits.
	for _, tc := range []struct {
		max  int64
		want string
	}{
		{600, "a.wit: file is 700 bytes or more, larger than the 600-byte input limit"},
		{1000, "more than the 1000-byte input limit on all of them"},
		{1200, ""},
	} {
		err := checkWITDir(dir, tc.max)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("checkWITDir(%d) = %v, want %q", tc.max, err, tc.want)
		}
	}
}
