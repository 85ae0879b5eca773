//go:build lean

package cli

import "github.com/wfcompat/wfcompat"

// logProver hands the whole diff to wfcompat-full: running event logs
// needs the runner, which a lean build does not link. It returns only
// when the hand-over fails, or, where a process cannot replace itself,
// with wfcompat-full's exit status (an error either way: the run is over).
func logProver(opts *DiffOptions) (wfcompat.Prover, error) {
	return nil, opts.IO.handOver("diff with event logs")
}
