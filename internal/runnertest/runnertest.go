// Package runnertest holds what the tests of the runner packages (runner,
// runner/replay, runner/upgrade) share: the compilation cache and the
// corpus components they run.
package runnertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/shared"
)

// Cache is a compilation cache shared by the runner tests, so that each
// corpus component compiles once per machine.
func Cache() string { return filepath.Join(os.TempDir(), "wfcompat-test-cache") }

// Open reads the corpus file rel (a path under ../shared/corpus), skipping
// the test when the corpus is absent.
func Open(t testing.TB, rel string) *analyze.Artifact {
	t.Helper()
	a, err := analyze.Open(shared.Corpus(t, rel), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
