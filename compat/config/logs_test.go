package config

import (
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
