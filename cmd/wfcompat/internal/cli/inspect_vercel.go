package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat/vercel"
)

// inspectVercel handles `wfcompat inspect` of Vercel Workflow DevKit
// inputs: a build manifest, or recorded runs (event lists, the local
// world's store or its files, `wf inspect runs --json`). It reports false
// when the input is none of those.
func inspectVercel(opts *InspectOptions) (bool, error) {
	var doc *vercel.Inspection
	var b []byte
	if !vercel.IsRunsDir(opts.Path) {
		// Read as every input is read (regular files within the size
		// limit); what fails here analyze.Open reports as usual.
		var err error
		if b, err = analyze.ReadInput(opts.Path, opts.IO.MaxInputSize); err != nil {
			return false, nil
		}
	}
	switch {
	case b != nil && vercel.IsManifest(b):
		m, err := vercel.Parse(b, opts.Path)
		if err != nil {
			return true, inputError(err)
		}
		doc = vercel.InspectManifest(m, opts.Path)
	case b == nil || vercel.IsRuns(b):
		runs, errs := vercel.LoadRunsMax([]string{opts.Path}, opts.IO.MaxInputSize)
		if len(errs) > 0 {
			return true, inputError(errs[0])
		}
		doc = vercel.InspectRuns(runs, opts.Path)
	default:
		return false, nil
	}
	var out strings.Builder
	if opts.JSON {
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return true, err
		}
	} else {
		writeVercelInspection(&out, doc)
	}
	_, err := io.WriteString(opts.IO.Out, out.String())
	return true, err
}

func writeVercelInspection(w io.Writer, doc *vercel.Inspection) {
	fmt.Fprintf(w, "path  %s\nkind  %s\n", doc.Path, doc.Kind)
	if m := doc.Manifest; m != nil {
		if m.Version != "" {
			fmt.Fprintf(w, "manifest version  %s\n", m.Version)
		}
		fmt.Fprintf(w, "\nworkflows (%d)\n", len(m.Workflows))
		for _, wf := range m.Workflows {
			fmt.Fprintf(w, "  %s%s\n", wf.ID, where(wf.EntrySummary))
			switch {
			case wf.Calls == nil:
				fmt.Fprintf(w, "    (no graph)\n")
			case len(wf.Calls) == 0:
				fmt.Fprintf(w, "    calls: none\n")
			default:
				order := "in order"
				if !wf.Linear {
					order = "graph branches, runs in parallel or loops: node order"
				}
				fmt.Fprintf(w, "    calls (%s):\n", order)
				for i, c := range wf.Calls {
					fmt.Fprintf(w, "      %d. %s\n", i+1, c)
				}
			}
		}
		fmt.Fprintf(w, "\nsteps (%d)\n", len(m.Steps))
		for _, s := range m.Steps {
			fmt.Fprintf(w, "  %s%s\n", s.ID, where(s))
		}
		fmt.Fprintf(w, "\nclasses (%d)\n", len(m.Classes))
		for _, c := range m.Classes {
			fmt.Fprintf(w, "  %s%s\n", c.ID, where(c))
		}
	}
	for _, r := range doc.Runs {
		state := "in flight"
		if r.Finished {
			state = "finished"
		}
		fmt.Fprintf(w, "\nrun %s  %s (%s)\n  workflow  %s\n  source    %s\n", r.ID, r.Status, state, r.Workflow, r.Source)
		if r.Error != "" {
			fmt.Fprintf(w, "  error     %s\n", oneLine(r.Error))
		}
		fmt.Fprintf(w, "  calls     %s\n", strings.Join(r.Calls, " -> "))
		for _, e := range r.Events {
			line := "  " + e.Type
			if e.Step != "" {
				line += "  " + e.Step
			}
			if e.CreatedAt != "" {
				line += "  " + e.CreatedAt
			}
			fmt.Fprintln(w, line)
			if e.ArgsNotRecorded {
				fmt.Fprintf(w, "      input: %s\n", vercel.NotRecorded)
			}
			for _, v := range e.Values {
				fmt.Fprintf(w, "      %s: %s\n", v.Field, vercel.DisplayValue(v))
			}
			if e.Error != "" {
				fmt.Fprintf(w, "      error: %s\n", oneLine(e.Error))
			}
		}
	}
}

func where(e vercel.EntrySummary) string {
	s := ""
	if e.File != "" {
		s = fmt.Sprintf("  (export %s of %s)", e.Export, e.File)
	}
	if e.Builtin != "" {
		s += fmt.Sprintf("  [built in: %s; the id changes with the package version]", e.Builtin)
	}
	return s
}
