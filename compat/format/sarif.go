package format

import (
	"bytes"
	"encoding/json"
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
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool       `json:"tool"`
	Artifacts  []sarifArtifact `json:"artifacts,omitempty"`
	Results    []sarifResult   `json:"results"`
	Properties *sarifRunProps  `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
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
	RuleID     string            `json:"ruleId"`
	RuleIndex  int               `json:"ruleIndex"`
	Level      string            `json:"level"`
	Message    sarifMessage      `json:"message"`
	Locations  []sarifLocation   `json:"locations"`
	Properties *sarifResultProps `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
}

// sarifResultProps is a result's property bag: the modes it affects.
type sarifResultProps struct {
	Modes []compat.Mode `json:"modes"`
}

// sarifRunProps is the run's property bag: the report schema and the
// verdict of every mode, so a SARIF consumer loses nothing essential.
type sarifRunProps struct {
	ReportSchema string                         `json:"reportSchema"`
	Verdicts     map[compat.Mode]compat.Verdict `json:"verdicts"`
}

// sarifLevel maps a severity to a SARIF level; an unknown severity is a
// warning.
func sarifLevel(s compat.Severity) string {
	switch s {
	case compat.SeverityError:
		return "error"
	case compat.SeverityInfo:
		return "note"
	}
	return "warning"
}

func renderSARIF(b *bytes.Buffer, r *compat.Report, opts Options) error {
	newURI := pathURI(r.New.Path)
	driver := sarifDriver{Name: toolName, InformationURI: toolURI, Rules: []sarifRule{}}
	index := map[string]int{}
	results := make([]sarifResult, 0, len(r.Findings))
	for _, f := range r.Findings {
		i, ok := index[f.Rule]
		if !ok {
			i = len(driver.Rules)
			index[f.Rule] = i
			desc := strings.TrimSpace(f.Why)
			if desc == "" {
				desc = f.Rule
			}
			driver.Rules = append(driver.Rules, sarifRule{ID: f.Rule, ShortDescription: sarifMessage{Text: desc}})
		}
		msg := f.Message
		if msg == "" {
			msg = f.Rule
		}
		loc := sarifLocation{}
		if newURI != "" {
			loc.PhysicalLocation = &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: newURI}}
		}
		if f.Subject != "" {
			loc.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: f.Subject}}
		}
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: i,
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: msg},
			Locations: []sarifLocation{},
		}
		if loc.PhysicalLocation != nil || loc.LogicalLocations != nil {
			res.Locations = append(res.Locations, loc)
		}
		if len(f.Modes) > 0 {
			res.Properties = &sarifResultProps{Modes: f.Modes}
		}
		results = append(results, res)
	}

	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: results}
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
	props := &sarifRunProps{ReportSchema: r.Schema, Verdicts: map[compat.Mode]compat.Verdict{}}
	if props.ReportSchema == "" {
		props.ReportSchema = compat.ReportSchema
	}
	for _, v := range modeViews(r, opts) {
		props.Verdicts[v.mode] = v.res.Verdict
	}
	run.Properties = props

	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
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
