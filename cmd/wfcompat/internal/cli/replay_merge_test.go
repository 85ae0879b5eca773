package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplayMergeMalformed: a shard report that is not one is refused
// with its file name and the offset, line and column of the fault;
// reports that do not fit together name the one that does not. Found by
// the bad-input QA: errors said "offset 0" wherever the fault was, and
// merge errors named no file.
func TestReplayMergeMalformed(t *testing.T) {
	dir := t.TempDir()
	const good = `{
  "schema": "wfcompat.replay/v1",
  "artifact": {"path": "new.wasm", "sha256": "` + "d0961d35b688ae1a6f70f037aa036c82e8645a753319ff7f09a6d8bea9bf49c0" + `"},
  "logs": [{"log": "a.jsonl", "ok": true, "events": 3, "invocations": 1}]
}
`
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := write("ok.json", good)
	if code, _, stderr := run(t, "replay", "--merge", ok); code != ExitOK {
		t.Fatalf("the good report: exit %d, %s", code, stderr)
	}
	other := write("other.json", strings.Replace(good, "a.jsonl", "b.jsonl", 1))
	for _, tt := range []struct {
		name, text, want string
	}{
		{"syntax", strings.Replace(good, `"ok": true`, `"ok": tru`, 1), "bad.json: offset 0xbd (line 4, column 40): not a wfcompat.replay/v1 report: invalid character"},
		{"not utf-8", strings.Replace(good, "a.jsonl", "a\xff.jsonl", 1), "bad.json: offset 0xab (line 4, column 22): not a wfcompat.replay/v1 report: invalid UTF-8"},
		{"type", strings.Replace(good, `"events": 3`, `"events": "3"`, 1), "bad.json: offset 0xca (line 4, column 53): not a wfcompat.replay/v1 report: json: cannot unmarshal string into Go struct field LogResult.logs.events of type int"},
		{"truncated", good[:60], "bad.json: offset 0x3c (line 3, column 25): not a wfcompat.replay/v1 report: truncated"},
		{"empty", "", "bad.json: offset 0x0 (line 1, column 1): not a wfcompat.replay/v1 report: empty"},
		{"trailing data", good + "{}", "bad.json: offset 0xe2 (line 6, column 1): not a wfcompat.replay/v1 report: data after the report"},
		{"unknown field", strings.Replace(good, `"ok": true`, `"okay": true`, 1), `bad.json: offset 0xb4 (line 4, column 31): not a wfcompat.replay/v1 report: json: unknown field "okay"`},
		{"not an object", "[1]", "bad.json: offset 0x0 (line 1, column 1): not a wfcompat.replay/v1 report: json: cannot unmarshal array"},
		{"schema", strings.Replace(good, "replay/v1", "replay/v9", 1), `bad.json: offset 0x0 (line 1, column 1): not a wfcompat.replay/v1 report: schema "wfcompat.replay/v9"`},
		{"same log twice", good, "--merge " + filepath.Join(dir, "bad.json") + ": log a.jsonl is in two reports"},
	} {
		bad := write("bad.json", tt.text)
		code, stdout, stderr := run(t, "replay", "--merge", ok, other, bad)
		if code != ExitError || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tt.name, code, stdout, stderr, tt.want)
		}
	}
}
