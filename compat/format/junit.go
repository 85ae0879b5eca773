package format

import (
	"bytes"
	"encoding/xml"
	"fmt"

	"github.com/wfcompat/wfcompat/compat"
)

type junitSuite struct {
	XMLName    xml.Name        `xml:"testsuite"`
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitOutcome `xml:"failure,omitempty"`
	Skipped   *junitOutcome `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitOutcome struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

// junitText is element content as CDATA, so that multi-line text stays
// readable (chardata would escape every newline as &#xA;). The text is
// clean()ed, so it holds only characters XML allows.
type junitText struct {
	Text string `xml:",cdata"`
}

func sysout(s string) *junitText {
	if s == "" {
		return nil
	}
	return &junitText{Text: s}
}

// renderJUnit writes one <testsuite name="wfcompat"> with a test case per
// mode; see the package documentation for the mapping of verdicts.
func renderJUnit(b *bytes.Buffer, r *compat.Report, opts Options) error {
	suite := junitSuite{Name: toolName}
	schema := r.Schema
	if schema == "" {
		schema = compat.ReportSchema
	}
	for _, p := range []junitProperty{
		{"schema", schema},
		{"old", r.Old.Path}, {"old.sha256", r.Old.SHA256},
		{"new", r.New.Path}, {"new.sha256", r.New.SHA256},
		{"outcome", string(Evaluate(r, opts))},
	} {
		if p.Value != "" {
			suite.Properties = append(suite.Properties, p)
		}
	}
	for _, v := range modeViews(r, opts) {
		c := junitCase{Classname: toolName + ".mode", Name: string(v.mode)}
		var body bytes.Buffer
		writeModeBody(&body, 0, r, v, palette{})
		details := body.String()
		verdict := verdictWord(v.res.Verdict)
		switch {
		case v.fails:
			c.Failure = &junitOutcome{
				Message: fmt.Sprintf("%s upgrade is %s%s", v.mode, verdict, firstReason(v)),
				Type:    verdict,
				Text:    details,
			}
			suite.Failures++
		case v.res.Verdict == compat.NotApplicable:
			c.Skipped = &junitOutcome{Message: "n/a" + firstReason(v)}
			c.SystemOut = sysout(details)
			suite.Skipped++
		case !v.gating:
			c.Skipped = &junitOutcome{Message: "not gating: " + verdict + firstReason(v)}
			c.SystemOut = sysout(details)
			suite.Skipped++
		case v.res.Verdict == compat.Unproven:
			c.SystemOut = sysout("unproven (proof not required to pass)\n" + details)
		default:
			c.SystemOut = sysout(details)
		}
		suite.Cases = append(suite.Cases, c)
		suite.Tests++
	}
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
