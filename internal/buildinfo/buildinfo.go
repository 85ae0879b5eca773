package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// ModulePath is wfcompat's module path.
const ModulePath = "github.com/wfcompat/wfcompat"

// Info describes a build of wfcompat.
type Info struct {
	// Version is the module version ("v0.3.1", a pseudo-version, or
	// "(devel)" for a build from a source tree).
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from ("" when the
	// toolchain did not stamp one: go install of a module version, go test).
	Revision string `json:"revision,omitempty"`
	// Time is the commit time (RFC 3339), Modified whether the tree had
	// uncommitted changes.
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	// GoVersion is the toolchain that built the binary.
	GoVersion string `json:"goVersion,omitempty"`
	// Tags are the build tags it was built with (-tags): "lean" for the
	// released wfcompat front, "wasmtools" for the optional wasm-tools
	// WIT reader.
	Tags []string `json:"tags,omitempty"`
}

// Read returns the running build's Info. When wfcompat is a dependency of
// another program, the version is that of the wfcompat module in its
// build list; without build information Version is "(unknown)".
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "(unknown)"}
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo extracts Info from bi.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Version: "(unknown)", GoVersion: bi.GoVersion}
	switch {
	case bi.Main.Path == ModulePath:
		info.Version = bi.Main.Version
	default:
		for _, d := range bi.Deps {
			if d.Path == ModulePath {
				if d.Replace != nil {
					d = d.Replace
				}
				info.Version = d.Version
				break
			}
		}
	}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			info.Time = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		case "-tags":
			for _, t := range strings.Split(s.Value, ",") {
				if t = strings.TrimSpace(t); t != "" {
					info.Tags = append(info.Tags, t)
				}
			}
		}
	}
	return info
}

// InstallVersion is the version to `go install` a command of this build
// at (a helper executable of the same release): Version, or "latest" for
// a build from a checkout or of unknown version ("(devel)", "(unknown)",
// a version with "+" build metadata, as go build stamps a dirty tree).
func (i Info) InstallVersion() string {
	if i.Version == "" || strings.HasPrefix(i.Version, "(") || strings.Contains(i.Version, "+") {
		return "latest"
	}
	return i.Version
}

// String renders the Info on one line:
// "v0.3.1 (rev 1a2b3c4d5e6f, 2026-11-30T10:00:00Z, go1.26.8, tags lean)".
func (i Info) String() string {
	var meta []string
	if i.Revision != "" {
		rev := i.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if i.Modified {
			rev += "+dirty"
		}
		meta = append(meta, "rev "+rev)
	}
	if i.Time != "" {
		meta = append(meta, i.Time)
	}
	if i.GoVersion != "" {
		meta = append(meta, i.GoVersion)
	}
	if len(i.Tags) > 0 {
		meta = append(meta, "tags "+strings.Join(i.Tags, ","))
	}
	if len(meta) == 0 {
		return i.Version
	}
	return fmt.Sprintf("%s (%s)", i.Version, strings.Join(meta, ", "))
}
