package sarif

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
)

// The log's $schema and version.
const (
	Schema  = "https://json.schemastore.org/sarif-2.1.0.json"
	Version = "2.1.0"
)

// Log is a SARIF log whose runs are of the renderer's run type R.
type Log[R any] struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []R    `json:"runs"`
}

// Tool is a run's tool.
type Tool struct {
	Driver Driver `json:"driver"`
}

// Driver is the tool's driver: name, versions, and the rules its results
// point at by index.
type Driver struct {
	Name            string `json:"name"`
	Version         string `json:"version,omitempty"`
	SemanticVersion string `json:"semanticVersion,omitempty"`
	InformationURI  string `json:"informationUri"`
	Rules           []Rule `json:"rules"`
}

// Rule describes a rule (reportingDescriptor).
type Rule struct {
	ID string `json:"id"`
	// Name is the friendly name, left out when nil (written when it points
	// at "").
	Name                 *string       `json:"name,omitempty"`
	ShortDescription     Message       `json:"shortDescription"`
	FullDescription      Message       `json:"fullDescription"`
	Help                 *Help         `json:"help,omitempty"`
	HelpURI              string        `json:"helpUri,omitempty"`
	DefaultConfiguration *RuleDefaults `json:"defaultConfiguration,omitempty"`
}

// Help is a rule's help, as text and Markdown.
type Help struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// RuleDefaults is a rule's default configuration.
type RuleDefaults struct {
	Level string `json:"level"`
}

// Message is a plain-text message.
type Message struct {
	Text string `json:"text"`
}

// Invocation is a run's invocation: whether it succeeded, and the tool
// configuration notifications (configuration warnings).
type Invocation struct {
	ExecutionSuccessful            bool           `json:"executionSuccessful"`
	ToolConfigurationNotifications []Notification `json:"toolConfigurationNotifications,omitempty"`
}

// Notification is a tool notification.
type Notification struct {
	Level   string  `json:"level"`
	Message Message `json:"message"`
}

// Automation is a run's automationDetails.
type Automation struct {
	ID string `json:"id"`
}

// Artifact is a file the run looked at, with its hashes.
type Artifact struct {
	Location ArtifactLocation  `json:"location"`
	Hashes   map[string]string `json:"hashes,omitempty"`
}

// ArtifactLocation is the URI of an artifact.
type ArtifactLocation struct {
	URI string `json:"uri"`
}

// Result is one result.
type Result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             Message           `json:"message"`
	Locations           []Location        `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []Suppression     `json:"suppressions,omitempty"`
	// Properties is the result's property bag, left out when nil.
	Properties any `json:"properties,omitempty"`
}

// Suppression is a result's suppression.
type Suppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// Location is a result's location, physical and logical.
type Location struct {
	PhysicalLocation *PhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []LogicalLocation `json:"logicalLocations,omitempty"`
}

// PhysicalLocation is a place in an artifact.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	// Region is the line: GitHub code scanning wants one for every
	// result.
	Region *Region `json:"region,omitempty"`
}

// Region is a line of an artifact.
type Region struct {
	StartLine int `json:"startLine"`
}

// LogicalLocation is the fully qualified name of what a result is about.
type LogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
}

// Optional is s for an optional field such as Rule.Name: nil (left out)
// when s is "".
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NewArtifact is the artifact at uri, with its SHA-256 digest (hex) when
// sha256 is not "".
func NewArtifact(uri, sha256 string) Artifact {
	a := Artifact{Location: ArtifactLocation{URI: uri}}
	if sha256 != "" {
		a.Hashes = map[string]string{"sha-256": sha256}
	}
	return a
}

// Versions returns a driver's version and semantic version for the tool
// version v: SARIF wants versions that start with a number, so "v0.4.0"
// becomes "0.4.0" (also the semantic version); any other ("(devel)")
// stays as it is, without a semantic version.
func Versions(v string) (version, semantic string) {
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v[1:], v[1:]
	}
	return v, ""
}

// Fingerprint is a partial fingerprint of parts: the first 16 bytes of
// the SHA-256 of the parts joined by NUL, in hex. The same parts give the
// same fingerprint in the next build, so code scanning keeps one alert.
func Fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

// Write writes a log of the one run to w as JSON indented by two spaces,
// without HTML escaping, with a final newline.
func Write[R any](w io.Writer, run R) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(Log[R]{Schema: Schema, Version: Version, Runs: []R{run}})
}
