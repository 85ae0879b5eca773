package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
)

// TestDiffHelperBaselines builds wfcompat and its helper wfcompat-oci
// into one directory, as the release archives and the container image
// hold them, and diffs against an oci:// and an https:// baseline:
// wfcompat finds the helper beside itself and runs it for both (the https
// server's certificate is trusted through SSL_CERT_FILE, which the helper
// inherits). Failures of the download are one line and exit status 2.
// Without the helper, the error says how to install it.
func TestDiffHelperBaselines(t *testing.T) {
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
	newPath := filepath.Join(wat, "cb_table_reused.wasm")
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, oldBin, source.MediaTypeWasm))
	ociBaseline := "oci://" + reg.Host + "/acme/app:v1"

	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old.wasm":
			w.Write(oldBin)
		case "/downgrade":
			http.Redirect(w, r, "http://"+r.Host+"/old.wasm", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	certFile := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(oldBin)
	pinned := srv.URL + "/old.wasm#sha256=" + hex.EncodeToString(sum[:])

	wfcompat := func(args ...string) (int, string, string) {
		cmd := exec.Command(exe("wfcompat"), args...)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir(), "HOME="+t.TempDir(), "PATH="+t.TempDir(), source.HelperEnv+"=",
			"SSL_CERT_FILE="+certFile, "SSL_CERT_DIR=")
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
	// The helper trusts the test server through SSL_CERT_FILE, which
	// crypto/x509 reads on Linux and the BSDs, not on macOS and Windows.
	httpsToo := runtime.GOOS != "darwin" && runtime.GOOS != "ios" && runtime.GOOS != "windows"
	baselines := []string{ociBaseline}
	if httpsToo {
		baselines = append(baselines, srv.URL+"/old.wasm", pinned)
	}
	for _, baseline := range baselines {
		code, out, errb := wfcompat("diff", "--mode", "in-flight", baseline, newPath)
		if code != ExitUnsafe || !strings.Contains(out, "old  "+baseline+"  (core") || !strings.Contains(out, "CALLBACK_") {
			t.Errorf("%s: exit %d\n%s%s", baseline, code, out, errb)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{srv.URL + "/missing.wasm"}, "wfcompat: " + srv.URL + "/missing.wasm: download: HTTP 404 Not Found\n"},
		{[]string{srv.URL + "/downgrade"}, "wfcompat: " + srv.URL + "/downgrade: download: Get \"http://"},
		{[]string{"--max-input-size", "10", srv.URL + "/old.wasm"}, "wfcompat: " + srv.URL + "/old.wasm: download: " + fmt.Sprint(len(oldBin)) + " bytes, larger than the limit of 10\n"},
	} {
		if !httpsToo {
			break
		}
		args := append([]string{"diff"}, c.args...)
		code, out, errb := wfcompat(append(args, newPath)...)
		if code != ExitError || out != "" || !strings.HasPrefix(errb, c.want) || strings.Count(errb, "\n") != 1 {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q, want one line starting %q", c.args, code, out, errb, c.want)
		}
	}

	os.Remove(exe("wfcompat-oci"))
	for _, baseline := range []string{ociBaseline, srv.URL + "/old.wasm"} {
		code, _, errb := wfcompat("diff", baseline, newPath)
		want := "wfcompat: " + baseline + ": oci:// and https:// sources are fetched by the wfcompat-oci helper, which is not installed (not in " + bin
		if code != ExitError || !strings.HasPrefix(errb, want) || !strings.Contains(errb, "go install github.com/wfcompat/wfcompat/cmd/wfcompat-oci@") || strings.Count(errb, "\n") != 1 {
			t.Errorf("no helper: exit %d, stderr %q, want %q…", code, errb, want)
		}
	}
}
