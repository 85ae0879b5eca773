package compat

// ReportSchema identifies the JSON layout of Report. Bump it on any
// incompatible change; document each version in README.md.
const ReportSchema = "wfcompat.report/v1"

// Mode is a way a long-running worker can be upgraded.
type Mode string

// The upgrade modes, in report order.
const (
	// ModeAPI: the new component can stand where the old one stood.
	ModeAPI Mode = "api"
	// ModeRestart: cancel-and-restart; a run re-executes from its recorded inputs.
	ModeRestart Mode = "restart"
	// ModeReplay: automatic update / cancel-and-resume; the event log is replayed.
	ModeReplay Mode = "replay"
	// ModeSnapshot: manual snapshot-based update (save-snapshot → load-snapshot).
	ModeSnapshot Mode = "snapshot"
	// ModeInFlight: outstanding calls survive the upgrade (callbacks by table slot).
	ModeInFlight Mode = "in-flight"
)

// AllModes returns every mode in report order.
func AllModes() []Mode {
	return []Mode{ModeAPI, ModeRestart, ModeReplay, ModeSnapshot, ModeInFlight}
}

// Verdict is a mode's outcome.
type Verdict string

// Verdicts, from best to worst for gating (n/a does not gate).
const (
	// NotApplicable: the mode does not apply to these artifacts.
	NotApplicable Verdict = "n/a"
	// Safe: proven safe by the checks that ran.
	Safe Verdict = "safe"
	// Unproven: nothing found against it, but static analysis cannot prove it.
	Unproven Verdict = "unproven"
	// Unsafe: a check found a reason the upgrade breaks.
	Unsafe Verdict = "unsafe"
)

func (v Verdict) rank() int {
	switch v {
	case Safe:
		return 1
	case Unproven:
		return 2
	case Unsafe:
		return 3
	}
	return 0
}

// Worse returns the worse of a and b (unsafe > unproven > safe > n/a).
func Worse(a, b Verdict) Verdict {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Severity is how much a finding matters.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Artifact identifies one side of a comparison.
type Artifact struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	SHA256 string `json:"sha256,omitempty"`
	// WITFeatures, for a WIT input read with only some @unstable features
	// enabled (--wit-features, wit_features:), lists them (empty: none);
	// nil when every feature was (the default) or the input is not WIT.
	WITFeatures *[]string `json:"witFeatures,omitempty"`
}

// Finding is one difference or observation, tied to a rule.
type Finding struct {
	// Rule is the stable rule ID (EXPORT_FUNCTION_REMOVED, ...).
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Modes are the modes this finding affects.
	Modes []Mode `json:"modes"`
	// Subject is the path of what the finding points at:
	// "golem:component/api#f1.param(speed-ms)", "core:table[0][56]".
	Subject string `json:"subject"`
	// Message says what was found, specifically.
	Message string `json:"message"`
	// Old and New render the declarations on each side in WIT ("" if absent).
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Why is one sentence on why it matters for an upgrade (from the rule).
	Why string `json:"why"`
	// Fix is the command that fixes the finding, where the tool can fix
	// it (the rule's Fix with the report's paths): "wfcompat pin new.wasm
	// --against old.wasm -o pinned.wasm".
	Fix string `json:"fix,omitempty"`
}

// Reason is why a mode got its verdict: a verdict contribution with its cause.
type Reason struct {
	Verdict Verdict `json:"verdict"`
	// Rule is the rule ID behind the reason, or "" for a mode-level reason.
	Rule    string `json:"rule,omitempty"`
	Subject string `json:"subject,omitempty"`
	Message string `json:"message"`
}

// ModeResult is one mode's verdict and the reasons for it. The verdict is
// the worst of the reasons' verdicts (Safe when there are none and the mode
// applies).
type ModeResult struct {
	Verdict Verdict  `json:"verdict"`
	Reasons []Reason `json:"reasons"`
}

// Report is the outcome of comparing two artifacts.
type Report struct {
	Schema   string               `json:"schema"`
	Old      Artifact             `json:"old"`
	New      Artifact             `json:"new"`
	Modes    map[Mode]*ModeResult `json:"modes"`
	Findings []Finding            `json:"findings"`
	// Gate is the deploy gate the report is judged by, when the producer
	// decided it (nil: the formatter's options, else every applicable mode).
	Gate *Gate `json:"gate,omitempty"`
	// Suppressed are findings the configuration ignored, with why. They
	// lower no verdict; formats count them (SARIF suppressions).
	Suppressed []Suppressed `json:"suppressed,omitempty"`
	// ToolVersion is the version of wfcompat that made the report.
	ToolVersion string `json:"toolVersion,omitempty"`
	// Config is the configuration file the report was made with, if any.
	Config string `json:"config,omitempty"`
	// Warnings are problems of the configuration the report was made
	// with: ignore entries that expired or matched no finding, WIT
	// features enabled that no feature gate names (the CLI's).
	Warnings []string `json:"warnings,omitempty"`
	// Identical: both sides are the same artifact (same sha256), so every
	// mode is safe without analysis (but for a core module's in-flight,
	// which the callback analysis may still leave unproven).
	Identical bool `json:"identical,omitempty"`
}

// Gate is the deploy gate: which modes decide it and its outcome.
type Gate struct {
	// Modes are the gating modes; empty means every applicable mode.
	Modes []Mode `json:"modes"`
	// Profile names the platform profile the gate came from (--platform,
	// platform:), or "default"; "" when the producer did not say.
	Profile string `json:"profile,omitempty"`
	// Any makes the gate pass when at least one applicable mode passes
	// (the "any" profile): the modes with the best verdict gate.
	Any bool `json:"any,omitempty"`
	// RequireProof makes an unproven gating mode fail the gate.
	RequireProof bool `json:"requireProof"`
	// Outcome is "pass", "unproven" (passes, some gating mode unproven)
	// or "fail"; "" when not yet evaluated (formats fill it in).
	Outcome string `json:"outcome,omitempty"`
}

// Suppressed is a finding that the configuration ignored.
type Suppressed struct {
	Finding
	// Reason says why it was ignored (the configuration entry's reason,
	// or which entry matched).
	Reason string `json:"reason,omitempty"`
	// Until is the date after which the matching entry stops applying
	// (YYYY-MM-DD), if it has one.
	Until string `json:"until,omitempty"`
}

// Add records a reason against mode m and lowers its verdict accordingly.
func (r *ModeResult) Add(reason Reason) {
	r.Reasons = append(r.Reasons, reason)
	r.Verdict = Worse(r.Verdict, reason.Verdict)
}
