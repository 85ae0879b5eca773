package assertformat

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// renderText writes the report for people: a verdict per input or log,
// the notes, and a summary line.
func renderText(b *bytes.Buffer, r *report) {
	if r.command == "input" {
		writeInputText(b, r)
		return
	}
	writeLogText(b, r)
}

// call renders a function with its arguments: "api#f1(1000)"; a Vercel
// workflow id with its JSON input.
func call(fn, args string) string {
	if strings.HasPrefix(args, "(") {
		return fn + args
	}
	if args == "" {
		return fn
	}
	return fn + " " + args
}

func writeInputText(w *bytes.Buffer, r *report) {
	for _, in := range r.inputs {
		if in.OK {
			fmt.Fprintf(w, "ok    %s  %s\n", clean(in.Source), clean(call(in.Function, in.Args)))
			if in.TypedBy != compat.TypedByNone {
				fmt.Fprintf(w, "      → %s\n", clean(call(in.Target, in.Converted)))
			}
			for _, c := range in.Conversions {
				fmt.Fprintf(w, "      conversion: %s\n", clean(c))
			}
			continue
		}
		fmt.Fprintf(w, "FAIL  %s  %s\n      %s: %s\n", clean(in.Source), clean(call(in.Function, in.Args)), in.Reason, clean(in.Message))
	}
	for _, n := range r.notes {
		fmt.Fprintf(w, "note: %s\n", clean(n))
	}
	fmt.Fprintln(w, r.summaryLine())
}

func writeLogText(w *bytes.Buffer, r *report) {
	notes := map[string]int{}
	var order []string
	for _, l := range r.logs {
		switch {
		case l.Status != "":
			writeRunText(w, l)
		case l.OK:
			fmt.Fprintf(w, "ok    %s  (%d %s)\n", clean(l.Log), l.Events, plural(l.Events, "event", "events"))
		default:
			fmt.Fprintf(w, "FAIL  %s:%d  %s: %s\n", clean(l.Log), l.Line, l.Reason, clean(l.Message))
		}
		for _, n := range l.Notes {
			if notes[n] == 0 {
				order = append(order, n)
			}
			notes[n]++
		}
	}
	for _, n := range order {
		if len(r.logs) > 1 {
			fmt.Fprintf(w, "note: %s (%d of %d logs)\n", clean(n), notes[n], len(r.logs))
		} else {
			fmt.Fprintf(w, "note: %s\n", clean(n))
		}
	}
	fmt.Fprintf(w, "summary: %s\n", r.summaryLine())
}

// writeRunText renders a Vercel run's verdict: its status, then every
// problem with the recorded and expected calls where they matter.
func writeRunText(w *bytes.Buffer, l *compat.LogResult) {
	switch {
	case l.OK && l.Status == compat.StatusFinished && len(l.Problems) > 0:
		fmt.Fprintf(w, "ok    %s  finished, not replayed (%d %s would fail a replay)\n", clean(l.Log), len(l.Problems), plural(len(l.Problems), "problem", "problems"))
	case l.OK:
		fmt.Fprintf(w, "ok    %s  %s (%d %s)\n", clean(l.Log), l.Status, l.Events, plural(l.Events, "event", "events"))
		return
	default:
		fmt.Fprintf(w, "FAIL  %s  %s, %d %s\n", clean(l.Log), l.Status, len(l.Problems), plural(len(l.Problems), "problem", "problems"))
	}
	for _, p := range l.Problems {
		where := fmt.Sprintf("line %d", p.Line)
		if p.File != "" {
			where = fmt.Sprintf("%s:%d", clean(p.File), p.Line)
		}
		fmt.Fprintf(w, "      %s: %s (%s)\n", p.Reason, clean(p.Message), where)
		if len(p.Recorded) > 0 || len(p.Expected) > 0 {
			fmt.Fprintf(w, "        recorded: %s\n", clean(strings.Join(p.Recorded, " -> ")))
			fmt.Fprintf(w, "        new:      %s\n", clean(strings.Join(p.Expected, " -> ")))
		}
	}
}
