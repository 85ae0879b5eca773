//go:build !lean

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestRunInvocationsErrors: a bad line of --invocations FILE is reported
// as FILE:LINE (FILE:LINE:COL for bytes that are not UTF-8), on one line
// that does not repeat a huge call. Found by the bad-input QA: such
// errors named "--invoke" and the whole line, 9 MiB of it for a 9 MiB line.
func TestRunInvocationsErrors(t *testing.T) {
	reactor := runFixtures + "reactor.wasm"
	dir := t.TempDir()
	huge := strings.Repeat("x", 1<<20)
	for _, tt := range []struct {
		name, text string
		want       string
	}{
		{"unknown function", "# calls\n\nadd(2, 3)\nnope()\n", "calls.txt:4: "},
		{"bad arguments", "add(2, \"x\")\n", "calls.txt:1: wave: "},
		{"not utf-8", "add(2, 3)\nadd(\xff)\n", "calls.txt:2:5: invalid UTF-8"},
		{"no parentheses", huge + "\n", "calls.txt:1: want NAME(ARGS)"},
		{"huge name", huge + "()\n", "calls.txt:1: "},
		{"byte order mark", "\xef\xbb\xbfnope()\n", "calls.txt:1: "},
	} {
		p := filepath.Join(dir, "calls.txt")
		if err := os.WriteFile(p, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := run(t, "run", reactor, "--invocations", p)
		if code != ExitError || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || len(stderr) > maxMessage+100 {
			t.Errorf("%s: exit %d, stdout %q, stderr %.300q (%d bytes); want exit 2 and one short line with %q", tt.name, code, stdout, stderr, len(stderr), tt.want)
		}
		if strings.Contains(stderr, "--invoke") {
			t.Errorf("%s: %q names --invoke for a line of --invocations", tt.name, stderr)
		}
	}
	// An --invoke is named as one, clipped.
	code, _, stderr := run(t, "run", reactor, "--invoke", huge)
	if code != ExitError || !strings.HasPrefix(stderr, "wfcompat: --invoke xxx") || len(stderr) > 400 {
		t.Errorf("--invoke HUGE: exit %d, stderr %.300q (%d bytes)", code, stderr, len(stderr))
	}
}

// TestClipMessage: an error line longer than maxMessage keeps its start
// and end and says how much it left out.
func TestClipMessage(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // prefix
	}{
		{"short", "short"},
		{"f.wasm: offset 0x10: " + strings.Repeat("é", maxMessage), "f.wasm: offset 0x10: éé"},
	} {
		got := clipMessage(tt.in)
		if !strings.HasPrefix(got, tt.want) || len(got) > maxMessage+64 {
			t.Errorf("clipMessage(%.40q…) = %.80q… (%d bytes)", tt.in, got, len(got))
		}
		if len(tt.in) > maxMessage && (!strings.Contains(got, "bytes left out") || !strings.HasSuffix(got, "é")) {
			t.Errorf("clipMessage: %.80q… does not say what it left out or lost the end", got)
		}
		if !utf8.ValidString(got) {
			t.Errorf("clipMessage cut a character: %.80q", got)
		}
	}
}
