//go:build !lean

package cli

import (
	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/evidence"
)

// logProver returns what runs diff's event logs: the bundled runner, with
// the host flags as `wfcompat replay` takes them, and --strict.
func logProver(opts *DiffOptions) (wfcompat.Prover, error) {
	ro, err := hostOptions(opts.IO, &opts.Run)
	if err != nil {
		return nil, inputError(err)
	}
	return evidence.Prover{Options: evidence.Options{Runner: ro, Strict: opts.Strict}}, nil
}
