package source

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHelperStall: a helper that runs on without writing anything is
// killed after the front's stall timeout (shortened here) with an error
// saying so; one that keeps writing its output file is waited for, longer
// than the timeout in all, and its own error is reported.
func TestHelperStall(t *testing.T) {
	const stall = 2 * time.Second // writes come every 0.1 s: a 20× margin (10× failed once at load average 9)
	for _, c := range []struct {
		name, script, want string
	}{
		{"silent", "exec sleep 600\n", "without writing to"},
		// $7 is FILE in: fetch --protocol 1 --max-size N -o FILE -- REF
		{"writing", "i=0; while [ $i -lt 40 ]; do printf x >> \"$7.part\"; sleep 0.1; i=$((i+1)); done\n" +
			"echo 'wfcompat-oci: registry said no' >&2; exit 2\n", "registry said no"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := fakeHelper(t, c.script)
			out := filepath.Join(t.TempDir(), "layer")
			done := make(chan error, 1)
			go func() {
				_, err := (&helper{path: path, stall: stall}).FetchOCI(context.Background(),
					OCIRequest{Reference: "example.com/acme/app:v1", MaxSize: 1 << 20, Output: out})
				done <- err
			}()
			select {
			case err := <-done:
				t.Logf("%v", err)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("err = %v, want %q", err, c.want)
				}
			case <-time.After(time.Minute): // a hang, not a timing check
				t.Fatal("FetchOCI did not return")
			}
		})
	}
}
