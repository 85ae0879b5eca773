package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

const eventlogDoc = "../../../../docs/eventlog.md"

// docExample returns the first ```json block after the heading in the
// Markdown file doc.
func docExample(t *testing.T, doc, heading string) string {
	t.Helper()
	md := string(readFile(t, doc))
	i := strings.Index(md, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("%s: no heading %q", doc, heading)
	}
	md = md[i:]
	start := strings.Index(md, "\n```json\n")
	if start < 0 {
		t.Fatalf("%s: no json block after %q", doc, heading)
	}
	md = md[start+len("\n```json\n"):]
	end := strings.Index(md, "\n```")
	if end < 0 {
		t.Fatalf("%s: json block after %q not closed", doc, heading)
	}
	return md[:end+1]
}

// TestEventLogDocExamples asserts the examples of docs/eventlog.md against
// the Golem builds they were recorded for: the example log of
// update-test-v1 (both corpus releases) and the log continued by a
// snapshot-based update to update-test-v3.
func TestEventLogDocExamples(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		heading, against, want string
	}{
		{"## Example", "golem-v1.1.0/update-test-v1.wasm", "(6 events)"},
		{"## Example", "golem-v1.3.0/update-test-v1.wasm", "(6 events)"},
		{"### A continued log", "golem-v1.1.0/update-test-v3.wasm", "(2 events)"},
		{"### A continued log", "golem-v1.3.0/update-test-v3.wasm", "(2 events)"},
	} {
		t.Run(tc.heading+" "+tc.against, func(t *testing.T) {
			against := shared.Corpus(t, tc.against) // skips, saying so, without ../shared
			log := filepath.Join(dir, "example.jsonl")
			if err := os.WriteFile(log, []byte(docExample(t, eventlogDoc, tc.heading)), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := run(t, "assert", "event-log", "--against", against, log)
			if code != 0 || !strings.Contains(stdout, "ok    "+log+"  "+tc.want) {
				t.Errorf("docs/eventlog.md %s against %s: exit %d\n%s%s", tc.heading, tc.against, code, stdout, stderr)
			}
		})
	}
	// The example's header names the 1.1.0 build of update-test-v1, so it
	// also checks with that build as --old.
	v1 := shared.Corpus(t, "golem-v1.1.0/update-test-v1.wasm")
	log := filepath.Join(dir, "example.jsonl")
	os.WriteFile(log, []byte(docExample(t, eventlogDoc, "## Example")), 0o644)
	if code, stdout, stderr := run(t, "assert", "event-log", "--against", v1, "--old", v1, log); code != 0 {
		t.Errorf("with --old: exit %d\n%s%s", code, stdout, stderr)
	}
}
