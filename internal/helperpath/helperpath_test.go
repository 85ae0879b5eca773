package helperpath

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// findEnv, in the environment of the test binary run again, makes it
// print what Find("wfcompat-helper-test", Explicit{$HELPERPATH_EXPLICIT})
// returns, instead of running the tests: the running executable is then
// the copy the test placed.
const findEnv = "HELPERPATH_TEST_FIND"

const testName = "wfcompat-helper-test"

func TestMain(m *testing.M) {
	if os.Getenv(findEnv) != "" {
		p, err := Find(testName, Explicit{Path: os.Getenv("HELPERPATH_EXPLICIT"), From: "HELPERPATH_EXPLICIT"})
		var nf *NotFoundError
		switch {
		case errors.As(err, &nf):
			fmt.Printf("not found: %s\n", nf.Where())
		case err != nil:
			fmt.Printf("error: %v\n", err)
		default:
			fmt.Printf("found: %s\n", p)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// exeName is name as an executable file is called on this system.
func exeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// writeExe writes an executable file (its content is never run).
func writeExe(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestFind runs a copy of the test binary (the "running executable") from
// a directory of its own, with the helper placed in turn in each place
// Find looks, and checks which one it finds, in order.
func TestFind(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Skipf("os.Executable: %v", err)
	}
	testBin, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	type layout struct {
		beside, linked, onPath bool   // where a helper is
		explicit               string // "" none, "good" an existing file, "missing" a file that is not there
		viaLink                bool   // run the executable through a symbolic link in another directory
	}
	for _, tc := range []struct {
		name string
		l    layout
		// want is "found: <dir>" with dir one of bin, real, path,
		// explicit, or a prefix of the line; any of them.
		want []string
	}{
		{"explicit first", layout{beside: true, onPath: true, explicit: "good"}, []string{"found: explicit"}},
		{"explicit missing is an error", layout{beside: true, explicit: "missing"}, []string{"error: "}},
		{"beside before PATH", layout{beside: true, onPath: true}, []string{"found: bin"}},
		{"through the link's target", layout{linked: true, onPath: true, viaLink: true}, []string{"found: real"}},
		{"PATH last", layout{onPath: true}, []string{"found: path"}},
		{"nowhere", layout{}, []string{"not found: in bin or on PATH"}},
		// Linux's os.Executable resolves the link itself (/proc/self/exe);
		// others report the path run.
		{"nowhere, linked", layout{viaLink: true}, []string{"not found: in link, real or on PATH", "not found: in real or on PATH"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.l.viaLink && runtime.GOOS == "windows" {
				t.Skip("symbolic links need privileges on Windows")
			}
			root := t.TempDir()
			dirs := map[string]string{}
			for _, d := range []string{"bin", "real", "path", "explicit", "link"} {
				dirs[d] = filepath.Join(root, d)
				if err := os.MkdirAll(dirs[d], 0o755); err != nil {
					t.Fatal(err)
				}
			}
			binDir := "bin"
			if tc.l.viaLink {
				binDir = "real"
			}
			exe := filepath.Join(dirs[binDir], exeName("testbin"))
			if err := os.WriteFile(exe, testBin, 0o755); err != nil {
				t.Fatal(err)
			}
			run := exe
			if tc.l.viaLink {
				run = filepath.Join(dirs["link"], exeName("testbin"))
				if err := os.Symlink(exe, run); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range []struct {
				on  bool
				dir string
			}{{tc.l.beside, "bin"}, {tc.l.linked, "real"}, {tc.l.onPath, "path"}, {tc.l.explicit == "good", "explicit"}} {
				if p.on {
					writeExe(t, filepath.Join(dirs[p.dir], exeName(testName)))
				}
			}
			cmd := exec.Command(run)
			cmd.Env = append(os.Environ(), findEnv+"=1", "PATH="+dirs["path"])
			switch tc.l.explicit {
			case "good":
				cmd.Env = append(cmd.Env, "HELPERPATH_EXPLICIT="+filepath.Join(dirs["explicit"], exeName(testName)))
			case "missing":
				cmd.Env = append(cmd.Env, "HELPERPATH_EXPLICIT="+filepath.Join(dirs["explicit"], "absent"))
			}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v", run, err)
			}
			got := strings.TrimSpace(string(out))
			// Name the directories as the table does.
			for _, d := range []string{"explicit", "path", "real", "link", "bin"} {
				got = strings.ReplaceAll(got, dirs[d]+string(filepath.Separator)+exeName(testName), d)
				got = strings.ReplaceAll(got, dirs[d], d)
			}
			if !slices.ContainsFunc(tc.want, func(w string) bool { return strings.HasPrefix(got, w) }) {
				t.Errorf("got %q, want one of %q", got, tc.want)
			}
			if tc.l.explicit == "missing" && !strings.Contains(got, "(from HELPERPATH_EXPLICIT)") {
				t.Errorf("got %q, want the error to name where the path came from", got)
			}
		})
	}
}

// TestNotFoundError checks the message of a helper found nowhere.
func TestNotFoundError(t *testing.T) {
	for _, tc := range []struct {
		dirs []string
		want string
	}{
		{nil, "wfcompat-full not found (not on PATH)"},
		{[]string{"/opt/w"}, "wfcompat-full not found (not in /opt/w or on PATH)"},
		{[]string{"/usr/bin", "/opt/w"}, "wfcompat-full not found (not in /usr/bin, /opt/w or on PATH)"},
	} {
		if got := (&NotFoundError{Name: "wfcompat-full", Dirs: tc.dirs}).Error(); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.dirs, got, tc.want)
		}
	}
}
