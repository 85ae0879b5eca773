package buildinfo

import (
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromBuildInfo(t *testing.T) {
	for _, c := range []struct {
		name string
		bi   debug.BuildInfo
		want Info
		str  string
	}{
		{
			name: "main module with vcs",
			bi: debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: ModulePath, Version: "v0.3.1"},
				Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "1a2b3c4d5e6f7a8b9c0d"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			want: Info{Version: "v0.3.1", Revision: "1a2b3c4d5e6f7a8b9c0d", Time: "2026-11-30T10:00:00Z", Modified: true, GoVersion: "go1.26.8"},
			str:  "v0.3.1 (rev 1a2b3c4d5e6f+dirty, 2026-11-30T10:00:00Z, go1.26.8)",
		},
		{
			name: "lean front",
			bi: debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: ModulePath, Version: "v0.3.1"},
				Settings: []debug.BuildSetting{{Key: "-tags", Value: "lean"}, {Key: "vcs.revision", Value: "1a2b3c4d5e6f7a8b9c0d"}}},
			want: Info{Version: "v0.3.1", Revision: "1a2b3c4d5e6f7a8b9c0d", GoVersion: "go1.26.8", Tags: []string{"lean"}},
			str:  "v0.3.1 (rev 1a2b3c4d5e6f, go1.26.8, tags lean)",
		},
		{
			name: "several tags",
			bi: debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: "v0.3.1"},
				Settings: []debug.BuildSetting{{Key: "-tags", Value: "wasmtools,netgo"}}},
			want: Info{Version: "v0.3.1", Tags: []string{"wasmtools", "netgo"}},
			str:  "v0.3.1 (tags wasmtools,netgo)",
		},
		{
			name: "dependency of another program",
			bi: debug.BuildInfo{Main: debug.Module{Path: "example.com/plugin", Version: "v1.0.0"},
				Deps: []*debug.Module{{Path: "golang.org/x/sys", Version: "v0.1.0"}, {Path: ModulePath, Version: "v0.2.0"}}},
			want: Info{Version: "v0.2.0"},
			str:  "v0.2.0",
		},
		{
			name: "replaced dependency",
			bi: debug.BuildInfo{Main: debug.Module{Path: "example.com/plugin"},
				Deps: []*debug.Module{{Path: ModulePath, Version: "v0.2.0", Replace: &debug.Module{Path: "../wfcompat", Version: ""}}}},
			want: Info{Version: "(devel)"},
			str:  "(devel)",
		},
		{
			name: "not linked",
			bi:   debug.BuildInfo{Main: debug.Module{Path: "example.com/other", Version: "v1.0.0"}},
			want: Info{Version: "(unknown)"},
			str:  "(unknown)",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := FromBuildInfo(&c.bi)
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if s := got.String(); s != c.str {
				t.Errorf("String() = %q, want %q", s, c.str)
			}
		})
	}
}

func TestRead(t *testing.T) {
	// A test binary has build information; its version is whatever the
	// toolchain stamped, but never empty.
	if v := Read().Version; v == "" {
		t.Error("Read().Version is empty")
	}
}

// TestInstallVersion: a release's version is what go install takes; a
// build from a checkout, of unknown version, or with build metadata
// installs the latest.
func TestInstallVersion(t *testing.T) {
	for v, want := range map[string]string{
		"v0.4.0":                               "v0.4.0",
		"v0.4.1-0.20261201080000-0123456789ab": "v0.4.1-0.20261201080000-0123456789ab",
		"(devel)":                              "latest",
		"(unknown)":                            "latest",
		"v0.4.0+dirty":                         "latest",
		"":                                     "latest",
	} {
		if got := (Info{Version: v}).InstallVersion(); got != want {
			t.Errorf("InstallVersion of %q = %q, want %q", v, got, want)
		}
	}
}
