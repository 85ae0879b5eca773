package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigErrorsOneLine: the problems of wfcompat.yaml are one line on
// standard error, each at its line and column and joined with "; ", with
// exit status 2, whichever command reads the file and however it is found.
func TestConfigErrorsOneLine(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wfcompat.yaml")
	src := "modes: [api, inflight]\nexcept: [DOCS_CHANGED, NOPE]\ncallback_imports:\n  - env.cb:1001\n"
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	wantErr := func(path string) string {
		return "wfcompat: " + path + `: line 1, column 14: modes: unknown mode "inflight" (did you mean "in-flight"? want one of [api restart replay snapshot in-flight]); ` +
			path + `: line 2, column 24: except: unknown rule "NOPE" (wfcompat rules lists them); ` +
			path + `: line 4, column 5: callback_imports: callback import "env.cb:1001": argument "1001" is not a parameter index; want MODULE.NAME:ARG[,ARG], e.g. env.register:0,2` + "\n"
	}
	good := wat + "pin_conflict.wasm"
	for _, tc := range []struct {
		name string
		args []string
		env  string
		want string
	}{
		{"diff --config", []string{"diff", "--config", cfg, good, good}, "", wantErr(cfg)},
		{"diff, found", []string{"diff", good, good}, "", wantErr(cfg)},
		{"diff, WFCOMPAT_CONFIG", []string{"diff", good, good}, cfg, "wfcompat: WFCOMPAT_CONFIG: " + strings.TrimPrefix(wantErr(cfg), "wfcompat: ")},
		{"pin --config", []string{"pin", good, "--against", good, "-o", filepath.Join(dir, "out.wasm"), "--config", cfg}, "", wantErr(cfg)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, out, errb := Test()
			io.Getwd = func() (string, error) { return dir, nil }
			io.Getenv = func(k string) string {
				if k == "WFCOMPAT_CONFIG" {
					return tc.env
				}
				return ""
			}
			code := Main(tc.args, io)
			if code != ExitError || errb.String() != tc.want || out.Len() != 0 {
				t.Errorf("exit %d, stdout %q\nstderr %q\n  want %q", code, out, errb, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out.wasm")); err == nil {
		t.Error("pin wrote its output despite the bad configuration")
	}
}

// TestConfigLogsNoFile: a logs: pattern that names no file is an error at
// its line and column, exit status 2.
func TestConfigLogsNoFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wfcompat.yaml")
	if err := os.WriteFile(cfg, []byte("modes: [api]\nlogs:\n  - 'none-*.jsonl'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := wat + "pin_conflict.wasm"
	want := "wfcompat: " + cfg + `: line 3, column 5: logs: "none-*.jsonl" names no file` + "\n"
	// Two builds, and identical ones, which are compared without running
	// logs: the pattern is the config's error either way.
	skipHandedOver(t, "diff", "--log", "(the config's logs:)")
	for _, nw := range []string{wat + "cb_user.wasm", good} {
		code, out, stderr := run(t, "diff", "--config", cfg, good, nw)
		if code != ExitError || stderr != want {
			t.Errorf("%s: exit %d, stdout %q\nstderr %q\n  want %q", nw, code, out, stderr, want)
		}
	}
}
