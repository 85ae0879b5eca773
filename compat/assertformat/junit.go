package assertformat

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/junit"
)

// junitClass is the class name of the test cases: "wfcompat.assert.",
// the command and the artifact pair, so that reports of several builds
// merged into one test report keep their cases apart.
func junitClass(r *report) string {
	old := ""
	if r.old != nil {
		old = r.old.Path
	}
	return fmt.Sprintf("%s.assert.%s.%s_to_%s", toolName, junit.ClassPart(r.command), junit.ClassPart(old), junit.ClassPart(r.against.Path))
}

// renderJUnit writes one <testsuite> with a test case per input or log: a
// failure when it does not carry over, an error when it could not be
// read. Problems of finished Vercel runs go to the suite's output.
func renderJUnit(b *bytes.Buffer, r *report, opts Options) error {
	class := junitClass(r)
	host := opts.Hostname
	if strings.TrimSpace(host) == "" {
		host = "localhost"
	}
	suite := junit.Suite{
		Name:      class,
		Timestamp: opts.now().UTC().Format("2006-01-02T15:04:05"),
		Hostname:  clean(host),
		Time:      fmt.Sprintf("%.3f", opts.Elapsed.Seconds()),
	}
	props := []junit.Property{
		{Name: "schema", Value: compat.AssertSchema}, {Name: "command", Value: r.command},
		{Name: "new", Value: r.against.Path}, {Name: "new.sha256", Value: r.against.SHA256},
	}
	if r.old != nil {
		props = append(props, junit.Property{Name: "old", Value: r.old.Path}, junit.Property{Name: "old.sha256", Value: r.old.SHA256})
	}
	props = append(props, junit.Property{Name: "outcome", Value: r.outcome()}, junit.Property{Name: "tool.version", Value: opts.version()})
	for _, p := range props {
		if p.Value != "" {
			p.Value = clean(p.Value)
			suite.Properties.Property = append(suite.Properties.Property, p)
		}
	}
	var out bytes.Buffer
	add := func(name string, c junit.Case) {
		c.Classname, c.Name, c.Time = class, clean(name), "0"
		suite.Cases = append(suite.Cases, c)
		suite.Tests++
	}
	failure := func(reason, msg, detail string) *junit.Outcome {
		suite.Failures++
		return &junit.Outcome{Message: clean(reason + ": " + msg), Type: &reason, Text: detail}
	}
	for _, in := range r.inputs {
		c := junit.Case{}
		if !in.OK {
			c.Failure = failure(in.Reason, in.Message, clean(call(in.Function, in.Args))+"\n")
		}
		add(in.Source+" "+call(in.Function, in.Args), c)
	}
	for _, l := range r.logs {
		c := junit.Case{}
		var detail bytes.Buffer
		if l.Status != "" {
			writeRunText(&detail, l)
		}
		switch {
		case !l.OK && len(l.Problems) > 0:
			c.Failure = failure(l.Problems[0].Reason, l.Problems[0].Message, detail.String())
		case !l.OK:
			c.Failure = failure(l.Reason, fmt.Sprintf("line %d: %s", l.Line, l.Message), "")
		case len(l.Problems) > 0:
			out.Write(detail.Bytes()) // a finished run: not replayed
		}
		add(l.Log, c)
	}
	for _, e := range r.errors {
		file, _ := errorSource(e)
		suite.Errors++
		typ := compat.ReasonUnreadable
		add(file, junit.Case{Error: &junit.Outcome{Message: clean(e), Type: &typ}})
	}
	for _, n := range r.notes {
		fmt.Fprintf(&out, "note: %s\n", clean(n))
	}
	fmt.Fprintf(&out, "%s\n", r.summaryLine())
	suite.SystemOut.Text = out.String()
	return junit.Write(b, &suite)
}
