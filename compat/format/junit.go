package format

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/junit"
)

// junitClass is the class name of the test cases: "wfcompat." and the
// artifact pair, so that reports of several pairs merged into one test
// report keep their cases apart. Characters that test widgets read as
// package separators or that the schema's token type collapses become _.
func junitClass(r *compat.Report) string {
	return toolName + "." + junit.ClassPart(r.Old.Path) + "_to_" + junit.ClassPart(r.New.Path)
}

// renderJUnit writes one <testsuite> with a test case per mode; see the
// package documentation for the mapping of verdicts.
func renderJUnit(b *bytes.Buffer, r *compat.Report, opts Options) error {
	views := modeViews(r, opts)
	class := junitClass(r)
	host := opts.Hostname
	if host == "" {
		host, _ = os.Hostname()
		if strings.TrimSpace(host) == "" {
			host = "localhost"
		}
	}
	suite := junit.Suite{
		Name:      class,
		Timestamp: opts.now().UTC().Format("2006-01-02T15:04:05"),
		Hostname:  oneLine(host),
		Time:      fmt.Sprintf("%.3f", opts.Elapsed.Seconds()),
	}
	schema := r.Schema
	if schema == "" {
		schema = compat.ReportSchema
	}
	for _, p := range []junit.Property{
		{Name: "schema", Value: schema},
		{Name: "old", Value: r.Old.Path}, {Name: "old.sha256", Value: r.Old.SHA256},
		{Name: "new", Value: r.New.Path}, {Name: "new.sha256", Value: r.New.SHA256},
		{Name: "outcome", Value: string(Evaluate(r, opts))},
		{Name: "tool.version", Value: toolVersion(r)},
		{Name: "suppressed", Value: suppressedCount(r)},
	} {
		if p.Value != "" {
			p.Value = oneLine(p.Value)
			suite.Properties.Property = append(suite.Properties.Property, p)
		}
	}
	var out bytes.Buffer
	for _, v := range views {
		c := junit.Case{Classname: class, Name: oneLine(string(v.mode)), Time: "0"}
		var body bytes.Buffer
		writeModeBody(&body, 0, r, v, views, palette{})
		details := body.String()
		verdict := verdictWord(v.res.Verdict)
		switch {
		case v.fails:
			// The Ant schema requires a failure's type, even when a
			// forged verdict cleans to nothing.
			typ := oneLine(verdict)
			c.Failure = &junit.Outcome{
				Message: fmt.Sprintf("%s upgrade is %s%s", oneLine(string(v.mode)), typ, firstReason(v)),
				Type:    &typ,
				CDATA:   details,
			}
			suite.Failures++
		case v.res.Verdict == compat.NotApplicable:
			c.Skipped = &junit.Outcome{Message: "n/a" + firstReason(v), CDATA: details}
			suite.Skipped++
		case !v.gating:
			c.Skipped = &junit.Outcome{Message: "not gating: " + oneLine(verdict) + firstReason(v), CDATA: details}
			suite.Skipped++
		case v.res.Verdict == compat.Unproven:
			// The gate lets it through, so the case passes, but the note
			// is not lost: it goes to the suite's output.
			fmt.Fprintf(&out, "== %s: unproven (proof not required to pass)\n%s", oneLine(string(v.mode)), details)
		case details != "":
			fmt.Fprintf(&out, "== %s: %s\n%s", oneLine(string(v.mode)), oneLine(verdict), details)
		}
		suite.Cases = append(suite.Cases, c)
		suite.Tests++
	}
	// CDATA, so that multi-line text stays readable; it is made of
	// oneLine()d and clean()ed strings, so it holds only characters XML
	// allows.
	suite.SystemOut.CDATA = out.String()
	return junit.Write(b, &suite)
}

// firstReason is ": " and the first reason's message on one line, or "".
func firstReason(v modeView) string {
	for _, rs := range v.res.Reasons {
		if m := oneLine(rs.Message); m != "" {
			if len(v.res.Reasons) > 1 {
				m += fmt.Sprintf(" (+%d more)", len(v.res.Reasons)-1)
			}
			return ": " + m
		}
	}
	return ""
}

// suppressedCount is the number of suppressed findings as text, "" for none.
func suppressedCount(r *compat.Report) string {
	if len(r.Suppressed) == 0 {
		return ""
	}
	return fmt.Sprint(len(r.Suppressed))
}
