package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLogPaths(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.jsonl", "b.jsonl", "c.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath := filepath.Join(dir, FileName)
	if err := os.WriteFile(cfgPath, []byte("logs:\n  - '*.jsonl'\n  - a.jsonl\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.LogPaths()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LogPaths (-want +got):\n%s", diff)
	}
	c.Logs = []string{"none-*.jsonl"}
	if _, err := c.LogPaths(); err == nil {
		t.Error("a pattern naming no file is accepted")
	}
}

// TestLogPathsErrorPosition: a pattern that names no file is an error at
// its line and column.
func TestLogPathsErrorPosition(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.jsonl"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, FileName)
	if err := os.WriteFile(cfgPath, []byte("modes: [api]\nlogs:\n  - a.jsonl\n  - 'b-*.jsonl'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.LogPaths()
	want := cfgPath + `: line 4, column 5: logs: "b-*.jsonl" names no file`
	var e *Error
	if err == nil || err.Error() != want || !errors.As(err, &e) {
		t.Errorf("LogPaths: %v, want %s", err, want)
	}
}
