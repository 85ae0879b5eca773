package witparse

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/testfiles"
)

// padWIT is WIT text of exactly n bytes (n >= len(head)+1): head and a
// comment after it.
func padWIT(t *testing.T, head string, n int) string {
	t.Helper()
	s := head + "//" + strings.Repeat("x", max(n-len(head)-3, 0)) + "\n"
	if len(s) != n {
		t.Fatalf("padWIT: %d bytes, want %d", len(s), n)
	}
	return s
}

// TestSizeLimits: Options.FileLimit bounds each file and TotalLimit all
// the files a load reads (deps/ included), at the byte: a file of exactly
// the limit is read, one byte more is a *SizeError naming the file, its
// size and the limit. Without limits, MaxFileSize alone applies.
func TestSizeLimits(t *testing.T) {
	const (
		main = "package a:b@1.0.0;\ninterface i { use c:d/t@1.0.0.{r}; f: func(x: r); }\n"
		more = "package a:b@1.0.0;\ninterface j { g: func(); }\n"
		dep  = "package c:d@1.0.0;\ninterface t { type r = u32; }\n"
	)
	dir := testfiles.Write(t, map[string]string{
		"a.wit":        padWIT(t, main, 600),
		"b.wit":        padWIT(t, more, 300),
		"deps/dep.wit": padWIT(t, dep, 200),
	})
	for _, tc := range []struct {
		name         string
		file, total  int64
		wantFile     string // "" : no error
		size, limit  int64
		wantTotalErr bool
	}{
		{"no limits", 0, 0, "", 0, 0, false},
		{"every file within", 600, 0, "", 0, 0, false},
		{"a file one byte over", 599, 0, "a.wit", 600, 599, false},
		{"all within, exactly", 0, 1100, "", 0, 0, false},
		{"all one byte over", 0, 1099, "?", 1100, 1099, true},
		{"file within, total over", 1000, 700, "?", 0, 700, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(dir, Options{AllFeatures: true, FileLimit: tc.file, TotalLimit: tc.total})
			if tc.wantFile == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var se *SizeError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want a *SizeError", err, err)
			}
			if se.Total != tc.wantTotalErr || se.Limit != tc.limit || tc.size != 0 && se.Size != tc.size {
				t.Errorf("%+v, want size %d, limit %d, total %v", se, tc.size, tc.limit, tc.wantTotalErr)
			}
			if tc.wantFile != "?" && se.File != filepath.Join(dir, tc.wantFile) {
				t.Errorf("file %s, want %s", se.File, tc.wantFile)
			}
			if se.Total && se.Size <= se.Limit {
				t.Errorf("total %d within the limit %d", se.Size, se.Limit)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, se.File+": ") || strings.Contains(msg, "\n") || !strings.Contains(msg, "-byte limit") {
				t.Errorf("message %q: want one line naming the file and the limit", msg)
			}
		})
	}
	// A single file given to Load is bounded too.
	_, err := Load(filepath.Join(dir, "a.wit"), Options{AllFeatures: true, FileLimit: 100})
	var se *SizeError
	if !errors.As(err, &se) || se.Size != 600 || se.Limit != 100 {
		t.Errorf("Load(a.wit) with a 100-byte limit: %v", err)
	}
}
