package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/rewrite"
)

const wat = "../../../../testdata/wat/"

func TestPinAgainstThenLock(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	out10, out12 := filepath.Join(dir, "wallet-10.wasm"), filepath.Join(dir, "wallet-12.wasm")
	input, _ := os.ReadFile(corpus + "ic/wallet-0.10.0.wasm")

	code, stdout, stderr := run(t, "pin", corpus+"ic/wallet-0.10.0.wasm", "--against", corpus+"ic/wallet-0.8.2.wasm", "-o", out10, "--write-lock")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"reply callback of ic0.call_new, func[1029]: slot 68 -> 56",
		"cleanup callback of ic0.call_on_cleanup, func[1030]: slot 69 (kept), new in the lock",
		"moved func[718] from slot 56 to slot 650",
		"grown from 650 to 651 slots",
		"wrapped ic0.call_new; 208 function bodies rewritten",
		"lock: wrote " + filepath.Join(dir, "wfcompat.lock") + " (2 pinned slots)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.HasPrefix(stderr, "wfcompat: warning: pinning keeps callback slots valid, not the env pointers") {
		t.Errorf("stderr %q", stderr)
	}
	after, _ := os.ReadFile(corpus + "ic/wallet-0.10.0.wasm")
	if !bytes.Equal(input, after) {
		t.Fatal("input modified")
	}
	b, err := os.ReadFile(out10)
	if err != nil {
		t.Fatal(err)
	}
	if err := rewrite.Validate(context.Background(), b); err != nil {
		t.Fatal(err)
	}

	lock := filepath.Join(dir, "wfcompat.lock")
	code, stdout, stderr = run(t, "pin", corpus+"ic/wallet-0.12.0.wasm", "--lock", lock, "-o", out12, "--write-lock", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc PinReport
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != PinSchema || !doc.Changed || len(doc.Pins) != 3 || doc.LockFile != lock {
		t.Fatalf("report %+v", doc)
	}
	for _, p := range doc.Pins {
		if want := map[string]uint32{"reply": 56, "reject": 56, "cleanup": 69}[string(p.Role)]; p.To != want {
			t.Errorf("%s pinned at %d, want %d", p.Role, p.To, want)
		}
	}
	if es, _ := os.ReadDir(dir); len(es) != 3 {
		t.Fatalf("directory holds %v", es)
	}
}

func TestPinErrors(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	out := filepath.Join(dir, "out.wasm")
	badLock := filepath.Join(dir, "bad.lock")
	os.WriteFile(badLock, []byte(`{"schema":"nope"}`), 0o644)
	old, new := wat+"pin_old.wasm", wat+"pin_conflict.wasm"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{new, "--against", old}, "wfcompat: pin: missing -o OUT.wasm"},
		{[]string{new, "-o", out}, "wfcompat: pin: give the running build with --against OLD.wasm or the lockfile with --lock FILE"},
		{[]string{new, "--against", old, "--lock", badLock, "-o", out}, "wfcompat: pin: give either --against or --lock"},
		{[]string{new, "--against", old, "-o", new}, "wfcompat never overwrites an input"},
		{[]string{wat + "cb_unresolved.wasm", "--against", old, "-o", out},
			"wfcompat: " + wat + "cb_unresolved.wasm: offset 0xc1: cannot pin a module whose callbacks are not all known: the reply callback of ic0.call_new in canister_update go"},
		{[]string{new, "--against", wat + "cb_unresolved.wasm", "-o", out},
			"wfcompat: " + wat + "cb_unresolved.wasm: offset 0xc1: cannot take callback slots from a module whose callbacks are not all known"},
		{[]string{wat + "pin_imported_table.wasm", "--against", old, "-o", out},
			"wfcompat: " + wat + "pin_imported_table.wasm: table 0 is imported"},
		{[]string{wat + "cb_table_written.wasm", "--against", old, "-o", out},
			"wfcompat: " + wat + "cb_table_written.wasm: offset 0xe2: table.set on table 0 in canister_update set may write any slot"},
		{[]string{new, "--lock", badLock, "-o", out}, "wfcompat: " + badLock + ": lockfile schema \"nope\""},
		{[]string{new, "--lock", filepath.Join(dir, "missing.lock"), "-o", out}, "missing.lock: no such file or directory"},
		{[]string{new, "--against", old, "-o", out, "--map", "x"}, "--map \"x\": want SLOT=FUNC"},
		{[]string{new, "--against", old, "-o", out, "--map", "1=nope"}, "--map 1=nope: no reply callback of ic0.call_new is nope; candidates: func[6]"},
		{[]string{new, "--against", old, "-o", out, "--callback-import", "env"}, "--callback-import: callback import \"env\": missing \":ARG\""},
		{[]string{corpus + "golem-v1.1.0/update-test-v1.wasm", "--against", old, "-o", out}, "is a component"},
	} {
		code, stdout, stderr := run(t, append([]string{"pin"}, tc.args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("pin %q: exit %d, stdout %q, stderr %q; want %q", tc.args, code, stdout, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("pin %q wrote the output", tc.args)
		}
	}
}

func TestPinUnchanged(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.wasm")
	code, stdout, stderr := run(t, "pin", wat+"pin_old.wasm", "--against", wat+"pin_old.wasm", "-o", out)
	if code != 0 || !strings.Contains(stdout, "every callback already sits at its pinned slot") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	a, _ := os.ReadFile(wat + "pin_old.wasm")
	b, _ := os.ReadFile(out)
	if !bytes.Equal(a, b) {
		t.Fatal("output differs")
	}
}

func TestPinCallbackImport(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.wasm")
	// cb_user with the callback slots swapped: arg0 at 2, arg2 at 1.
	src, _ := os.ReadFile(wat + "cb_user.wasm")
	swapped := bytes.Replace(src, []byte{0x41, 0x01, 0x41, 0x00, 0x41, 0x02}, []byte{0x41, 0x02, 0x41, 0x00, 0x41, 0x01}, 1)
	if bytes.Equal(swapped, src) {
		t.Fatal("pattern not found")
	}
	os.WriteFile(old, swapped, 0o644)
	code, stdout, stderr := run(t, "pin", wat+"cb_user.wasm", "--against", old, "-o", filepath.Join(dir, "out.wasm"),
		"--callback-import", "env.register:0,2")
	if code != 0 || !strings.Contains(stdout, "arg0 callback of env.register, func[2]: slot 1 -> 2") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	// The same import from wfcompat.yaml's callback_imports.
	cfg := filepath.Join(dir, "wfcompat.yaml")
	if err := os.WriteFile(cfg, []byte("callback_imports:\n  - env.register:0,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run(t, "pin", wat+"cb_user.wasm", "--against", old, "-o", filepath.Join(dir, "out2.wasm"), "--config", cfg)
	if code != 0 || !strings.Contains(stdout, "arg0 callback of env.register, func[2]: slot 1 -> 2") {
		t.Fatalf("with config: exit %d: %s %s", code, stdout, stderr)
	}
}

func TestPinHelp(t *testing.T) {
	code, stdout, _ := run(t, "pin", "--help")
	for _, want := range []string{"--against", "--lock", "--write-lock", "--map", "--callback-import", "Examples:", "enhanced orthogonal"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// TestPinInvalidInput: pin proves NEW valid before rewriting it, and
// refuses a module that decodes but does not type-check, with the offset,
// exit status 2 and no output.
func TestPinInvalidInput(t *testing.T) {
	dir := t.TempDir()
	// (module (func i64.const 0)): a value left where the function
	// returns nothing.
	bad := []byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x06\x01\x04\x00\x42\x00\x0b")
	src := filepath.Join(dir, "bad.wasm")
	if err := os.WriteFile(src, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.wasm")
	if err := os.WriteFile(filepath.Join(dir, "none.lock"), []byte(`{"schema": "`+rewrite.LockSchema+`", "tables": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "pin", src, "--lock", filepath.Join(dir, "none.lock"), "-o", out)
	if code != 2 || !strings.Contains(stderr, "not a valid module") || !strings.Contains(stderr, "offset 0x") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("output written: %v", err)
	}
}

// TestLockFromCore: the shortcut for core modules without an embedded
// manifest gives the lock wfcompat.Open's path gives, on the IC corpus.
func TestLockFromCore(t *testing.T) {
	files, _ := filepath.Glob(corpus + "ic/*.wasm")
	if len(files) == 0 {
		t.Skip("corpus not available (../shared)")
	}
	io, _, _ := Test()
	for _, f := range files {
		fast, _, ok, ferr := lockFromCore(io, f, nil)
		if !ok {
			t.Errorf("%s: not taken by the shortcut", f)
			continue
		}
		slow, _, serr := lockFromOpen(io, f, nil)
		if fmt.Sprint(ferr) != fmt.Sprint(serr) {
			t.Errorf("%s: shortcut says %v; Open's path %v", f, ferr, serr)
			continue
		}
		if ferr == nil && string(fast.Marshal()) != string(slow.Marshal()) {
			t.Errorf("%s: the shortcut's lock differs from Open's", f)
		}
	}
}
