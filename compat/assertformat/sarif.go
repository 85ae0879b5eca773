package assertformat

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/sarif"
)

// SARIF constants.
const (
	toolName = "wfcompat"
	toolURI  = "https://github.com/wfcompat/wfcompat"
	// reasonsDocURL is the table of reasons in docs/eventlog.md.
	reasonsDocURL = toolURI + "/blob/main/docs/eventlog.md#reasons"
	// fingerprintKey names the partial fingerprint: a hash of reason,
	// subject and file, stable while the same log keeps failing the same way.
	fingerprintKey = "wfcompatAssert/v1"
)

// sarifLog is the SARIF log the assert renderer writes.
type sarifLog = sarif.Log[sarifRun]

// sarifRun is the assert renderer's run; its fields and their order are part
// of the output.
type sarifRun struct {
	Tool              sarif.Tool         `json:"tool"`
	Invocations       []sarif.Invocation `json:"invocations"`
	AutomationDetails *sarif.Automation  `json:"automationDetails"`
	Artifacts         []sarif.Artifact   `json:"artifacts,omitempty"`
	Results           []sarif.Result     `json:"results"`
	Properties        sarifRunProps      `json:"properties"`
}

// sarifRunProps keeps what a SARIF consumer would otherwise lose: the
// assert schema, the command, the outcome and the summary.
type sarifRunProps struct {
	AssertSchema string         `json:"assertSchema"`
	Command      string         `json:"command"`
	Outcome      string         `json:"outcome"`
	Summary      map[string]int `json:"summary"`
}

// renderSARIF writes a SARIF 2.1.0 log for GitHub code scanning: one rule
// per reason seen (meaning and fix from compat.AssertReasons, helpUri to
// the reasons table of docs/eventlog.md), one result per entry located at
// the log (or runs file) and line that recorded it — inputs given with
// --args at the new build, line 1 — and a partial fingerprint per reason,
// subject and file. Logs that could not be read are error results too
// (rule log-unreadable), and make the invocation unsuccessful.
func renderSARIF(b *bytes.Buffer, r *report, opts Options) error {
	driver := sarif.Driver{Name: toolName, InformationURI: toolURI, Rules: []sarif.Rule{}}
	driver.Version, driver.SemanticVersion = sarif.Versions(opts.version())
	index := map[string]int{}
	results := []sarif.Result{}
	for _, e := range r.entries() {
		i, ok := index[e.reason]
		if !ok {
			i = len(driver.Rules)
			index[e.reason] = i
			driver.Rules = append(driver.Rules, sarifRuleFor(e.reason))
		}
		file, line := e.file, e.line
		if file == "" {
			file, line = r.against.Path, 1
		}
		if line < 1 {
			line = 1
		}
		msg := clean(e.message)
		if msg == "" {
			msg = e.reason
		}
		if e.subject != "" && !strings.Contains(msg, e.subject) {
			msg = clean(e.subject) + ": " + msg
		}
		loc := sarif.Location{PhysicalLocation: &sarif.PhysicalLocation{
			ArtifactLocation: sarif.ArtifactLocation{URI: sarif.PathURI(file)},
			Region:           &sarif.Region{StartLine: line},
		}}
		if e.subject != "" {
			loc.LogicalLocations = []sarif.LogicalLocation{{FullyQualifiedName: clean(e.subject)}}
		}
		results = append(results, sarif.Result{
			RuleID:              e.reason,
			RuleIndex:           i,
			Level:               string(e.level),
			Message:             sarif.Message{Text: msg},
			Locations:           []sarif.Location{loc},
			PartialFingerprints: map[string]string{fingerprintKey: sarif.Fingerprint(e.reason, e.subject, file)},
		})
	}
	run := sarifRun{
		Tool:              sarif.Tool{Driver: driver},
		Invocations:       []sarif.Invocation{{ExecutionSuccessful: r.summary.Unreadable == 0}},
		AutomationDetails: &sarif.Automation{ID: automationID(r)},
		Results:           results,
		Properties: sarifRunProps{
			AssertSchema: compat.AssertSchema,
			Command:      r.command,
			Outcome:      r.outcome(),
			Summary: map[string]int{"total": r.summary.Total, "ok": r.summary.OK, "failed": r.summary.Failed,
				"unreadable": r.summary.Unreadable},
		},
	}
	for _, a := range []*compat.Artifact{r.old, &r.against} {
		if a == nil || a.Path == "" {
			continue
		}
		run.Artifacts = append(run.Artifacts, sarif.NewArtifact(sarif.PathURI(a.Path), a.SHA256))
	}
	return sarif.Write(b, run)
}

// sarifRuleFor describes a reason from compat.AssertReasons; one the
// catalog does not know (a newer producer) by its ID.
func sarifRuleFor(reason string) sarif.Rule {
	d, ok := compat.AssertReason(reason)
	if !ok {
		d = compat.ReasonDoc{ID: reason, Meaning: "An input or log does not carry over to the new build (" + reason + ").",
			Fix: "See docs/eventlog.md."}
	}
	name := ruleName(d.ID)
	return sarif.Rule{
		ID:               d.ID,
		Name:             &name, // written even when empty
		ShortDescription: sarif.Message{Text: d.Meaning},
		FullDescription:  sarif.Message{Text: d.Meaning + " " + d.Fix},
		Help: &sarif.Help{
			Text:     fmt.Sprintf("%s\n\nHow to fix: %s\n\nMore: %s\n", d.Meaning, d.Fix, reasonsDocURL),
			Markdown: fmt.Sprintf("%s\n\n**How to fix:** %s\n\n[docs/eventlog.md](%s)\n", d.Meaning, d.Fix, reasonsDocURL),
		},
		HelpURI:              reasonsDocURL,
		DefaultConfiguration: &sarif.RuleDefaults{Level: "error"},
	}
}

// ruleName turns export-missing into ExportMissing.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// automationID is "wfcompat-assert/COMMAND/NEW/RUN": code scanning takes
// everything before the last slash as the analysis category, so each
// command and new build get their own; the run part is the new build's
// digest (or "run").
func automationID(r *report) string {
	cat := strings.Map(func(c rune) rune {
		if c < 0x21 || c == 0x7f || c == '/' || c == '\\' {
			return '_'
		}
		return c
	}, r.against.Path)
	if cat == "" {
		cat = "artifact"
	}
	run := "run"
	if len(r.against.SHA256) >= 12 {
		run = r.against.SHA256[:12]
	}
	return toolName + "-assert/" + r.command + "/" + cat + "/" + run
}
