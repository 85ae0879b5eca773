package assertformat

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// SARIF constants.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolName     = "wfcompat"
	toolURI      = "https://github.com/wfcompat/wfcompat"
	// reasonsDocURL is the table of reasons in docs/eventlog.md.
	reasonsDocURL = toolURI + "/blob/main/docs/eventlog.md#reasons"
	// fingerprintKey names the partial fingerprint: a hash of reason,
	// subject and file, stable while the same log keeps failing the same way.
	fingerprintKey = "wfcompatAssert/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	Invocations       []sarifInvocation `json:"invocations"`
	AutomationDetails sarifAutomation   `json:"automationDetails"`
	Artifacts         []sarifArtifact   `json:"artifacts,omitempty"`
	Results           []sarifResult     `json:"results"`
	Properties        sarifRunProps     `json:"properties"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifMessage      `json:"shortDescription"`
	FullDescription      sarifMessage      `json:"fullDescription"`
	Help                 sarifHelp         `json:"help"`
	HelpURI              string            `json:"helpUri"`
	DefaultConfiguration sarifRuleDefaults `json:"defaultConfiguration"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRuleDefaults struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
	Hashes   map[string]string     `json:"hashes,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
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
	driver := sarifDriver{Name: toolName, InformationURI: toolURI, Rules: []sarifRule{}}
	driver.Version, driver.SemanticVersion = sarifVersions(opts.version())
	index := map[string]int{}
	results := []sarifResult{}
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
		loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: pathURI(file)},
			Region:           sarifRegion{StartLine: line},
		}}
		if e.subject != "" {
			loc.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: clean(e.subject)}}
		}
		results = append(results, sarifResult{
			RuleID:              e.reason,
			RuleIndex:           i,
			Level:               string(e.level),
			Message:             sarifMessage{Text: msg},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{fingerprintKey: fingerprint(e.reason, e.subject, file)},
		})
	}
	run := sarifRun{
		Tool:              sarifTool{Driver: driver},
		Invocations:       []sarifInvocation{{ExecutionSuccessful: r.summary.Unreadable == 0}},
		AutomationDetails: sarifAutomation{ID: automationID(r)},
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
		art := sarifArtifact{Location: sarifArtifactLocation{URI: pathURI(a.Path)}}
		if a.SHA256 != "" {
			art.Hashes = map[string]string{"sha-256": a.SHA256}
		}
		run.Artifacts = append(run.Artifacts, art)
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifRuleFor describes a reason from compat.AssertReasons; one the
// catalog does not know (a newer producer) by its ID.
func sarifRuleFor(reason string) sarifRule {
	d, ok := compat.AssertReason(reason)
	if !ok {
		d = compat.ReasonDoc{ID: reason, Meaning: "An input or log does not carry over to the new build (" + reason + ").",
			Fix: "See docs/eventlog.md."}
	}
	return sarifRule{
		ID:               d.ID,
		Name:             ruleName(d.ID),
		ShortDescription: sarifMessage{Text: d.Meaning},
		FullDescription:  sarifMessage{Text: d.Meaning + " " + d.Fix},
		Help: sarifHelp{
			Text:     fmt.Sprintf("%s\n\nHow to fix: %s\n\nMore: %s\n", d.Meaning, d.Fix, reasonsDocURL),
			Markdown: fmt.Sprintf("%s\n\n**How to fix:** %s\n\n[docs/eventlog.md](%s)\n", d.Meaning, d.Fix, reasonsDocURL),
		},
		HelpURI:              reasonsDocURL,
		DefaultConfiguration: sarifRuleDefaults{Level: "error"},
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

func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
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

// sarifVersions returns the driver's version and semantic version: SARIF
// wants versions that start with a number ("v0.4.0" gives "0.4.0").
func sarifVersions(v string) (version, semantic string) {
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v[1:], v[1:]
	}
	return v, ""
}

// pathURI turns a file path into a SARIF URI: a relative reference with
// forward slashes and percent-escapes for relative paths, a file: URI for
// absolute ones.
func pathURI(p string) string {
	if p == "" {
		return "unknown"
	}
	p = filepath.ToSlash(p)
	if strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
