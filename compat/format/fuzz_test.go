package format

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
)

// FuzzRender renders a report whose names and messages are arbitrary
// bytes in every format and checks the escaping guarantees: line formats
// get no raw control character and no line a name started, JSON and SARIF
// stay valid JSON, JUnit well-formed XML.
func FuzzRender(f *testing.F) {
	f.Add("golem:component/api#f1", "function f1 was removed", "EXPORT_FUNCTION_REMOVED", "new.wasm")
	f.Add("x\nPASS: ok\n::error::forged\nwfcompat: api: safe", "a\r\nb\x1b[2Kc\u202e", "R\n", "p\nq")
	f.Add("]]>", "<![CDATA[", "&amp;", "%0A")
	f.Add("\xff\xfe", "\x00", "\t", "\u2028")
	f.Fuzz(func(t *testing.T, subject, message, rule, path string) {
		r := &compat.Report{
			Schema: compat.ReportSchema,
			Old:    compat.Artifact{Path: path, Kind: "core"},
			New:    compat.Artifact{Path: path + ".new", Kind: "core"},
			Modes: map[compat.Mode]*compat.ModeResult{
				compat.ModeAPI:       {Verdict: compat.Unsafe, Reasons: []compat.Reason{{Verdict: compat.Unsafe, Rule: rule, Subject: subject, Message: message}}},
				compat.Mode(subject): {Verdict: compat.Verdict(message)},
			},
			Findings: []compat.Finding{{Rule: rule, Severity: compat.SeverityError, Modes: []compat.Mode{compat.ModeAPI, compat.Mode(subject)},
				Subject: subject, Message: message, Why: message, Old: message, New: subject, Fix: message}},
			Warnings:   []string{message},
			Suppressed: []compat.Suppressed{{Finding: compat.Finding{Rule: rule, Subject: subject, Message: message}, Reason: message}},
		}
		for _, format := range Formats() {
			var b bytes.Buffer
			if err := Write(&b, format, r, Options{Verbose: true, Hostname: "h"}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out := b.String()
			switch format {
			case JSON, SARIF:
				if !json.Valid(b.Bytes()) {
					t.Fatalf("%s: invalid JSON", format)
				}
			case JUnit:
				dec := xml.NewDecoder(&b)
				dec.Strict = true
				for {
					_, err := dec.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatalf("junit not well-formed: %v\n%s", err, out)
					}
				}
			case Text, GitHub, Markdown:
				if strings.ContainsAny(out, "\r\x1b\u202e") {
					t.Fatalf("%s: raw control character:\n%q", format, out)
				}
				// api is unsafe, so the outcome is FAIL: a line starting
				// with PASS can only have been started by a name. (WIT
				// blocks keep their lines, indented or fenced.)
				for _, line := range strings.Split(out, "\n") {
					if strings.HasPrefix(line, "PASS") {
						t.Fatalf("%s: a name started the line %q", format, line)
					}
					if format == GitHub && line != "" && !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") &&
						!strings.HasPrefix(line, "::notice ") && !strings.HasPrefix(line, "wfcompat: ") {
						t.Fatalf("github: stray line %q", line)
					}
				}
			}
		}
	})
}
