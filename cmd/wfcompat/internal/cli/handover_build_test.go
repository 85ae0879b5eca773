package cli

import (
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// TestBuildIdentity: builds of one release, or of one checkout, lean or
// complete, are one build; another version, revision or a dirty tree is
// another.
func TestBuildIdentity(t *testing.T) {
	for _, c := range []struct {
		info buildinfo.Info
		want string
	}{
		{buildinfo.Info{Version: "v0.4.0", GoVersion: "go1.26.8", Tags: []string{"lean"}}, "v0.4.0"},
		{buildinfo.Info{Version: "v0.4.0"}, "v0.4.0"},
		{buildinfo.Info{Version: "(devel)", Revision: "0123456789abcdef", Time: "2026-12-01T08:00:00Z"}, "(devel) rev 0123456789abcdef"},
		{buildinfo.Info{Version: "(devel)", Revision: "0123456789abcdef", Modified: true}, "(devel) rev 0123456789abcdef+dirty"},
	} {
		if got := buildIdentity(c.info); got != c.want {
			t.Errorf("buildIdentity(%+v) = %q, want %q", c.info, got, c.want)
		}
	}
}

// TestMismatchedHandOver: a complete build started by a lean front of
// another build refuses the run (exit 2, one line saying both builds and
// what to install); the same build, or a run nobody handed over, is run.
func TestMismatchedHandOver(t *testing.T) {
	own := buildinfo.Info{Version: "v0.4.0", Tags: nil}
	for _, c := range []struct {
		name string
		env  map[string]string
		want string // in the error; "" for none
	}{
		{"not handed over", nil, ""},
		{"same build", map[string]string{handedOverEnv: "/usr/bin/wfcompat", handedOverBuildEnv: "v0.4.0"}, ""},
		{"a front of before this check", map[string]string{handedOverEnv: "/usr/bin/wfcompat"}, ""},
		{"another release", map[string]string{handedOverEnv: "/usr/bin/wfcompat", handedOverBuildEnv: "v0.5.0"},
			"wfcompat-full is build v0.4.0, but the wfcompat that handed this run to it, /usr/bin/wfcompat, is build v0.5.0: another release's checks and verdicts would pass as this one's; install the wfcompat-full of the same release beside it (WFCOMPAT_FULL may name it)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			io, _, _ := Test()
			io.Getenv = func(k string) string { return c.env[k] }
			err := mismatchedHandOver(io, func() buildinfo.Info { return own })
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && (err == nil || err.Error() != c.want || exitStatus(err, io) != ExitError || strings.Contains(err.Error(), "\n")):
				t.Errorf("err = %v, want exit 2 with %q", err, c.want)
			}
		})
	}
}
