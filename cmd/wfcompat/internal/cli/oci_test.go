package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
)

// TestDiffOCIBaseline builds wfcompat and its helper wfcompat-oci into one
// directory, as the release archives and the container image hold them,
// and diffs against an oci:// baseline: wfcompat finds the helper beside
// itself. Without the helper, the error says how to install it.
func TestDiffOCIBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wfcompat and wfcompat-oci")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build wfcompat and wfcompat-oci with")
	}
	bin := t.TempDir()
	build := exec.Command(goCmd, "build", "-o", bin+string(filepath.Separator), "./cmd/wfcompat", "./cmd/wfcompat-oci")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exe := func(name string) string {
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		return filepath.Join(bin, name)
	}
	wat := filepath.Join(repoRoot(t), "testdata", "wat")
	oldBin, err := os.ReadFile(filepath.Join(wat, "cb_table_old.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, oldBin, source.MediaTypeWasm))
	baseline := "oci://" + reg.Host + "/acme/app:v1"

	wfcompat := func(args ...string) (int, string, string) {
		cmd := exec.Command(exe("wfcompat"), args...)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir(), "HOME="+t.TempDir(), "PATH="+t.TempDir(), source.HelperEnv+"=")
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errb.String()
	}
	code, out, errb := wfcompat("diff", "--mode", "in-flight", baseline, filepath.Join(wat, "cb_table_reused.wasm"))
	if code != ExitUnsafe || !strings.Contains(out, "old  "+baseline+"  (core") || !strings.Contains(out, "CALLBACK_") {
		t.Errorf("oci baseline: exit %d\n%s%s", code, out, errb)
	}

	os.Remove(exe("wfcompat-oci"))
	code, _, errb = wfcompat("diff", baseline, filepath.Join(wat, "cb_table_reused.wasm"))
	want := "wfcompat: " + baseline + ": oci:// sources are fetched by the wfcompat-oci helper, which is not installed (not in " + bin
	if code != ExitError || !strings.HasPrefix(errb, want) || !strings.Contains(errb, "go install github.com/wfcompat/wfcompat/cmd/wfcompat-oci@") || strings.Count(errb, "\n") != 1 {
		t.Errorf("no helper: exit %d, stderr %q, want %q…", code, errb, want)
	}
}
