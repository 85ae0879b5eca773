package cli

import (
	"fmt"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// Names the hand-over from the lean front to the complete build uses
// (lean.go hands over, full.go checks what it was handed).
const (
	// fullName is the complete build's executable (without .exe).
	fullName = "wfcompat-full"
	// fullEnv may name wfcompat-full's path.
	fullEnv = "WFCOMPAT_FULL"
	// handedOverEnv is set, to the lean front's path, in the environment
	// it hands over with. A lean build that finds it set was itself
	// started as wfcompat-full, by mistake: it refuses to hand over again,
	// which would loop.
	handedOverEnv = "WFCOMPAT_HANDED_OVER_BY"
	// handedOverBuildEnv is set to the lean front's buildIdentity. The
	// wfcompat-full it finds must be the same build: one of another
	// release (a stale one on PATH) has other rules, and its verdicts
	// would pass as the front's.
	handedOverBuildEnv = "WFCOMPAT_HANDED_OVER_BUILD"
)

// buildIdentity names the source a build of wfcompat was made from: its
// module version, and the VCS revision (with "+dirty" for uncommitted
// changes) when the toolchain stamped one. Two builds of one release, or
// of one checkout, lean or complete, have the same.
func buildIdentity(i buildinfo.Info) string {
	switch {
	case i.Revision == "":
		return i.Version
	case i.Modified:
		return fmt.Sprintf("%s rev %s+dirty", i.Version, i.Revision)
	}
	return fmt.Sprintf("%s rev %s", i.Version, i.Revision)
}

// mismatchedHandOver is the error of a complete build (own reads its
// build information, only for a run handed over) started by a lean front
// of another build, nil for none.
func mismatchedHandOver(io *IO, own func() buildinfo.Info) error {
	by, front := io.getenv(handedOverEnv), io.getenv(handedOverBuildEnv)
	if by == "" || front == "" {
		return nil
	}
	if front == buildIdentity(own()) {
		return nil
	}
	return inputError(fmt.Errorf("%s is build %s, but the wfcompat that handed this run to it, %s, is build %s: "+
		"another release's checks and verdicts would pass as this one's; install the %s of the same release beside it (%s may name it)",
		fullName, buildIdentity(own()), by, front, fullName, fullEnv))
}
