package junit

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// Suite is one <testsuite>: a test case holds at most one of error,
// failure or skipped and no output of its own; the suite carries
// properties, system-out and system-err, always present.
type Suite struct {
	XMLName    xml.Name   `xml:"testsuite"`
	Name       string     `xml:"name,attr"`
	Timestamp  string     `xml:"timestamp,attr"`
	Hostname   string     `xml:"hostname,attr"`
	Tests      int        `xml:"tests,attr"`
	Failures   int        `xml:"failures,attr"`
	Errors     int        `xml:"errors,attr"`
	Skipped    int        `xml:"skipped,attr"`
	Time       string     `xml:"time,attr"`
	Properties Properties `xml:"properties"`
	Cases      []Case     `xml:"testcase"`
	SystemOut  Text       `xml:"system-out"`
	SystemErr  Text       `xml:"system-err"`
}

// Properties is the suite's <properties> element.
type Properties struct {
	Property []Property `xml:"property"`
}

// Property is one name and value of the suite's properties.
type Property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// Case is one <testcase>: it passes unless one of Error, Failure or
// Skipped is set (at most one is).
type Case struct {
	Classname string   `xml:"classname,attr"`
	Name      string   `xml:"name,attr"`
	Time      string   `xml:"time,attr"`
	Error     *Outcome `xml:"error,omitempty"`
	Failure   *Outcome `xml:"failure,omitempty"`
	Skipped   *Outcome `xml:"skipped,omitempty"`
}

// Outcome is the <error>, <failure> or <skipped> of a test case: a
// message, a type and a text, given as Text or as CDATA (at most one is
// set).
type Outcome struct {
	Message string `xml:"message,attr"`
	// Type is the type attribute, left out when nil (skipped has none;
	// the schema requires one on error and failure, possibly empty).
	Type *string `xml:"type,attr"`
	Text string  `xml:",chardata"`
	// CDATA is the text as a CDATA section (see Text).
	CDATA string `xml:",cdata"`
}

// Text is element content, escaped character data (Text) or a CDATA
// section (CDATA), at most one of them set; an empty one writes nothing.
// CDATA keeps multi-line text readable (character data escapes every
// newline as &#xA;); it must hold only characters XML allows, and the
// writer splits any "]]>" in it.
type Text struct {
	Text  string `xml:",chardata"`
	CDATA string `xml:",cdata"`
}

// ClassPart makes p a part of a test case class name: "none" for "", and
// _ for every character other than an ASCII letter, digit, - or _, which
// test widgets would read as package separators or the schema's token
// type would collapse.
func ClassPart(p string) string {
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

// Write appends s to b as an XML document: the XML header, the suite
// indented by two spaces, and a final newline.
func Write(b *bytes.Buffer, s *Suite) error {
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	b.WriteString("\n")
	return nil
}
