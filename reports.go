package wfcompat

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/rewrite"
)

// The JSON documents of `wfcompat assert ... --json` (schema
// compat.AssertSchema) and `wfcompat pin --json` (PinSchema).

// AssertSummary counts the outcomes of an assertion run.
type AssertSummary struct {
	Total      int            `json:"total"`
	OK         int            `json:"ok"`
	Failed     int            `json:"failed"`
	Unreadable int            `json:"unreadable,omitempty"`
	ByReason   map[string]int `json:"by_reason"`
	// Finished and InFlight count Vercel Workflow runs by status: only
	// runs in flight are replayed, so only they can fail.
	Finished int `json:"finished,omitempty"`
	InFlight int `json:"in_flight,omitempty"`
}

// Add counts one outcome: ok, or failed for reason.
func (s *AssertSummary) Add(ok bool, reason string) {
	s.Total++
	if ok {
		s.OK++
		return
	}
	s.Failed++
	s.ByReason[reason]++
}

// ByReasonText renders the failures by reason, most frequent first:
// "export-missing: 2, step-missing: 1".
func (s *AssertSummary) ByReasonText() string {
	keys := make([]string, 0, len(s.ByReason))
	for k := range s.ByReason {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if s.ByReason[keys[i]] != s.ByReason[keys[j]] {
			return s.ByReason[keys[i]] > s.ByReason[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, s.ByReason[k]))
	}
	return strings.Join(parts, ", ")
}

// InputReport is the `assert input --json` document.
type InputReport struct {
	Schema  string               `json:"schema"`
	Command string               `json:"command"`
	Against compat.Artifact      `json:"against"`
	Old     *compat.Artifact     `json:"old,omitempty"`
	Inputs  []compat.InputResult `json:"inputs"`
	Notes   []string             `json:"notes,omitempty"`
	Summary AssertSummary        `json:"summary"`
}

// LogReport is the `assert event-log --json` document.
type LogReport struct {
	Schema  string              `json:"schema"`
	Command string              `json:"command"`
	Against compat.Artifact     `json:"against"`
	Old     *compat.Artifact    `json:"old,omitempty"`
	Logs    []*compat.LogResult `json:"logs"`
	// Errors are the logs that could not be read, one line each.
	Errors  []string      `json:"errors,omitempty"`
	Summary AssertSummary `json:"summary"`
}

// PinSchema identifies the layout of PinReport.
const PinSchema = "wfcompat.pin/v1"

// PinReport is the `pin --json` document.
type PinReport struct {
	Schema    string                `json:"schema"`
	Input     string                `json:"input"`
	Output    string                `json:"output"`
	Changed   bool                  `json:"changed"`
	Pins      []rewrite.Pinned      `json:"pins"`
	Relocated []rewrite.Relocated   `json:"relocated"`
	Tables    []rewrite.TableChange `json:"tables"`
	Wrapped   []string              `json:"wrapped"`
	Rewritten int                   `json:"rewritten_bodies"`
	Notes     []string              `json:"notes"`
	// Warnings are the dangers pinning leaves (a kept callback's changed
	// signature, heap-pointer and unclassified envs), with their rule.
	Warnings []rewrite.Warning `json:"warnings"`
	// DroppedManifest: the input's embedded wfcompat:manifest section was left
	// out of the output (it would no longer describe the rewritten binary).
	DroppedManifest bool          `json:"dropped_manifest,omitempty"`
	LockFile        string        `json:"lock_file,omitempty"`
	Lock            *rewrite.Lock `json:"lock"`
}

// NewPinReport is the PinReport of a pin of input to output; lockFile is
// where the lock was written, "" when it was not.
func NewPinReport(input, output string, res *rewrite.Result, lockFile string) *PinReport {
	return &PinReport{Schema: PinSchema, Input: input, Output: output, Changed: res.Changed(),
		Pins: nonNil(res.Pins), Relocated: nonNil(res.Relocated), Tables: nonNil(res.Tables),
		Wrapped: nonNil(res.Wrapped), Rewritten: res.Rewritten, Notes: nonNil(res.Notes), Warnings: nonNil(res.Warnings),
		DroppedManifest: res.DroppedManifest, LockFile: lockFile, Lock: res.Lock}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
