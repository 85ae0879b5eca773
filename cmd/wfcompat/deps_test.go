package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestWasmToolsOptional: the wfcompat command as built by default does not
// link go.bytecodealliance.org (the reader through its embedded wasm-tools,
// wit/wasmtools, costs every run's start-up its package initialization);
// a build with -tags wasmtools does.
func TestWasmToolsOptional(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	for _, tc := range []struct {
		tags string
		want bool
	}{{"", false}, {"wasmtools", true}} {
		out, err := exec.Command(gobin, "list", "-tags", tc.tags, "-deps", ".").Output()
		if err != nil {
			t.Fatalf("go list -tags %q -deps: %v", tc.tags, err)
		}
		var linked []string
		for _, p := range strings.Fields(string(out)) {
			if strings.HasPrefix(p, "go.bytecodealliance.org/") || p == "github.com/wfcompat/wfcompat/wit/wasmtools" {
				linked = append(linked, p)
			}
		}
		if got := len(linked) > 0; got != tc.want {
			t.Errorf("-tags %q: links %v, want wit/wasmtools and go.bytecodealliance.org linked: %v", tc.tags, linked, tc.want)
		}
	}
}

// TestNoRegistryClient: the wfcompat command, with or without -tags
// wasmtools, and its lean build, do not link the registry client (go-containerregistry,
// package source/ocifetch): oci:// sources are fetched by the wfcompat-oci
// helper, and a cached pinned one is read by package source itself.
func TestNoRegistryClient(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	for _, tags := range []string{"", "wasmtools", "lean"} {
		out, err := exec.Command(gobin, "list", "-tags", tags, "-deps", ".").Output()
		if err != nil {
			t.Fatalf("go list -tags %q -deps: %v", tags, err)
		}
		for _, p := range strings.Fields(string(out)) {
			if strings.HasPrefix(p, "github.com/google/go-containerregistry/") || p == "github.com/wfcompat/wfcompat/source/ocifetch" {
				t.Errorf("-tags %q: wfcompat links %s", tags, p)
			}
		}
	}
}

// leanForbidden are the packages the lean build (-tags lean, the wfcompat
// that releases ship) must not link, each with its subpackages: their
// package initialization and page faults cost every process's start-up,
// and the lean build hands every command that needs them to wfcompat-full.
// complete says that the complete build links the package (checked too:
// the lean check must not pass on a list that lacks it for another
// reason).
var leanForbidden = []struct {
	pkg, why string
	complete bool
}{
	{"github.com/tetratelabs/wazero", "the Wasm runtime (about 0.35 ms of start-up)", true},
	{"github.com/wfcompat/wfcompat/runner", "the runner, on wazero", true},
	{"github.com/wfcompat/wfcompat/evidence", "diff's event-log proofs, on the runner", true},
	// https:// downloads go through wfcompat-oci and wfcompat draws its
	// progress bar itself: no build links an HTTP client or TLS (checked
	// here for the lean one).
	{"net/http", "the HTTP client and server (about 0.2 ms, with crypto/tls, x509, hpack...)", false},
	{"crypto/tls", "TLS, for net/http", false},
}

// linked returns the packages of deps (go list -deps output) that are pkg
// or under it.
func linked(deps []string, pkg string) []string {
	var out []string
	for _, p := range deps {
		if p == pkg || strings.HasPrefix(p, pkg+"/") {
			out = append(out, p)
		}
	}
	return out
}

// TestLeanLinks: the lean build links none of leanForbidden, and the
// complete build (default tags, and -tags wasmtools) links those it must.
func TestLeanLinks(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	for _, tc := range []struct {
		tags string
		lean bool
	}{{"lean", true}, {"", false}, {"wasmtools", false}} {
		out, err := exec.Command(gobin, "list", "-tags", tc.tags, "-deps", ".").Output()
		if err != nil {
			t.Fatalf("go list -tags %q -deps: %v", tc.tags, err)
		}
		deps := strings.Fields(string(out))
		for _, f := range leanForbidden {
			got := linked(deps, f.pkg)
			switch {
			case tc.lean && len(got) > 0:
				t.Errorf("-tags lean links %s (%s): %v", f.pkg, f.why, got)
			case !tc.lean && f.complete && len(got) == 0:
				t.Errorf("-tags %q does not link %s: the complete build runs Wasm with it", tc.tags, f.pkg)
			}
		}
	}
}
