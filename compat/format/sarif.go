package format

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/wfcompat/wfcompat/compat"
)

// SARIF constants.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolName     = "wfcompat"
	toolURI      = "https://github.com/wfcompat/wfcompat"
	// fingerprintKey names the partial fingerprint: a hash of rule and
	// subject, stable across builds while the finding stays the same.
	fingerprintKey = "wfcompatRuleSubject/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool        `json:"tool"`
	AutomationDetails *sarifAutomation `json:"automationDetails,omitempty"`
	Artifacts         []sarifArtifact  `json:"artifacts,omitempty"`
	// Invocations carry the configuration warnings (ignore entries that
	// expired or matched nothing) as tool configuration notifications.
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
	Properties  *sarifRunProps    `json:"properties,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful            bool                `json:"executionSuccessful"`
	ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifAutomation struct {
	ID string `json:"id"`
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
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	FullDescription      sarifMessage       `json:"fullDescription"`
	Help                 *sarifHelp         `json:"help,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifRuleDefaults `json:"defaultConfiguration,omitempty"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleDefaults struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
	Hashes   map[string]string     `json:"hashes,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifResultProps  `json:"properties,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	// Region is line 1 of the artifact: GitHub code scanning wants a
	// line for every result, and a binary has no better one.
	Region *sarifRegion `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
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

// sarifVersions returns the driver's version and semantic version: SARIF
// wants versions that start with a number, so "v0.4.0" becomes "0.4.0"
// (also the semantic version); "(devel)" stays as it is.
func sarifVersions(v string) (version, semantic string) {
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v[1:], v[1:]
	}
	return v, ""
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
	loc := sarifLocation{}
	if uri := pathURI(firstNonEmpty(r.New.Path, r.Old.Path)); uri != "" {
		loc.PhysicalLocation = &sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: uri},
			Region:           &sarifRegion{StartLine: 1},
		}
	}
	driver := sarifDriver{Name: toolName, InformationURI: toolURI, Rules: []sarifRule{}}
	driver.Version, driver.SemanticVersion = sarifVersions(toolVersion(r))
	index := map[string]int{}
	result := func(f *compat.Finding) sarifResult {
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
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           i,
			Level:               sarifLevel(level(f, views)),
			Message:             sarifMessage{Text: oneLine(msg)},
			Locations:           []sarifLocation{},
			PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
			Properties:          &sarifResultProps{Severity: f.Severity, Modes: f.Modes},
		}
		if res.Properties.Modes == nil {
			res.Properties.Modes = []compat.Mode{}
		}
		for _, e := range effects(f, views) {
			res.Properties.Effects = append(res.Properties.Effects, sarifEffect{e.mode, e.verdict, e.gating})
		}
		l := loc
		if f.Subject != "" {
			l.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: oneLine(f.Subject)}}
		}
		if l.PhysicalLocation != nil || l.LogicalLocations != nil {
			res.Locations = append(res.Locations, l)
		}
		return res
	}
	results := make([]sarifResult, 0, len(r.Findings)+len(r.Suppressed))
	for i := range r.Findings {
		results = append(results, result(&r.Findings[i]))
	}
	for i := range r.Suppressed {
		s := &r.Suppressed[i]
		res := result(&s.Finding)
		res.Suppressions = []sarifSuppression{{Kind: "external", Justification: oneLine(s.Reason)}}
		results = append(results, res)
	}

	run := sarifRun{
		Tool:              sarifTool{Driver: driver},
		AutomationDetails: &sarifAutomation{ID: automationID(r)},
		Results:           results,
	}
	for _, a := range []compat.Artifact{r.Old, r.New} {
		if a.Path == "" {
			continue
		}
		art := sarifArtifact{Location: sarifArtifactLocation{URI: pathURI(a.Path)}}
		if a.SHA256 != "" {
			art.Hashes = map[string]string{"sha-256": a.SHA256}
		}
		run.Artifacts = append(run.Artifacts, art)
	}
	if len(r.Warnings) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, w := range r.Warnings {
			inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications,
				sarifNotification{Level: "warning", Message: sarifMessage{Text: oneLine(w)}})
		}
		run.Invocations = []sarifInvocation{inv}
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

	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
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
func sarifRuleFor(opts Options, f *compat.Finding) sarifRule {
	rule, ok := lookupRule(opts, f.Rule)
	if !ok {
		why := firstNonEmpty(oneLine(f.Why), f.Rule)
		return sarifRule{
			ID: f.Rule, Name: ruleName(f.Rule),
			ShortDescription: sarifMessage{Text: why},
			FullDescription:  sarifMessage{Text: why},
			Help:             &sarifHelp{Text: why + "\n\nwfcompat rules lists every rule: " + rulesDocURL + "\n"},
			HelpURI:          rulesDocURL,
		}
	}
	sr := sarifRule{
		ID:                   rule.ID,
		Name:                 ruleName(rule.ID),
		ShortDescription:     sarifMessage{Text: firstNonEmpty(rule.Purpose, rule.ID)},
		FullDescription:      sarifMessage{Text: firstNonEmpty(strings.TrimSpace(rule.Purpose+" "+rule.Why), rule.ID)},
		HelpURI:              ruleHelpURI(rule.ID),
		DefaultConfiguration: &sarifRuleDefaults{Level: sarifDefaultLevel(rule.Severity)},
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
	sr.Help = &sarifHelp{Text: text.String(), Markdown: md.String()}
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
	h := sha256.Sum256([]byte(f.Rule + "\x00" + f.Subject))
	return hex.EncodeToString(h[:16])
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

// pathURI turns a file path into a SARIF URI: a relative reference with
// forward slashes and percent-escapes for relative paths, a file: URI for
// absolute ones.
func pathURI(p string) string {
	if p == "" {
		return ""
	}
	p = filepath.ToSlash(p)
	if strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	if vol := filepath.VolumeName(p); vol != "" { // C:/x on Windows
		return (&url.URL{Scheme: "file", Path: "/" + p}).String()
	}
	return (&url.URL{Path: p}).String()
}
