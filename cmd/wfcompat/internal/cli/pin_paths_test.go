package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/interrupt"
)

// copyTo copies src into dir under name and returns the path.
func copyTo(t *testing.T, src, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// snapshot records every file of dir with its bytes and mode.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		p := filepath.Join(dir, e.Name())
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			to, _ := os.Readlink(p)
			out[e.Name()] = "link to " + to
			continue
		}
		b, _ := os.ReadFile(p)
		out[e.Name()] = fmt.Sprintf("%v %x", fi.Mode(), b)
	}
	return out
}

// TestPinOutputCollisions: every path pin and manifest write is checked
// against every input and the other outputs, by path, symbolic link and
// hard link; a refusal leaves every file as it was.
func TestPinOutputCollisions(t *testing.T) {
	dir := t.TempDir()
	old := copyTo(t, wat+"pin_old.wasm", dir, "old.wasm")
	new := copyTo(t, wat+"pin_conflict.wasm", dir, "new.wasm")
	out := filepath.Join(dir, "out.wasm")
	os.WriteFile(out, []byte("previous output"), 0o644)
	lock := filepath.Join(dir, "good.lock")
	if code, _, stderr := run(t, "pin", new, "--against", old, "-o", filepath.Join(dir, "first.wasm"), "--lock", lock, "--write-lock"); code != 0 {
		t.Fatalf("making a lock: %s", stderr)
	}
	os.Remove(filepath.Join(dir, "first.wasm"))
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(new, filepath.Join(dir, "new-link.wasm")))
	must(os.Link(old, filepath.Join(dir, "old-hard.wasm")))
	must(os.Link(out, filepath.Join(dir, "out-hard.wasm")))
	must(os.Link(lock, filepath.Join(dir, "lock-hard.lock")))
	cfg := filepath.Join(dir, "wfcompat.yaml")
	must(os.WriteFile(cfg, []byte("callback_imports: []\n"), 0o644))
	sub := filepath.Join(dir, "sub")
	must(os.Mkdir(sub, 0o755))
	must(os.Symlink(dir, filepath.Join(dir, "alias")))
	alias := func(name string) string { return filepath.Join(dir, "alias", name) }

	for _, tc := range []struct {
		args []string
		want string
	}{
		// --lock naming an input or the output, with --write-lock.
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", new, "--write-lock"}, "the lock " + new + " is the same file as NEW"},
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", old, "--write-lock"}, "is the same file as --against"},
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", out, "--write-lock"}, "are the same file"},
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", filepath.Join(dir, "new-link.wasm"), "--write-lock"}, "is a symbolic link"},
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", filepath.Join(dir, "old-hard.wasm"), "--write-lock"}, "is the same file as --against"},
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", filepath.Join(dir, "out-hard.wasm"), "--write-lock"}, "are the same file"},
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", cfg, "--config", cfg, "--write-lock"}, "is the same file as --config"},
		{[]string{"pin", new, "--against", old, "-o", out, "--lock", alias("new.wasm"), "--write-lock"}, "is the same file as NEW"},
		// The default lock (wfcompat.lock beside OUT) is checked too.
		{[]string{"pin", new, "--against", filepath.Join(dir, "wfcompat.lock"), "-o", out, "--write-lock"}, "is the same file as --against"},
		// The lock read and rewritten in place must still not be OUT.
		{[]string{"pin", new, "--lock", lock, "-o", filepath.Join(dir, "lock-hard.lock"), "--write-lock"}, "is the same file as"},
		{[]string{"pin", new, "--lock", lock, "-o", lock}, "is the same file as --lock"},
		// -o naming an input.
		{[]string{"pin", new, "--against", old, "-o", filepath.Join(dir, "old-hard.wasm")}, "is the same file as --against"},
		{[]string{"pin", new, "--against", old, "-o", alias("new.wasm")}, "is the same file as NEW"},
		{[]string{"pin", new, "--against", old, "-o", cfg, "--config", cfg}, "is the same file as --config"},
		// -o a directory, a link.
		{[]string{"pin", new, "--against", old, "-o", sub}, "is a directory"},
		{[]string{"pin", new, "--against", old, "-o", filepath.Join(dir, "new-link.wasm")}, "is a symbolic link"},
		// manifest -o.
		{[]string{"manifest", new, "-o", filepath.Join(dir, "new-link.wasm")}, "is a symbolic link"},
		{[]string{"manifest", old, "-o", filepath.Join(dir, "old-hard.wasm")}, "is the same file as ARTIFACT"},
		{[]string{"manifest", new, "--embed", "-o", alias("new.wasm")}, "is the same file as ARTIFACT"},
		{[]string{"manifest", new, "-o", sub}, "is a directory"},
	} {
		before := snapshot(t, dir)
		code, stdout, stderr := run(t, tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", tc.args, code, stdout, stderr, tc.want)
		}
		if after := snapshot(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%q changed the directory:\nbefore %v\nafter  %v", tc.args, before, after)
		}
	}
	// Rewriting the lock in place is allowed.
	if code, _, stderr := run(t, "pin", new, "--lock", lock, "-o", filepath.Join(dir, "ok.wasm"), "--write-lock"); code != 0 {
		t.Errorf("lock in place: %s", stderr)
	}
}

// TestPinOutputModes: pin refuses a read-only output and a symbolic link
// (the link stays a link, the file its mode), keeps the mode of a file it
// replaces, and names a directory as such.
func TestPinOutputModes(t *testing.T) {
	dir := t.TempDir()
	old, new := wat+"pin_old.wasm", wat+"pin_conflict.wasm"
	ro := filepath.Join(dir, "ro.wasm")
	os.WriteFile(ro, []byte("keep"), 0o444)
	code, _, stderr := run(t, "pin", new, "--against", old, "-o", ro)
	if fi, _ := os.Stat(ro); code != 2 || !strings.Contains(stderr, "is read-only") || fi.Mode().Perm() != 0o444 {
		t.Errorf("read-only output: exit %d, %q, mode %v", code, stderr, fi.Mode())
	}
	if b, _ := os.ReadFile(ro); string(b) != "keep" {
		t.Error("read-only output replaced")
	}
	target := filepath.Join(dir, "target.wasm")
	os.WriteFile(target, []byte("keep"), 0o644)
	link := filepath.Join(dir, "link.wasm")
	os.Symlink(target, link)
	code, _, stderr = run(t, "pin", new, "--against", old, "-o", link)
	if fi, _ := os.Lstat(link); code != 2 || !strings.Contains(stderr, "is a symbolic link") || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("symlink output: exit %d, %q", code, stderr)
	}
	private := filepath.Join(dir, "private.wasm")
	os.WriteFile(private, []byte("old"), 0o600)
	if code, _, stderr := run(t, "pin", new, "--against", old, "-o", private); code != 0 {
		t.Fatal(stderr)
	}
	if fi, _ := os.Stat(private); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file has mode %v, want 0600", fi.Mode().Perm())
	}
	code, _, stderr = run(t, "pin", new, "--against", old, "-o", dir)
	if code != 2 || !strings.Contains(stderr, dir+": is a directory") || strings.Contains(stderr, "tmp-") {
		t.Errorf("-o DIR: exit %d, %q", code, stderr)
	}
}

// TestPinEmbeddedManifest: manifest --embed, then pin, then inspect and
// diff of the output: the stale manifest is left out, so wfcompat accepts
// its own output.
func TestPinEmbeddedManifest(t *testing.T) {
	dir := t.TempDir()
	old, new := wat+"pin_old.wasm", wat+"pin_conflict.wasm"
	emb := filepath.Join(dir, "embedded.wasm")
	if code, _, stderr := run(t, "manifest", "--embed", "-o", emb, new); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "out.wasm")
	code, stdout, stderr := run(t, "pin", emb, "--against", old, "-o", out)
	if code != 0 || !strings.Contains(stdout, "left out the embedded wfcompat:manifest section") {
		t.Fatalf("pin: exit %d\n%s%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(out); bytes.Contains(b, []byte("wfcompat:manifest")) {
		t.Fatal("the pinned output still holds the manifest")
	}
	if code, _, stderr := run(t, "inspect", out); code != 0 {
		t.Errorf("inspect of the pinned output: exit %d %s", code, stderr)
	}
	if code, stdout, stderr := run(t, "diff", "--mode", "in-flight", old, out); code != 0 {
		t.Errorf("diff old pinned: exit %d %s %s", code, stdout, stderr)
	}
	// Re-embedding the output works.
	if code, _, stderr := run(t, "manifest", "--embed", "-o", filepath.Join(dir, "again.wasm"), out); code != 0 {
		t.Errorf("re-embed: %s", stderr)
	}
	// An unchanged pin keeps the (still valid) manifest.
	same := filepath.Join(dir, "same.wasm")
	if code, _, stderr := run(t, "manifest", "--embed", "-o", same, old); code != 0 {
		t.Fatal(stderr)
	}
	out2 := filepath.Join(dir, "out2.wasm")
	if code, _, stderr := run(t, "pin", same, "--against", old, "-o", out2); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "inspect", out2); code != 0 {
		t.Errorf("inspect of the unchanged output: %s", stderr)
	}
}

// TestPinSignal interrupts pin (a child process running this test binary)
// at random moments; no temporary file may stay behind, and the output is
// either absent or whole. (TestOutputsSignal interrupts every command that
// writes at the one moment that matters.)
func TestPinSignal(t *testing.T) {
	if os.Getenv("WFCOMPAT_PIN_CHILD") != "" {
		args := strings.Split(os.Getenv("WFCOMPAT_PIN_CHILD"), "\x1f")
		interrupt.Enable() // as main does
		io, _, _ := Test()
		os.Exit(Main(args, io))
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	newer, older := corpus+"ic/wallet-0.12.0.wasm", corpus+"ic/wallet-0.10.0.wasm"
	if _, err := os.Stat(newer); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	want := ""
	for i := 0; i < 24; i++ {
		dir := t.TempDir()
		out := filepath.Join(dir, "out.wasm")
		cmd := exec.Command(os.Args[0], "-test.run=^TestPinSignal$")
		cmd.Env = append(os.Environ(), "WFCOMPAT_PIN_CHILD="+strings.Join([]string{"pin", newer, "--against", older, "-o", out, "--write-lock"}, "\x1f"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(i*7) * time.Millisecond)
		sig := syscall.SIGINT
		if i%2 == 1 {
			sig = syscall.SIGTERM
		}
		cmd.Process.Signal(sig)
		cmd.Wait()
		es, _ := os.ReadDir(dir)
		for _, e := range es {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("interrupt %d after %d ms left %s", i, i*7, e.Name())
			}
		}
		if b, err := os.ReadFile(out); err == nil {
			if want == "" {
				want = fmt.Sprintf("%x", b)
			} else if fmt.Sprintf("%x", b) != want {
				t.Errorf("interrupt %d: a different output", i)
			}
		}
	}
}

// TestMemory64Commands: inspect, diff (in-flight) and pin read and
// rewrite a wasm64 canister and a multi-memory module.
func TestMemory64Commands(t *testing.T) {
	for _, name := range []string{"pin_mem64", "pin_multimem"} {
		old, new := wat+name+"_old.wasm", wat+name+".wasm"
		if code, _, stderr := run(t, "inspect", new); code != 0 {
			t.Errorf("inspect %s: %s", name, stderr)
		}
		if code, stdout, _ := run(t, "diff", "--mode", "in-flight", old, new); code != 1 || !strings.Contains(stdout, "CALLBACK_SLOT_MOVED") {
			t.Errorf("diff %s: exit %d\n%s", name, code, stdout)
		}
		out := filepath.Join(t.TempDir(), "out.wasm")
		if code, stdout, stderr := run(t, "pin", new, "--against", old, "-o", out); code != 0 || !strings.Contains(stdout, "validated") {
			t.Fatalf("pin %s: exit %d %s %s", name, code, stdout, stderr)
		}
		if code, stdout, _ := run(t, "diff", "--mode", "in-flight", old, out); code != 0 {
			t.Errorf("diff %s pinned: exit %d\n%s", name, code, stdout)
		}
	}
}
