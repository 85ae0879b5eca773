package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

func TestVersionCommand(t *testing.T) {
	info := &buildinfo.Info{Version: "v1.2.3", Revision: "0123456789abcdef0123", Time: "2026-12-01T08:00:00Z", GoVersion: "go1.26.8", Tags: []string{"lean"}}
	for _, c := range []struct {
		json bool
		want string
	}{
		{false, "wfcompat v1.2.3 (rev 0123456789ab, 2026-12-01T08:00:00Z, go1.26.8, tags lean)\n"},
		{true, `"revision": "0123456789abcdef0123"`},
	} {
		io, out, _ := Test()
		if err := runVersion(&VersionOptions{IO: io, JSON: c.json, Info: info}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("json=%v: %q, want %q", c.json, out.String(), c.want)
		}
		if c.json {
			var got buildinfo.Info
			if err := json.Unmarshal(out.Bytes(), &got); err != nil || !reflect.DeepEqual(got, *info) {
				t.Errorf("--json round trip: %+v, %v", got, err)
			}
		}
	}
	// Both spellings print the running build's line.
	want := "wfcompat " + buildinfo.Read().String() + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if code, stdout, stderr := run(t, args...); code != 0 || stdout != want || stderr != "" {
			t.Errorf("%v: exit %d, %q (want %q), stderr %q", args, code, stdout, want, stderr)
		}
	}
}

// TestVersionStamped builds the command in this checkout and checks that
// the binary reports the VCS revision the toolchain stamped.
func TestVersionStamped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	root := repoRoot(t)
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		t.Skip("the go command stamps VCS information only where .git is a directory (not in a git worktree)")
	}
	rev, err := exec.Command(gitBin, "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "wfcompat")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/wfcompat")
	build.Dir = root
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true")
	if out, err := build.CombinedOutput(); err != nil {
		t.Skipf("go build with VCS stamping failed here: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var info buildinfo.Info
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if info.Revision != strings.TrimSpace(string(rev)) || info.Version == "" {
		t.Errorf("version --json = %+v, want revision %s", info, rev)
	}
}
