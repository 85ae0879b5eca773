//go:build !lean

package cli

import "github.com/wfcompat/wfcompat"

// logRuns returns the options diff's event logs run with: the host flags,
// as `wfcompat replay` takes them, and --strict.
func logRuns(opts *DiffOptions) (wfcompat.EvidenceOptions, error) {
	ro, err := hostOptions(opts.IO, &opts.Run)
	if err != nil {
		return wfcompat.EvidenceOptions{}, inputError(err)
	}
	return wfcompat.EvidenceOptions{Runner: ro, Strict: opts.Strict}, nil
}
