package cli

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/manifest"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestManifestCommand(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	in := corpus + "golem-v1.1.0/update-test-v3.wasm"
	orig := sha256.Sum256(readFile(t, in))

	code, stdout, stderr := run(t, "manifest", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := manifest.Read([]byte(stdout))
	if err != nil {
		t.Fatalf("stdout is not a manifest: %v", err)
	}
	if m.Artifact.Kind != "component" || len(m.Snapshot.Save) != 1 || len(m.Snapshot.Load) != 1 ||
		!strings.HasPrefix(m.VersionID, "sha256:") || !strings.Contains(m.WIT, "load: func(bytes: list<u8>) -> result<_, string>") {
		t.Errorf("manifest = %+v", m.Artifact)
	}

	out := filepath.Join(dir, "v3.json")
	if code, _, stderr := run(t, "manifest", in, "-o", out, "--version-id", "v3"); code != 0 {
		t.Fatalf("-o: exit %d: %s", code, stderr)
	}
	m2, err := manifest.Read(readFile(t, out))
	if err != nil || m2.VersionID != "v3" || m2.Artifact.SHA256 != m.Artifact.SHA256 {
		t.Fatalf("-o wrote %+v, %v", m2, err)
	}

	// A manifest is accepted where an artifact is: re-emitting it gives it back.
	if code, again, stderr := run(t, "manifest", out); code != 0 || again != string(readFile(t, out)) {
		t.Errorf("manifest of a manifest: exit %d %s", code, stderr)
	}

	// --embed appends a section and leaves the input alone.
	emb := filepath.Join(dir, "v3.wasm")
	if code, _, stderr := run(t, "manifest", "--embed", "-o", emb, "--version-id", "v3", in); code != 0 {
		t.Fatalf("--embed: exit %d: %s", code, stderr)
	}
	inBytes, embBytes := readFile(t, in), readFile(t, emb)
	if sha256.Sum256(inBytes) != orig {
		t.Fatal("the input changed")
	}
	if !bytes.HasPrefix(embBytes, inBytes) {
		t.Fatal("--embed did not keep the original bytes")
	}
	got, ok, err := manifest.Extract(embBytes)
	if err != nil || !ok || got.VersionID != "v3" || got.Artifact.SHA256 != m.Artifact.SHA256 {
		t.Fatalf("Extract = %+v, %v, %v", got, ok, err)
	}
	// The manifest of the embedded binary is the manifest of the original.
	if code, s, _ := run(t, "manifest", emb); code != 0 || s != stdout {
		t.Errorf("manifest of the embedded binary differs from the original's")
	}
}

func TestManifestErrors(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.wasm")
	if err := os.WriteFile(bad, []byte("\x00asm\x01\x00\x00\x00\x01\xff"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := corpus + "ic/rust-counter.wasm"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"embed without -o", []string{"manifest", "--embed", in}, "--embed writes a new binary"},
		{"overwrite input", []string{"manifest", "-o", bad, bad}, "is the same file as ARTIFACT"},
		{"malformed", []string{"manifest", "-o", filepath.Join(dir, "out.json"), bad}, "bad.wasm: offset 0x"},
		{"malformed embed", []string{"manifest", "--embed", "-o", filepath.Join(dir, "out.wasm"), bad}, "bad.wasm: offset 0x"},
		{"missing", []string{"manifest", filepath.Join(dir, "nope.wasm")}, "nope.wasm"},
		{"vercel", []string{"manifest", "../../../../compat/vercel/testdata/old.manifest.json"}, "is a Vercel Workflow manifest"},
		{"no args", []string{"manifest"}, "accepts 1 arg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			if code != ExitError {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			if !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line with %q", stderr, tc.want)
			}
		})
	}
	if names := testfiles.Names(t, dir); len(names) != 1 || names[0] != "bad.wasm" {
		t.Errorf("failures left files behind: %v", names)
	}
}

// TestDiffOfManifests runs `wfcompat diff` on manifests and on the binaries
// they describe: verdicts and findings must be the same (the library-level
// test in package manifest covers every corpus pair).
func TestDiffOfManifests(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	pairs := [][2]string{
		{"golem-v1.1.0/update-test-v1.wasm", "golem-v1.1.0/update-test-v2.wasm"},
		{"golem-v1.1.0/update-test-v2.wasm", "golem-v1.1.0/update-test-v3.wasm"},
		{"golem-v1.3.0/update-test-v3.wasm", "golem-v1.3.0/update-test-v4.wasm"},
		{"ic/wallet-0.7.0.wasm", "ic/wallet-0.12.0.wasm"},
		{"ic/wallet-0.8.2.wasm", "ic/wallet-0.10.0.wasm"},
		{"ic/wallet-0.7.0.wasm", "ic/wallet-0.7.2.wasm"},
		{"ic/motoko-counter.wasm", "ic/motoko-counter-region.wasm"},
	}
	man := func(rel string) string {
		p := filepath.Join(dir, strings.ReplaceAll(rel, "/", "_")+".json")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if code, _, stderr := run(t, "manifest", corpus+rel, "-o", p); code != 0 {
			t.Fatalf("manifest %s: %s", rel, stderr)
		}
		return p
	}
	for _, p := range pairs {
		bcode, bout, berr := run(t, "diff", "--format", "json", corpus+p[0], corpus+p[1])
		// Manifests on both sides, and a manifest of the old build against
		// the new binary (the usual deploy-time call).
		for _, args := range [][2]string{{man(p[0]), man(p[1])}, {man(p[0]), corpus + p[1]}} {
			mcode, mout, merr := run(t, "diff", "--format", "json", args[0], args[1])
			if bcode != mcode || berr != merr {
				t.Errorf("%v: exit %d vs %d, stderr %q vs %q", args, bcode, mcode, berr, merr)
			}
			if strip(bout) != strip(mout) {
				t.Errorf("%v: reports differ:\n%s\n---\n%s", args, strip(bout), strip(mout))
			}
		}
		if strings.HasPrefix(p[0], "ic/") && (strings.Contains(bout, "callback analysis not run") || !strings.Contains(bout, `"in-flight"`)) {
			t.Errorf("%v: the in-flight mode was not decided:\n%s", p, bout)
		}
	}
}

// TestDiffManifestCallbackImports: the callback imports of an analysis are
// those a manifest records unless --callback-import says otherwise, and
// analyses made with different ones are not compared.
func TestDiffManifestCallbackImports(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	old, nw := corpus+"ic/wallet-0.8.2.wasm", corpus+"ic/wallet-0.10.0.wasm"
	const extra = "ic0.call_data_append:0"
	plain, withExtra := filepath.Join(dir, "plain.json"), filepath.Join(dir, "extra.json")
	if code, _, stderr := run(t, "manifest", old, "-o", plain); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "manifest", "--callback-import", extra, old, "-o", withExtra); code != 0 {
		t.Fatal(stderr)
	}
	newExtra := filepath.Join(dir, "new-extra.json")
	if code, _, stderr := run(t, "manifest", "--callback-import", extra, nw, "-o", newExtra); code != 0 {
		t.Fatal(stderr)
	}
	m := readManifest(t, withExtra)
	if got := manifest.ProfilesText(m.Callbacks.AnalysisProfiles()); got != "ic0.call_data_append:0 ic0.call_new:4,6 ic0.call_on_cleanup:0" {
		t.Errorf("recorded profiles %q", got)
	}
	// Without --callback-import the manifest's are used for the binary too.
	bcode, bout, _ := run(t, "diff", "--format", "json", "--callback-import", extra, old, nw)
	mcode, mout, merr := run(t, "diff", "--format", "json", withExtra, nw)
	if bcode != mcode || strip(bout) != strip(mout) {
		t.Errorf("manifest's callback imports not used: exit %d vs %d %s\n%s\n---\n%s", bcode, mcode, merr, strip(bout), strip(mout))
	}
	if code, _, stderr := run(t, "diff", "--callback-import", extra, withExtra, nw); code == ExitError {
		t.Errorf("the same --callback-import: %s", stderr)
	}
	// wfcompat.yaml's callback_imports count as given ones.
	cfgDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(cfgDir, "wfcompat.yaml"), []byte("callback_imports: [\""+extra+"\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, cfgDir, false, "diff", "--format", "json", plain, nw); code != ExitError || out != "" ||
		!strings.Contains(stderr, plain+": the manifest's callback analysis matched the callback imports ic0.call_new:4,6 ic0.call_on_cleanup:0, not") {
		t.Errorf("config callback_imports against a plain manifest: exit %d, stderr %q", code, stderr)
	}
	if code, out, stderr := runCLI(t, cfgDir, false, "diff", "--format", "json", withExtra, nw); code != bcode || strip(out) != strip(bout) {
		t.Errorf("config callback_imports matching the manifest: exit %d vs %d %s\n%s\n---\n%s", code, bcode, stderr, strip(out), strip(bout))
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"other --callback-import", []string{"diff", "--callback-import", "env.x:0", withExtra, nw},
			withExtra + ": the manifest's callback analysis matched the callback imports ic0.call_data_append:0 ic0.call_new:4,6 ic0.call_on_cleanup:0, not ic0's and --callback-import's, env.x:0 ic0.call_new:4,6 ic0.call_on_cleanup:0;"},
		{"--callback-import against a plain manifest", []string{"diff", "--callback-import", extra, plain, nw},
			plain + ": the manifest's callback analysis matched the callback imports ic0.call_new:4,6 ic0.call_on_cleanup:0, not ic0's and --callback-import's"},
		{"two manifests made differently", []string{"diff", plain, newExtra},
			newExtra + ": the manifest's callback analysis matched the callback imports ic0.call_data_append:0 ic0.call_new:4,6 ic0.call_on_cleanup:0, not " + plain + "'s, ic0.call_new:4,6 ic0.call_on_cleanup:0;"},
		{"inspect", []string{"inspect", "--callback-import", "env.x:0", withExtra}, withExtra + ": the manifest's callback analysis matched"},
		{"re-emit", []string{"manifest", "--callback-import", "env.x:0", withExtra}, withExtra + ": the manifest's callback analysis matched"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			if code != ExitError || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want one line with %q", code, len(stdout), stderr, tc.want)
			}
		})
	}
}

// TestDiffEmbedded: embedding a manifest does not change a build's
// identity or verdicts; a binary changed after embedding is an input error.
func TestDiffEmbedded(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	old, nw := corpus+"ic/wallet-0.8.2.wasm", corpus+"ic/wallet-0.10.0.wasm"
	emb := filepath.Join(dir, "old.wasm")
	if code, _, stderr := run(t, "manifest", "--embed", "-o", emb, old); code != 0 {
		t.Fatal(stderr)
	}
	bcode, bout, _ := run(t, "diff", "--format", "json", old, nw)
	ecode, eout, eerr := run(t, "diff", "--format", "json", emb, nw)
	if bcode != ecode || strip(bout) != strip(eout) || eerr != "" {
		t.Errorf("embedded: exit %d vs %d %s\n%s\n---\n%s", bcode, ecode, eerr, strip(bout), strip(eout))
	}
	// Changed after embedding: a custom section appended behind the manifest.
	b := readFile(t, emb)
	stale := filepath.Join(dir, "stale.wasm")
	if err := os.WriteFile(stale, append(b, 0, 3, 1, 'x', 0), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"diff", stale, nw}, {"inspect", stale}, {"manifest", stale}} {
		code, stdout, stderr := run(t, cmd...)
		want := stale + ": offset 0x" + strconv.FormatInt(int64(len(readFile(t, old))), 16) + ": wfcompat:manifest section: the manifest describes sha256 "
		if code != ExitError || stdout != "" || !strings.HasPrefix(stderr, "wfcompat: "+want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want one line starting %q", cmd, code, len(stdout), stderr, want)
		}
	}
}

func readManifest(t *testing.T, path string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Read(readFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// strip drops the lines naming the inputs, which differ by design.
func strip(report string) string {
	var keep []string
	for _, l := range strings.Split(report, "\n") {
		if strings.Contains(l, `"path":`) || strings.Contains(l, `"kind":`) || strings.Contains(l, `"fix":`) || strings.Contains(l, `"config":`) {
			continue
		}
		keep = append(keep, strings.TrimSuffix(l, ",")) // a dropped last field leaves a comma
	}
	return strings.Join(keep, "\n")
}
