package format

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/sarif"
)

// SARIF constants.
const (
	toolName = "wfcompat"
	toolURI  = "https://github.com/wfcompat/wfcompat"
	// fingerprintKey names the partial fingerprint: a hash of rule and
	// subject, stable across builds while the finding stays the same.
	fingerprintKey = "wfcompatRuleSubject/v1"
)

// sarifLog is the SARIF log the diff renderer writes.
type sarifLog = sarif.Log[sarifRun]

// sarifRun is the diff renderer's run; its fields and their order are part
// of the output.
type sarifRun struct {
	Tool              sarif.Tool        `json:"tool"`
	AutomationDetails *sarif.Automation `json:"automationDetails,omitempty"`
	Artifacts         []sarif.Artifact  `json:"artifacts,omitempty"`
	// Invocations carry the configuration warnings (ignore entries that
	// expired or matched nothing) as tool configuration notifications.
	Invocations []sarif.Invocation `json:"invocations,omitempty"`
	Results     []sarif.Result     `json:"results"`
	Properties  *sarifRunProps     `json:"properties,omitempty"`
}

// sarifResultProps is a result's property bag: the finding's severity and
// the modes it affects, with their effect and whether they gate.
type sarifResultProps struct {
	Severity compat.Severity `json:"severity"`
	Modes    []compat.Mode   `json:"modes"`
	Effects  []sarifEffect   `json:"effects,omitempty"`
}

type sarifEffect struct {
	Mode    compat.Mode `json:"mode"`
	Verdict string      `json:"verdict"`
	Gating  bool        `json:"gating"`
}

// sarifRunProps is the run's property bag: the report schema, the gate
// and the verdict of every mode, so a SARIF consumer loses nothing
// essential.
type sarifRunProps struct {
	ReportSchema string                         `json:"reportSchema"`
	Outcome      Outcome                        `json:"outcome"`
	GatingModes  []compat.Mode                  `json:"gatingModes"`
	RequireProof bool                           `json:"requireProof"`
	Verdicts     map[compat.Mode]compat.Verdict `json:"verdicts"`
}

// sarifLevel maps a Level to a SARIF result level.
func sarifLevel(l Level) string {
	switch l {
	case LevelError:
		return "error"
	case LevelWarning:
		return "warning"
	}
	return "note"
}

// sarifDefaultLevel maps a rule's default severity to a SARIF level.
func sarifDefaultLevel(s compat.Severity) string {
	switch s {
	case compat.SeverityError:
		return "error"
	case compat.SeverityInfo:
		return "note"
	}
	return "warning"
}

// renderSARIF writes a SARIF 2.1.0 log for GitHub code scanning: one rule
// per rule ID seen (descriptions and help from the catalog, helpUri to
// docs/rules.md), one result per finding at the new artifact, levels that
// follow the gate (see Level), a partial fingerprint per rule and subject,
// and suppressed findings as results with an external suppression.
func renderSARIF(b *bytes.Buffer, r *compat.Report, opts Options) error {
	views := modeViews(r, opts)
	// Every result has this physical location (sarif.UnknownURI when the
	// report names no file): code scanning rejects a log with a result
	// that has none.
	loc := sarif.Location{PhysicalLocation: &sarif.PhysicalLocation{
		ArtifactLocation: sarif.ArtifactLocation{URI: sarif.PathURI(firstNonEmpty(r.New.Path, r.Old.Path))},
		Region:           &sarif.Region{StartLine: 1},
	}}
	driver := sarif.Driver{Name: toolName, InformationURI: toolURI, Rules: []sarif.Rule{}}
	driver.Version, driver.SemanticVersion = sarif.Versions(toolVersion(r))
	index := map[string]int{}
	result := func(f *compat.Finding) sarif.Result {
		i, ok := index[f.Rule]
		if !ok {
			i = len(driver.Rules)
			index[f.Rule] = i
			driver.Rules = append(driver.Rules, sarifRuleFor(opts, f))
		}
		msg := f.Message
		if f.Subject != "" {
			msg = f.Subject + ": " + msg
		}
		if strings.TrimSpace(msg) == "" {
			msg = f.Rule
		}
		if f.Fix != "" {
			msg += " Fix: " + f.Fix
		}
		props := &sarifResultProps{Severity: f.Severity, Modes: f.Modes}
		if props.Modes == nil {
			props.Modes = []compat.Mode{}
		}
		for _, e := range effects(f, views) {
			props.Effects = append(props.Effects, sarifEffect{e.mode, e.verdict, e.gating})
		}
		res := sarif.Result{
			RuleID:              f.Rule,
			RuleIndex:           i,
			Level:               sarifLevel(level(f, views)),
			Message:             sarif.Message{Text: oneLine(msg)},
			PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
			Properties:          props,
		}
		l := loc
		if f.Subject != "" {
			l.LogicalLocations = []sarif.LogicalLocation{{FullyQualifiedName: oneLine(f.Subject)}}
		}
		res.Locations = append(res.Locations, l)
		return res
	}
	results := make([]sarif.Result, 0, len(r.Findings)+len(r.Suppressed))
	for i := range r.Findings {
		results = append(results, result(&r.Findings[i]))
	}
	for i := range r.Suppressed {
		s := &r.Suppressed[i]
		res := result(&s.Finding)
		res.Suppressions = []sarif.Suppression{{Kind: "external", Justification: oneLine(s.Reason)}}
		results = append(results, res)
	}

	run := sarifRun{
		Tool:              sarif.Tool{Driver: driver},
		AutomationDetails: &sarif.Automation{ID: automationID(r)},
		Results:           results,
	}
	for _, a := range []compat.Artifact{r.Old, r.New} {
		if a.Path == "" {
			continue
		}
		run.Artifacts = append(run.Artifacts, sarif.NewArtifact(sarif.PathURI(a.Path), a.SHA256))
	}
	if len(r.Warnings) > 0 {
		inv := sarif.Invocation{ExecutionSuccessful: true}
		for _, w := range r.Warnings {
			inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications,
				sarif.Notification{Level: "warning", Message: sarif.Message{Text: oneLine(w)}})
		}
		run.Invocations = []sarif.Invocation{inv}
	}
	gate, proof := opts.gate(r)
	props := &sarifRunProps{
		ReportSchema: r.Schema,
		Outcome:      Evaluate(r, opts),
		GatingModes:  gatingModes(views, gate),
		RequireProof: proof,
		Verdicts:     map[compat.Mode]compat.Verdict{},
	}
	if props.ReportSchema == "" {
		props.ReportSchema = compat.ReportSchema
	}
	for _, v := range views {
		props.Verdicts[v.mode] = v.res.Verdict
	}
	run.Properties = props
	return sarif.Write(b, run)
}

// gatingModes lists the modes that gate: the configured ones, or every
// applicable mode when none is configured.
func gatingModes(views []modeView, gate []compat.Mode) []compat.Mode {
	out := []compat.Mode{}
	for _, v := range views {
		if v.gating || len(gate) > 0 && containsMode(gate, v.mode) {
			out = append(out, v.mode)
		}
	}
	return out
}

func containsMode(ms []compat.Mode, m compat.Mode) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// sarifRuleFor describes f's rule from the catalog; a rule the catalog
// does not know (a newer producer) is described by the finding.
func sarifRuleFor(opts Options, f *compat.Finding) sarif.Rule {
	rule, ok := lookupRule(opts, f.Rule)
	if !ok {
		why := firstNonEmpty(oneLine(f.Why), f.Rule)
		return sarif.Rule{
			ID: f.Rule, Name: sarif.Optional(ruleName(f.Rule)),
			ShortDescription: sarif.Message{Text: why},
			FullDescription:  sarif.Message{Text: why},
			Help:             &sarif.Help{Text: why + "\n\nwfcompat rules lists every rule: " + rulesDocURL + "\n"},
			HelpURI:          rulesDocURL,
		}
	}
	sr := sarif.Rule{
		ID:                   rule.ID,
		Name:                 sarif.Optional(ruleName(rule.ID)),
		ShortDescription:     sarif.Message{Text: firstNonEmpty(rule.Purpose, rule.ID)},
		FullDescription:      sarif.Message{Text: firstNonEmpty(strings.TrimSpace(rule.Purpose+" "+rule.Why), rule.ID)},
		HelpURI:              ruleHelpURI(rule.ID),
		DefaultConfiguration: &sarif.RuleDefaults{Level: sarifDefaultLevel(rule.Severity)},
	}
	var text, md strings.Builder
	fmt.Fprintf(&text, "%s\n\nWhy it matters: %s\nDefault severity: %s\nEffects: %s\n", rule.Purpose, rule.Why, rule.Severity, compat.EffectsText(rule.Effects))
	fmt.Fprintf(&md, "%s\n\n**Why it matters:** %s\n\n**Default severity:** %s · **Effects:** %s\n", rule.Purpose, rule.Why, rule.Severity, compat.EffectsText(rule.Effects))
	if rule.Fix != "" {
		fmt.Fprintf(&text, "Fix: %s\n", rule.Fix)
		fmt.Fprintf(&md, "\n**Fix:** `%s`\n", rule.Fix)
	}
	if rule.Example.Before != "" || rule.Example.After != "" {
		lang := "wit"
		if strings.HasPrefix(rule.Example.Before, "(") {
			lang = "wat"
		}
		fmt.Fprintf(&text, "\nBefore:\n%s\n\nAfter:\n%s\n", rule.Example.Before, rule.Example.After)
		fmt.Fprintf(&md, "\nBefore:\n\n```%s\n%s\n```\n\nAfter:\n\n```%s\n%s\n```\n", lang, rule.Example.Before, lang, rule.Example.After)
	}
	fmt.Fprintf(&text, "\nMore: %s\n", sr.HelpURI)
	fmt.Fprintf(&md, "\n[docs/rules.md](%s)\n", sr.HelpURI)
	sr.Help = &sarif.Help{Text: text.String(), Markdown: md.String()}
	return sr
}

// ruleName turns EXPORT_FUNCTION_REMOVED into ExportFunctionRemoved, the
// friendly rule name SARIF viewers show.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(strings.ToUpper(part[:1]) + strings.ToLower(part[1:]))
	}
	return b.String()
}

// fingerprint hashes rule and subject: the same finding in the next build
// gets the same fingerprint, so code scanning keeps one alert for it.
func fingerprint(f *compat.Finding) string {
	return sarif.Fingerprint(f.Rule, f.Subject)
}

// automationID is the run's automationDetails.id, "wfcompat/NEW/RUN":
// code scanning treats everything before the last slash as the analysis
// category, so each artifact gets its own category; the run part is the
// new build's digest (or "run").
func automationID(r *compat.Report) string {
	cat := strings.Map(func(c rune) rune {
		if c < 0x21 || c == 0x7f || c == '/' || c == '\\' {
			return '_'
		}
		return c
	}, firstNonEmpty(r.New.Path, "artifact"))
	run := "run"
	if r.New.SHA256 != "" {
		run = shortHash(r.New.SHA256)
	}
	return toolName + "/" + cat + "/" + run
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
