package assertformat

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// The layout follows the Ant JUnit schema, which Jenkins, GitLab and most
// CI test widgets read: a test case holds at most one of error, failure or
// skipped and no output of its own; the suite carries properties,
// system-out and system-err, always present.
type junitSuite struct {
	XMLName    xml.Name        `xml:"testsuite"`
	Name       string          `xml:"name,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties junitProperties `xml:"properties"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  junitText       `xml:"system-out"`
	SystemErr  junitText       `xml:"system-err"`
}

type junitProperties struct {
	Property []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Error     *junitOutcome `xml:"error,omitempty"`
	Failure   *junitOutcome `xml:"failure,omitempty"`
}

type junitOutcome struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitText struct {
	Text string `xml:",chardata"`
}

// junitClass is the class name of the test cases: "wfcompat.assert.",
// the command and the artifact pair, so that reports of several builds
// merged into one test report keep their cases apart.
func junitClass(r *report) string {
	part := func(p string) string {
		if p == "" {
			return "none"
		}
		return strings.Map(func(c rune) rune {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
				return c
			}
			return '_'
		}, p)
	}
	old := ""
	if r.old != nil {
		old = r.old.Path
	}
	return fmt.Sprintf("%s.assert.%s.%s_to_%s", toolName, part(r.command), part(old), part(r.against.Path))
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
	suite := junitSuite{
		Name:      class,
		Timestamp: opts.now().UTC().Format("2006-01-02T15:04:05"),
		Hostname:  clean(host),
		Time:      fmt.Sprintf("%.3f", opts.Elapsed.Seconds()),
	}
	props := []junitProperty{
		{"schema", compat.AssertSchema}, {"command", r.command},
		{"new", r.against.Path}, {"new.sha256", r.against.SHA256},
	}
	if r.old != nil {
		props = append(props, junitProperty{"old", r.old.Path}, junitProperty{"old.sha256", r.old.SHA256})
	}
	props = append(props, junitProperty{"outcome", r.outcome()}, junitProperty{"tool.version", opts.version()})
	for _, p := range props {
		if p.Value != "" {
			p.Value = clean(p.Value)
			suite.Properties.Property = append(suite.Properties.Property, p)
		}
	}
	var out bytes.Buffer
	add := func(name string, c junitCase) {
		c.Classname, c.Name, c.Time = class, clean(name), "0"
		suite.Cases = append(suite.Cases, c)
		suite.Tests++
	}
	failure := func(reason, msg, detail string) *junitOutcome {
		suite.Failures++
		return &junitOutcome{Message: clean(reason + ": " + msg), Type: reason, Text: detail}
	}
	for _, in := range r.inputs {
		c := junitCase{}
		if !in.OK {
			c.Failure = failure(in.Reason, in.Message, clean(call(in.Function, in.Args))+"\n")
		}
		add(in.Source+" "+call(in.Function, in.Args), c)
	}
	for _, l := range r.logs {
		c := junitCase{}
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
		add(file, junitCase{Error: &junitOutcome{Message: clean(e), Type: compat.ReasonUnreadable}})
	}
	for _, n := range r.notes {
		fmt.Fprintf(&out, "note: %s\n", clean(n))
	}
	fmt.Fprintf(&out, "%s\n", r.summaryLine())
	suite.SystemOut.Text = out.String()
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(suite); err != nil {
		return err
	}
	b.WriteString("\n")
	return nil
}
