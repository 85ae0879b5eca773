package analyze_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/wit"
)

// TestOpenWITReaders: Options.WITReader replaces the native WIT reader for
// .wit files and directories (the file's size and digest still come from
// its bytes); Options.WITFallback reads only the WIT that needs a binary
// WIT package under deps/; without it that WIT fails, naming the package.
func TestOpenWITReaders(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := write("plain/w.wit", "package a:b;\nworld w { export f: func(); }\n")
	bindeps := filepath.Dir(write("bin/main.wit", "package app:main;\nworld w {\n  import dep:clock/clock;\n}\n"))
	bin := write("bin/deps/clock.wasm", "\x00asm\x0d\x00\x01\x00")

	type call struct{ path, world string }
	var calls []call
	reader := func(name string) func(path, world string) (*wit.World, error) {
		return func(path, world string) (*wit.World, error) {
			calls = append(calls, call{path, world})
			return &wit.World{Name: name}, nil
		}
	}
	for _, tc := range []struct {
		name      string
		path      string
		opts      analyze.Options
		wantWorld string // "" for an error
		wantErr   string
		wantCalls []call
	}{
		{"native file", file, analyze.Options{}, "w", "", nil},
		{"native directory", filepath.Dir(file), analyze.Options{}, "w", "", nil},
		{"reader, file", file, analyze.Options{World: "w", WITReader: reader("r")}, "r", "", []call{{file, "w"}}},
		{"reader, directory", bindeps, analyze.Options{WITReader: reader("r"), WITFallback: reader("f")}, "r", "", []call{{bindeps, ""}}},
		{"fallback not needed", filepath.Dir(file), analyze.Options{WITFallback: reader("f")}, "w", "", nil},
		{"fallback", bindeps, analyze.Options{World: "w", WITFallback: reader("f")}, "f", "", []call{{bindeps, "w"}}},
		{"no fallback", bindeps, analyze.Options{}, "", "wasm-tools component wit " + bin, nil},
	} {
		calls = nil
		a, err := analyze.Open(tc.path, tc.opts)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case a.World.Name != tc.wantWorld || a.Kind != analyze.KindWIT:
			t.Errorf("%s: %s world %q, want wit world %q", tc.name, a.Kind, a.World.Name, tc.wantWorld)
		}
		if len(calls) != len(tc.wantCalls) || len(calls) > 0 && calls[0] != tc.wantCalls[0] {
			t.Errorf("%s: reader calls %v, want %v", tc.name, calls, tc.wantCalls)
		}
		if err == nil && tc.path == file && a.Size == 0 {
			t.Errorf("%s: the file's size is not recorded", tc.name)
		}
	}
}
