package assertformat

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/compat"
)

// FuzzWrite renders reports whose names and messages come from the fuzzer
// (recorded names and messages are attacker-controlled): every format
// renders, SARIF and JSON stay JSON, JUnit stays XML, and no GitHub line
// other than the annotations starts a workflow command.
func FuzzWrite(f *testing.F) {
	f.Add("logs/b.jsonl", "golem:component/api#f9", "the new build does not export f9", "x.jsonl:3: bad", 4)
	f.Add("x\n::error::y", "f\r\n::warning::", "100% <b>|`", "::set-output name=x::1", 0)
	f.Add("runs.jsonl:7", "\x1b[31m\u202e", "\xff\xfe", "a:b:c: d", -1)
	f.Fuzz(func(t *testing.T, log, fn, msg, errLine string, line int) {
		s := wfcompat.AssertSummary{ByReason: map[string]int{}}
		s.Add(false, compat.ReasonExportMissing)
		s.Add(true, "")
		s.Total++
		s.Unreadable++
		docs := []any{
			&wfcompat.LogReport{Schema: compat.AssertSchema, Command: "event-log", Against: compat.Artifact{Path: log},
				Logs:   []*compat.LogResult{{Log: log, Line: line, Function: fn, Reason: compat.ReasonExportMissing, Message: msg}, {Log: fn, OK: true, Notes: []string{msg}}},
				Errors: []string{errLine}, Summary: s},
			&wfcompat.InputReport{Schema: compat.AssertSchema, Command: "input", Against: compat.Artifact{Path: fn},
				Inputs: []compat.InputResult{{Source: log, Function: fn, Args: msg, Reason: compat.ReasonArgsInvalid, Message: msg}}, Notes: []string{errLine}, Summary: s},
		}
		for _, doc := range docs {
			for _, format := range Formats() {
				var b bytes.Buffer
				if err := Write(&b, format, doc, testOpts); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				switch format {
				case JSON, SARIF:
					if !json.Valid(b.Bytes()) {
						t.Fatalf("%s: invalid JSON", format)
					}
				case JUnit:
					var v struct{}
					if err := xml.Unmarshal(b.Bytes(), &v); err != nil {
						t.Fatalf("junit: %v", err)
					}
				case GitHub:
					for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
						if strings.ContainsRune(l, '\r') || strings.HasPrefix(l, "::") && !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::notice ") {
							t.Fatalf("github: forged line %q", l)
						}
					}
				}
			}
		}
	})
}
