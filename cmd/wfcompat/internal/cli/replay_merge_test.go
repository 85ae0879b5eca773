//go:build !lean

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

// TestReplayMergeBlame: reports that do not fit name the report that does
// not, and a set that only lacks shards names what it lacks. Found by the
// docs review: every refusal of shards blamed the first report with "shard
// 2/4, 3/4, 4/4 is missing" (the first report alone lacks the others),
// whatever the fault and wherever it was.
func TestReplayMergeBlame(t *testing.T) {
	dir := t.TempDir()
	report := func(name, shard, log string) string {
		shards := ""
		if shard != "" {
			shards = `"shards": ["` + shard + `"],`
		}
		p := filepath.Join(dir, name)
		text := `{"schema": "wfcompat.replay/v1", "artifact": {"path": "new.wasm", "sha256": "` + strings.Repeat("ab", 32) + `"}, ` +
			shards + ` "logs": [{"log": "` + log + `", "ok": true, "events": 3, "invocations": 1}]}`
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s1, s2, s3, s4 := report("s1.json", "1/4", "a"), report("s2.json", "2/4", "b"), report("s3.json", "3/4", "c"), report("s4.json", "4/4", "d")
	other := report("other.json", "2/3", "e")
	whole := report("whole.json", "", "f")
	for _, tt := range []struct {
		name    string
		reports []string
		want    string
	}{
		{"a shard missing", []string{s1, s2, s4}, "wfcompat: --merge: shard 3/4 is missing: the merged report would leave its logs out\n"},
		{"only the first", []string{s1}, "wfcompat: --merge: shard 2/4, 3/4, 4/4 is missing"},
		{"different splits", []string{s1, s2, other, s3, s4}, "wfcompat: --merge " + other + ": the reports are shards of different splits (2/4 and 2/3)\n"},
		{"sharded and not", []string{s1, s2, s3, s4, whole}, "wfcompat: --merge " + whole + ": 4 of the reports are shards of 4 and 1 are not sharded"},
		{"a shard twice", []string{s1, s2, s2, s3, s4}, "wfcompat: --merge " + s2 + ": shard 2/4 is given twice\n"},
	} {
		code, stdout, stderr := run(t, append([]string{"replay", "--merge"}, tt.reports...)...)
		if code != ExitError || stdout != "" || !strings.HasPrefix(stderr, tt.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.name, code, stdout, stderr, tt.want)
		}
	}
	if code, stdout, stderr := run(t, "replay", "--merge", s4, s2, s1, s3); code != ExitOK || !strings.Contains(stdout, "4 logs") {
		t.Errorf("every shard: exit %d, %s%s", code, stdout, stderr)
	}
}
