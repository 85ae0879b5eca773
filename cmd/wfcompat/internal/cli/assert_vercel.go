package cli

import (
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/vercel"
)

// vercelLogs checks Vercel Workflow runs against a DevKit manifest: the
// LOG arguments are read together (vercel.LoadRuns), since a local world's
// run is many files and a runs list gives the statuses of runs in others.
// Unreadable paths are reported and do not hide the others' verdicts. old
// (--old) lets branching workflows whose graph did not change pass.
func vercelLogs(opts *AssertOptions, m, old *vercel.Manifest, rep *LogReport) {
	runs, errs := vercel.LoadRunsMax(opts.Logs, opts.IO.MaxInputSize)
	for _, err := range errs {
		msg := oneLine(err.Error())
		rep.Errors = append(rep.Errors, msg)
		rep.Summary.Total++
		rep.Summary.Unreadable++
		fmt.Fprintf(opts.IO.Err, "wfcompat: %s\n", msg)
	}
	for _, r := range runs {
		res := vercel.AssertRunAgainst(r, m, old)
		if len(runs) > 1 || res.Log != r.ID {
			res.Log = runLabel(r)
		}
		rep.Logs = append(rep.Logs, res)
		rep.Summary.Add(res.OK, res.Reason)
		if res.Status == compat.StatusFinished {
			rep.Summary.Finished++
		} else {
			rep.Summary.InFlight++
		}
	}
}

// runLabel names a run in the output: its source, and its id when the
// source holds several runs or is a folder.
func runLabel(r *vercel.Run) string {
	if strings.Contains(r.Source, r.ID) || strings.HasPrefix(r.ID, "(") {
		return r.Source
	}
	return r.Source + " (" + r.ID + ")"
}
