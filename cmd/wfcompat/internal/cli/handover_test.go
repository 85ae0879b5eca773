package cli

import (
	"slices"
	"strings"
	"testing"
)

// runFixtures are the runner's fixtures (components and core modules).
const runFixtures = "../../../../runner/testdata/"

// handedOver reports whether this build hands a run with args over to
// wfcompat-full (a lean build's commands that run Wasm): its in-process
// tests cannot run those; the lean build's own tests run them through
// wfcompat-full.
func handedOver(args ...string) bool {
	if len(args) > 0 && args[0] == "diff" {
		return leanBuild && slices.ContainsFunc(args, func(a string) bool { return a == "--log" || strings.HasPrefix(a, "--log=") })
	}
	io, _, _ := Test()
	return handOverFor(io, newRootCmd(io, ""), args) != nil
}

// skipHandedOver skips a test of a run this build hands over.
func skipHandedOver(t *testing.T, args ...string) {
	t.Helper()
	if handedOver(args...) {
		t.Skipf("%s: a lean build hands it to wfcompat-full; the end-to-end tests run it there", strings.Join(args, " "))
	}
}
