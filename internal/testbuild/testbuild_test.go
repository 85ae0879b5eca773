package testbuild

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommand builds the command the ways the tests use, and reads back
// from the executable's build information (go version -m) that the tags
// and flags were applied; a package that does not exist fails with go's
// message.
func TestCommand(t *testing.T) {
	if !Available() {
		t.Skip("no go command on PATH")
	}
	if testing.Short() {
		t.Skip("builds the command (-short)")
	}
	for _, tc := range []struct {
		name    string
		build   Build
		pkg     string
		want    []string // in go version -m's output
		notWant []string
		err     string
	}{
		{"release, lean", Release.WithTags("lean"), "github.com/wfcompat/wfcompat/cmd/wfcompat",
			[]string{"-tags=lean", "-trimpath=true", "CGO_ENABLED=0"}, nil, ""},
		{"release, complete", Release, "github.com/wfcompat/wfcompat/cmd/wfcompat",
			[]string{"-trimpath=true", "CGO_ENABLED=0"}, []string{"-tags="}, ""},
		{"plain", Build{}, "github.com/wfcompat/wfcompat/cmd/wfcompat-oci", []string{"path\tgithub.com/wfcompat/wfcompat/cmd/wfcompat-oci"}, []string{"-trimpath", "-tags="}, ""},
		{"no such package", Build{}, "github.com/wfcompat/wfcompat/cmd/absent", nil, nil, "cmd/absent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), Exe("bin"))
			err := tc.build.Command(out, tc.pkg)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(out + ".copy"); err == nil {
				t.Error("the copy's temporary file is left")
			}
			info, err := exec.Command("go", "version", "-m", out).Output()
			if err != nil {
				t.Fatalf("go version -m: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(info), w) {
					t.Errorf("build info lacks %q:\n%s", w, info)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(string(info), w) {
					t.Errorf("build info has %q:\n%s", w, info)
				}
			}
		})
	}
}

// TestWithTags: WithTags leaves the Build it was called on as it was.
func TestWithTags(t *testing.T) {
	b := Release.WithTags("lean")
	b.Flags = append(b.Flags, "-x")
	b.Env = append(b.Env, "X=1")
	if Release.Tags != "" || len(Release.Flags) != 2 || len(Release.Env) != 1 || b.Tags != "lean" {
		t.Errorf("Release changed: %+v (derived %+v)", Release, b)
	}
}

// TestOnce: Do builds once, the first time, and gives every call the same
// directory, or the same error; Remove removes the directory.
func TestOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{{"built", nil}, {"failed", errors.New("no go command")}} {
		t.Run(tc.name, func(t *testing.T) {
			var o Once
			defer o.Remove()
			builds := 0
			build := func(dir string) error {
				builds++
				if err := os.WriteFile(filepath.Join(dir, "bin"), nil, 0o755); err != nil {
					t.Fatal(err)
				}
				return tc.err
			}
			dir, err := o.Do(build)
			if err != tc.err {
				t.Fatalf("Do: %v, want %v", err, tc.err)
			}
			if _, statErr := os.Stat(filepath.Join(dir, "bin")); statErr != nil {
				t.Fatalf("build's file: %v", statErr)
			}
			if dir2, err2 := o.Do(build); dir2 != dir || err2 != err || builds != 1 {
				t.Errorf("second Do: %q, %v after %d builds, want %q, %v after 1", dir2, err2, builds, dir, err)
			}
			o.Remove()
			if _, statErr := os.Stat(dir); !os.IsNotExist(statErr) {
				t.Errorf("after Remove: %v, want the directory gone", statErr)
			}
		})
	}
}
