package source_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoRegistryClient: package source, which every wfcompat command
// links, does not link the registry client (go-containerregistry, behind
// source/ocifetch and the wfcompat-oci helper), also now that it reads
// cached OCI manifests itself (source/internal/ociartifact).
func TestNoRegistryClient(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/wfcompat/wfcompat/source").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/google/go-containerregistry/") || p == "github.com/wfcompat/wfcompat/source/ocifetch" {
			t.Errorf("package source links %s", p)
		}
	}
}
