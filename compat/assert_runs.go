package compat

// Reasons specific to Vercel Workflow runs (LogResult.Reason and
// LogProblem.Reason), beside ReasonWorkflowMissing and ReasonStepMissing.
const (
	// The run recorded calls (steps, sleeps, hooks) in an order the new
	// workflow does not make: replaying it fails.
	ReasonStepOrderDiverges = "step-order-diverges"
	// A recorded value refers to a serializable class the new build does
	// not have.
	ReasonClassMissing = "class-missing"
	// The run's recorded values were not exported (`wf inspect` without
	// --withData) or are encrypted, so what they refer to could not be
	// checked: unproven.
	ReasonValuesNotRecorded = "values-not-recorded"
	// The order of the run's calls in the new build is not known: the new
	// build has steps no graph shows (called without await), the run
	// recorded built-in steps no graph shows, the workflow's graph
	// branches (and --old does not show the same graph), the new manifest
	// has no graph for it, no event names the run's workflow, or a run in
	// flight is listed without its run_created (its input and first calls
	// unseen): unproven.
	ReasonOrderUnproven = "order-unproven"
)

// Run statuses (LogResult.Status) of platforms that keep finished runs'
// logs beside running ones (Vercel Workflow).
const (
	// StatusInFlight: the run has not ended; the new build replays it, so
	// its problems gate the deploy.
	StatusInFlight = "in-flight"
	// StatusFinished: the run ended (completed, failed or cancelled); it is
	// not replayed, so its problems are reported and never fail the check.
	StatusFinished = "finished"
)

// LogProblem is one problem found in a log, for checks that report every
// problem of a log rather than the first (Vercel Workflow runs).
type LogProblem struct {
	// Line is the 1-based line of the event in its file; Event its id when
	// the platform gives one.
	Line  int    `json:"line,omitempty"`
	File  string `json:"file,omitempty"`
	Event string `json:"event,omitempty"`
	// Subject is the workflow, step or class concerned.
	Subject string `json:"subject"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
	// Recorded and Expected are the run's recorded calls and the calls the
	// new workflow makes, in order, for step-order problems.
	Recorded []string `json:"recorded,omitempty"`
	Expected []string `json:"expected,omitempty"`
}
