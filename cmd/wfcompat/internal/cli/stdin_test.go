package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestStdinTwice: "-" for both builds is a usage error saying so, before
// anything is read. Found by the bad-input QA: the second side read an
// empty standard input and was reported as a truncated binary.
func TestStdinTwice(t *testing.T) {
	b, err := os.ReadFile(wat + "pin_conflict.wasm")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"diff", "-", "-"},
		{"assert", "input", "--against", "-", "--old", "-", "--function", "f", "--args", "()"},
		{"assert", "event-log", "--against", "-", "--old", "-", "x.jsonl"},
	} {
		io, stdout, stderr := Test()
		io.In = bytes.NewReader(b)
		code := Main(args, io)
		if code != ExitError || stdout.Len() != 0 || !strings.Contains(stderr.String(), "- (standard input) names one build only") || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}
