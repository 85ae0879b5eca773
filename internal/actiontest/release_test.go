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
	for _, want := range []string{"CGO_ENABLED=0", "FROM gcr.io/distroless/static",
		"-tags lean -o /out/wfcompat ./cmd/wfcompat", "-o /out/wfcompat-full ./cmd/wfcompat ", "-o /out/wfcompat-oci ./cmd/wfcompat-oci",
		"COPY --from=build /out/wfcompat /out/wfcompat-full /out/wfcompat-oci /usr/local/bin/"} {
		if !strings.Contains(string(dockerfile), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	for _, line := range strings.Split(string(dockerfile), "\n") {
		if strings.Contains(line, "/out/wfcompat-full ./cmd/wfcompat") && strings.Contains(line, "lean") {
			t.Errorf("Dockerfile builds wfcompat-full with the lean tag: %s", line)
		}
	}
}

// TestReleaseTargets reads .goreleaser.yaml and cross-compiles the commands
// for every target it lists (each whole command must build on each): the
// lean front wfcompat (-tags lean), the complete build wfcompat-full it
// hands the commands that run Wasm to, and the oci:// helper wfcompat-oci,
// archived together (each finds the others beside itself).
func TestReleaseTargets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	type build struct {
		ID     string
		Main   string
		Binary string
		Tags   []string
		Env    []string
		Goos   []string
		Goarch []string
	}
	var cfg struct {
		Version  int
		Builds   []build
		Archives []struct{ IDs []string }
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	want := []build{
		{ID: "wfcompat", Main: "./cmd/wfcompat", Binary: "wfcompat", Tags: []string{"lean"}},
		{ID: "wfcompat-full", Main: "./cmd/wfcompat", Binary: "wfcompat-full"},
		{ID: "wfcompat-oci", Main: "./cmd/wfcompat-oci", Binary: "wfcompat-oci"},
	}
	if cfg.Version != 2 || len(cfg.Builds) != len(want) || len(cfg.Archives) != 1 {
		t.Fatalf("want %d builds and one archive in a version 2 configuration: %+v", len(want), cfg)
	}
	var ids []string
	for i, build := range cfg.Builds {
		slices.Sort(build.Goos)
		slices.Sort(build.Goarch)
		if !slices.Equal(build.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(build.Goarch, []string{"amd64", "arm64"}) ||
			!slices.Contains(build.Env, "CGO_ENABLED=0") {
			t.Fatalf("build %+v, want linux/darwin/windows × amd64/arm64, CGO_ENABLED=0", build)
		}
		w := want[i]
		if build.ID != w.ID || build.Main != w.Main || build.Binary != w.Binary || !slices.Equal(build.Tags, w.Tags) {
			t.Errorf("build %d: id %s, main %s, binary %s, tags %v; want %s, %s, %s, %v", i, build.ID, build.Main, build.Binary, build.Tags, w.ID, w.Main, w.Binary, w.Tags)
		}
		ids = append(ids, build.ID)
	}
	if archived := slices.Sorted(slices.Values(cfg.Archives[0].IDs)); !slices.Equal(archived, slices.Sorted(slices.Values(ids))) {
		t.Fatalf("the archive holds builds %v, want all: %v", archived, ids)
	}
	// Six cross-builds of each command take minutes on a shared
	// machine: opt in (CI's release job sets it).
	if os.Getenv("WFCOMPAT_CROSS") == "" {
		t.Skip("set WFCOMPAT_CROSS=1 to cross-compile the commands for every release target")
	}
	for _, build := range cfg.Builds {
		for _, goos := range build.Goos {
			for _, goarch := range build.Goarch {
				cmd := exec.Command("go", "build", "-tags", strings.Join(build.Tags, ","), "-o", os.DevNull, build.Main)
				cmd.Dir = root(t)
				cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s %s/%s: %v\n%s", build.Main, goos, goarch, err, out)
				}
			}
		}
	}
}

// TestActionInstallsCompleteBuild: the action installs wfcompat with go
// install's default build, the complete one (which hands nothing over and
// needs no wfcompat-full), from its own checkout or a version.
func TestActionInstallsCompleteBuild(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Steps []struct {
				Name string
				Run  string
			}
		}
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range action.Runs.Steps {
		if s.Name != "Install wfcompat" {
			continue
		}
		found = true
		for _, want := range []string{`go install "github.com/wfcompat/wfcompat/cmd/...@$VERSION"`, "go install ./cmd/..."} {
			if !strings.Contains(s.Run, want) {
				t.Errorf("the install step lacks %q", want)
			}
		}
		if strings.Contains(s.Run, "lean") {
			t.Errorf("the install step builds with the lean tag; without wfcompat-full beside it, run, replay, upgrade and diff --log would fail:\n%s", s.Run)
		}
	}
	if !found {
		t.Error("action.yml has no step named Install wfcompat")
	}
}
