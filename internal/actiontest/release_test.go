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
	for _, want := range []string{"CGO_ENABLED=0", "FROM gcr.io/distroless/static", "./cmd/wfcompat ./cmd/wfcompat-oci", "/out/wfcompat-oci /usr/local/bin/"} {
		if !strings.Contains(string(dockerfile), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}

// TestReleaseTargets reads .goreleaser.yaml and cross-compiles the commands
// for every target it lists (each whole command must build on each): wfcompat
// and its oci:// helper wfcompat-oci, archived together (wfcompat finds the
// helper beside itself).
func TestReleaseTargets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int
		Builds  []struct {
			ID     string
			Main   string
			Env    []string
			Goos   []string
			Goarch []string
		}
		Archives []struct{ IDs []string }
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 2 || len(cfg.Archives) != 1 {
		t.Fatalf("want two builds and one archive in a version 2 configuration: %+v", cfg)
	}
	var mains, ids []string
	for _, build := range cfg.Builds {
		slices.Sort(build.Goos)
		slices.Sort(build.Goarch)
		if !slices.Equal(build.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(build.Goarch, []string{"amd64", "arm64"}) ||
			!slices.Contains(build.Env, "CGO_ENABLED=0") {
			t.Fatalf("build %+v, want linux/darwin/windows × amd64/arm64, CGO_ENABLED=0", build)
		}
		mains, ids = append(mains, build.Main), append(ids, build.ID)
	}
	if !slices.Equal(mains, []string{"./cmd/wfcompat", "./cmd/wfcompat-oci"}) {
		t.Fatalf("builds of %v, want ./cmd/wfcompat and ./cmd/wfcompat-oci", mains)
	}
	if archived := slices.Sorted(slices.Values(cfg.Archives[0].IDs)); !slices.Equal(archived, ids) {
		t.Fatalf("the archive holds builds %v, want both: %v", archived, ids)
	}
	// Six cross-builds of each command take minutes on a shared
	// machine: opt in (CI's release job sets it).
	if os.Getenv("WFCOMPAT_CROSS") == "" {
		t.Skip("set WFCOMPAT_CROSS=1 to cross-compile the commands for every release target")
	}
	for _, build := range cfg.Builds {
		for _, goos := range build.Goos {
			for _, goarch := range build.Goarch {
				cmd := exec.Command("go", "build", "-o", os.DevNull, build.Main)
				cmd.Dir = root(t)
				cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s %s/%s: %v\n%s", build.Main, goos, goarch, err, out)
				}
			}
		}
	}
}
