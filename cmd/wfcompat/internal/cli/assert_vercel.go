package cli

import (
	"fmt"
	"io"
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

// writeRunText renders a Vercel run's verdict: its status, then every
// problem with the recorded and expected calls where they matter.
func writeRunText(w io.Writer, r *compat.LogResult) {
	status := r.Status
	switch {
	case r.OK && r.Status == compat.StatusFinished && len(r.Problems) > 0:
		fmt.Fprintf(w, "ok    %s  finished, not replayed (%d %s would fail a replay)\n", r.Log, len(r.Problems), plural(len(r.Problems), "problem", "problems"))
	case r.OK:
		fmt.Fprintf(w, "ok    %s  %s (%d %s)\n", r.Log, status, r.Events, plural(r.Events, "event", "events"))
		return
	default:
		fmt.Fprintf(w, "FAIL  %s  %s, %d %s\n", r.Log, status, len(r.Problems), plural(len(r.Problems), "problem", "problems"))
	}
	for _, p := range r.Problems {
		where := fmt.Sprintf("line %d", p.Line)
		if p.File != "" {
			where = fmt.Sprintf("%s:%d", p.File, p.Line)
		}
		fmt.Fprintf(w, "      %s: %s (%s)\n", p.Reason, p.Message, where)
		if len(p.Recorded) > 0 || len(p.Expected) > 0 {
			fmt.Fprintf(w, "        recorded: %s\n", strings.Join(p.Recorded, " -> "))
			fmt.Fprintf(w, "        new:      %s\n", strings.Join(p.Expected, " -> "))
		}
	}
}
