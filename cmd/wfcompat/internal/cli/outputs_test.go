package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOutputIsNoInput: run --log, upgrade --log-out and diff --output
// refuse to replace any file the command reads (the artifact, the
// invocations file, the --http-respond body, the recorded log, the
// configuration, diff's event logs), by path or hard link, before any
// work is done; every file stays as it was. Found by the bad-input QA:
// each of these used to overwrite the input.
func TestOutputIsNoInput(t *testing.T) {
	dir := t.TempDir()
	a := copyTo(t, wat+"pin_conflict.wasm", dir, "a.wasm")
	b := copyTo(t, wat+"pin_old.wasm", dir, "b.wasm")
	log := filepath.Join(dir, "w.jsonl")
	inv := filepath.Join(dir, "calls.txt")
	body := filepath.Join(dir, "body.txt")
	cfg := filepath.Join(dir, "c.yaml")
	for p, s := range map[string]string{
		log:  `{"type":"header","schema":"wfcompat.eventlog/v1","sha256":"` + strings.Repeat("0", 64) + `","version_id":"v"}` + "\n",
		inv:  "f()\n",
		body: "hello\n",
		cfg:  "version: v1\n",
	} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hard := filepath.Join(dir, "hard.wasm")
	if err := os.Link(a, hard); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", a, "--invoke", "f()", "--log", a}, "--log " + a + " is the same file as ARTIFACT"},
		{[]string{"run", a, "--invoke", "f()", "--log", hard}, "--log " + hard + " is the same file as ARTIFACT"},
		{[]string{"run", a, "--invocations", inv, "--log", inv}, "is the same file as --invocations"},
		{[]string{"run", a, "--invoke", "f()", "--http-respond", "200:" + body, "--log", body}, "is the same file as --http-respond"},
		{[]string{"run", a, "--resume", log, "--invoke", "f()", "--log", a}, "is the same file as ARTIFACT"},
		{[]string{"upgrade", "--from", a, "--to", b, "--log", log, "--log-out", a}, "--log-out " + a + " is the same file as --from"},
		{[]string{"upgrade", "--from", a, "--to", b, "--log", log, "--log-out", b}, "is the same file as --to"},
		{[]string{"upgrade", "--from", a, "--to", b, "--log", log, "--log-out", log}, "is the same file as --log"},
		{[]string{"upgrade", "--from", a, "--to", b, "--log", log, "--http-respond", "200:" + body, "--log-out", body}, "is the same file as --http-respond"},
		{[]string{"diff", a, b, "--log", log, "--output", "json=" + log}, "--output json " + log + " is the same file as --log"},
		{[]string{"diff", a, b, "--log", filepath.Join(dir, "*.jsonl"), "--output", "json=" + log}, "is the same file as --log"},
		{[]string{"diff", a, b, "--config", cfg, "--output", "sarif=" + cfg}, "is the same file as the configuration"},
		{[]string{"diff", a, b, "--log", log, "--http-respond", "200:" + body, "--output", "json=" + body}, "is the same file as --http-respond"},
		{[]string{"diff", a, b, "--output", "json=" + hard}, "is the same file as OLD"},
	} {
		if handedOver(tt.args...) && tt.args[0] != "diff" {
			// diff checks its outputs before it hands the logs over.
			continue
		}
		before := snapshot(t, dir)
		code, stdout, stderr := run(t, tt.args...)
		if code != ExitError || stdout != "" || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "never overwrites an input") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tt.args, code, stdout, stderr, tt.want)
		}
		if after := snapshot(t, dir); !equalMaps(before, after) {
			t.Errorf("%v changed the directory", tt.args)
		}
	}
}

// TestDiffOutputFoundConfig: the configuration diff finds by itself (the
// working directory's wfcompat.yaml) is an input too.
func TestDiffOutputFoundConfig(t *testing.T) {
	dir := t.TempDir()
	a := copyTo(t, wat+"pin_conflict.wasm", dir, "a.wasm")
	cfg := filepath.Join(dir, "wfcompat.yaml")
	if err := os.WriteFile(cfg, []byte("version: v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	io, stdout, stderr := Test()
	io.Getwd = func() (string, error) { return dir, nil }
	code := Main([]string{"diff", a, a, "--output", "json=" + cfg}, io)
	if code != ExitError || stdout.Len() != 0 || !strings.Contains(stderr.String(), "is the same file as the configuration") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(cfg); string(b) != "version: v1\n" {
		t.Errorf("the configuration was replaced: %q", b)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestStepSummaryGuarded: GITHUB_STEP_SUMMARY naming an input, a FIFO or
// a directory gets a warning and is left alone; the verdict stands.
// Found by the bad-input QA: the summary was appended to an input binary,
// and a FIFO made the command wait forever for a reader.
func TestStepSummaryGuarded(t *testing.T) {
	dir := t.TempDir()
	a := copyTo(t, wat+"pin_conflict.wasm", dir, "a.wasm")
	fifo := filepath.Join(t.TempDir(), "summary.fifo") // not in dir: snapshot would read it
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	for _, tt := range []struct {
		summary, want string
	}{
		{a, "GITHUB_STEP_SUMMARY " + a + " is the same file as"},
		{fifo, "GITHUB_STEP_SUMMARY " + fifo + ": is not a regular file"},
		{dir, "GITHUB_STEP_SUMMARY " + dir + ": is a directory"},
	} {
		for _, args := range [][]string{
			{"diff", a, a},
			{"assert", "input", "--against", a, "--function", "f", "--args", "()"},
		} {
			before := snapshot(t, dir)
			t.Setenv("GITHUB_STEP_SUMMARY", tt.summary) // assert reads the environment
			io, stdout, stderr := Test()
			io.Getenv = func(k string) string {
				if k == "GITHUB_STEP_SUMMARY" {
					return tt.summary
				}
				return ""
			}
			done := make(chan int, 1)
			go func() { done <- Main(args, io) }()
			select {
			case code := <-done:
				if code == ExitError || stdout.Len() == 0 || !strings.Contains(stderr.String(), "wfcompat: warning: "+tt.want) {
					t.Errorf("%v with the summary at %s: exit %d, stderr %q; want the verdict and a warning with %q", args, tt.summary, code, stderr, tt.want)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("%v with the summary at %s: no answer (waiting for a FIFO reader?)", args, tt.summary)
			}
			if after := snapshot(t, dir); !equalMaps(before, after) {
				t.Errorf("%v with the summary at %s changed the directory", args, tt.summary)
			}
		}
	}
}

// TestAssertOutputPolicy: assert --output refuses what every other
// output refuses (a symbolic link, a read-only file), leaving it alone.
// Found by the bad-input QA: assert replaced a link with a file and
// overwrote write-protected files.
func TestAssertOutputPolicy(t *testing.T) {
	dir := t.TempDir()
	a := copyTo(t, wat+"pin_conflict.wasm", dir, "a.wasm")
	target := filepath.Join(dir, "target.json")
	if err := os.WriteFile(target, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("target.json", link); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(dir, "ro.json")
	if err := os.WriteFile(ro, []byte("keep\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	for out, want := range map[string]string{link: "is a symbolic link", ro: "is read-only"} {
		before := snapshot(t, dir)
		code, stdout, stderr := run(t, "assert", "input", "--against", a, "--function", "f", "--args", "()", "--output", "json="+out)
		if code != ExitError || stdout != "" || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("--output json=%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", out, code, stdout, stderr, want)
		}
		if after := snapshot(t, dir); !equalMaps(before, after) {
			t.Errorf("--output json=%s changed the directory", out)
		}
	}
}

// TestWriteErrorNamesOutput: a write that fails names the output and its
// flag, not the temporary file it went through. Found by the bad-input
// QA ("open /dir/.out.json.tmp-123: permission denied"). /sys refuses new
// files even to root.
func TestWriteErrorNamesOutput(t *testing.T) {
	if fi, err := os.Stat("/sys/kernel"); err != nil || !fi.IsDir() {
		t.Skip("no /sys to fail a write in")
	}
	a := copyTo(t, wat+"pin_conflict.wasm", t.TempDir(), "a.wasm")
	out := "/sys/wfcompat-test-output"
	for _, args := range [][]string{
		{"manifest", a, "-o", out},
		{"manifest", "--embed", a, "-o", out},
		{"run", runFixtures + "reactor.wasm", "--invoke", "add(1, 2)", "--log", out},
	} {
		if handedOver(args...) {
			continue
		}
		code, _, stderr := run(t, args...)
		flag := args[len(args)-2]
		if code != ExitError || !strings.HasPrefix(stderr, "wfcompat: "+flag+" "+out+": ") || strings.Contains(stderr, ".tmp") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line naming %s %s", args, code, stderr, flag, out)
		}
	}
}
