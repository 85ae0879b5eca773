//go:build lean

package cli

import "github.com/wfcompat/wfcompat"

// logRuns hands the whole diff to wfcompat-full: running event logs needs
// the runner, which a lean build does not link. It returns only when the
// hand-over fails (or, where a process cannot replace itself, with
// wfcompat-full's exit status).
func logRuns(opts *DiffOptions) (wfcompat.EvidenceOptions, error) {
	return wfcompat.EvidenceOptions{}, opts.IO.handOver("diff with event logs")
}
