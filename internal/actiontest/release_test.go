package actiontest

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestStaticBinary checks what the Dockerfile relies on: with
// CGO_ENABLED=0 the command links statically (no ELF interpreter), so it
// runs on distroless/static or scratch.
func TestStaticBinary(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checks a Linux ELF binary")
	}
	f, err := elf.Open(wfcompatBin(t)) // built with CGO_ENABLED=0
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary has an ELF interpreter: it is dynamically linked")
		}
	}
	dockerfile, err := os.ReadFile(filepath.Join(root(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "FROM gcr.io/distroless/static", "./cmd/wfcompat"} {
		if !strings.Contains(string(dockerfile), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}

// TestReleaseTargets reads .goreleaser.yaml and cross-compiles the command
// for every target it lists (the whole command must build on each).
func TestReleaseTargets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int
		Builds  []struct {
			Main   string
			Env    []string
			Goos   []string
			Goarch []string
		}
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 {
		t.Fatalf("want one build in a version 2 configuration: %+v", cfg)
	}
	build := cfg.Builds[0]
	slices.Sort(build.Goos)
	slices.Sort(build.Goarch)
	if !slices.Equal(build.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(build.Goarch, []string{"amd64", "arm64"}) ||
		!slices.Contains(build.Env, "CGO_ENABLED=0") || build.Main != "./cmd/wfcompat" {
		t.Fatalf("build %+v, want linux/darwin/windows × amd64/arm64, CGO_ENABLED=0, ./cmd/wfcompat", build)
	}
	// Six cross-builds of the whole command take minutes on a shared
	// machine: opt in (CI's release job sets it).
	if os.Getenv("WFCOMPAT_CROSS") == "" {
		t.Skip("set WFCOMPAT_CROSS=1 to cross-compile the command for every release target")
	}
	for _, goos := range build.Goos {
		for _, goarch := range build.Goarch {
			cmd := exec.Command("go", "build", "-o", os.DevNull, build.Main)
			cmd.Dir = root(t)
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s/%s: %v\n%s", goos, goarch, err, out)
			}
		}
	}
}
