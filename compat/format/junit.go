package format

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// The layout follows the Ant JUnit schema (windyroad/JUnit-Schema), which
// Jenkins, GitLab and most CI test widgets read: a test case holds at most
// one of failure or skipped and no output of its own; the suite carries
// properties, system-out and system-err, always present.
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
	Failure   *junitOutcome `xml:"failure,omitempty"`
	Skipped   *junitOutcome `xml:"skipped,omitempty"`
}

type junitOutcome struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

// junitText is element content as CDATA, so that multi-line text stays
// readable (chardata would escape every newline as &#xA;). The text is
// made of oneLine()d and clean()ed strings, so it holds only characters
// XML allows.
type junitText struct {
	Text string `xml:",cdata"`
}

// junitClass is the class name of the test cases: "wfcompat." and the
// artifact pair, so that reports of several pairs merged into one test
// report keep their cases apart. Characters that test widgets read as
// package separators or that the schema's token type collapses become _.
func junitClass(r *compat.Report) string {
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
	return toolName + "." + part(r.Old.Path) + "_to_" + part(r.New.Path)
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
	suite := junitSuite{
		Name:      class,
		Timestamp: opts.now().UTC().Format("2006-01-02T15:04:05"),
		Hostname:  oneLine(host),
		Time:      fmt.Sprintf("%.3f", opts.Elapsed.Seconds()),
	}
	schema := r.Schema
	if schema == "" {
		schema = compat.ReportSchema
	}
	for _, p := range []junitProperty{
		{"schema", schema},
		{"old", r.Old.Path}, {"old.sha256", r.Old.SHA256},
		{"new", r.New.Path}, {"new.sha256", r.New.SHA256},
		{"outcome", string(Evaluate(r, opts))},
		{"tool.version", toolVersion(r)},
		{"suppressed", suppressedCount(r)},
	} {
		if p.Value != "" {
			p.Value = oneLine(p.Value)
			suite.Properties.Property = append(suite.Properties.Property, p)
		}
	}
	var out bytes.Buffer
	for _, v := range views {
		c := junitCase{Classname: class, Name: oneLine(string(v.mode)), Time: "0"}
		var body bytes.Buffer
		writeModeBody(&body, 0, r, v, views, palette{})
		details := body.String()
		verdict := verdictWord(v.res.Verdict)
		switch {
		case v.fails:
			c.Failure = &junitOutcome{
				Message: fmt.Sprintf("%s upgrade is %s%s", oneLine(string(v.mode)), oneLine(verdict), firstReason(v)),
				Type:    oneLine(verdict),
				Text:    details,
			}
			suite.Failures++
		case v.res.Verdict == compat.NotApplicable:
			c.Skipped = &junitOutcome{Message: "n/a" + firstReason(v), Text: details}
			suite.Skipped++
		case !v.gating:
			c.Skipped = &junitOutcome{Message: "not gating: " + oneLine(verdict) + firstReason(v), Text: details}
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
