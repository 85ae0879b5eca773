//go:build !lean

package cli

import (
	"testing"

	"github.com/wfcompat/wfcompat/runner"
)

// TestDefaultTimeout: the default of --timeout that diff's host flags show
// in every build (hostflags.go, which cannot name the runner) is the
// runner's.
func TestDefaultTimeout(t *testing.T) {
	if defaultTimeout != runner.DefaultTimeout {
		t.Errorf("defaultTimeout = %v, runner.DefaultTimeout = %v", defaultTimeout, runner.DefaultTimeout)
	}
}
