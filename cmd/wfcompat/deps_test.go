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
// wasmtools, does not link the registry client (go-containerregistry,
// package source/ocifetch): oci:// sources are fetched by the wfcompat-oci
// helper, and a cached pinned one is read by package source itself.
func TestNoRegistryClient(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	for _, tags := range []string{"", "wasmtools"} {
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
