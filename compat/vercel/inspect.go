package vercel

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/wfcompat/wfcompat/internal/jsontext"
)

// InspectSchema identifies the layout of `wfcompat inspect --json` for
// DevKit inputs (docs/vercel.md).
const InspectSchema = "wfcompat.inspect-vercel/v1"

// Input kinds of an Inspection.
const (
	// KindRuns is recorded runs: event lists, a local world's store.
	KindRuns = "vercel-runs"
)

// Inspection is what `wfcompat inspect` shows of a DevKit manifest or of
// recorded runs.
type Inspection struct {
	Schema string `json:"schema"`
	Path   string `json:"path"`
	// Kind is Kind (a manifest) or KindRuns.
	Kind     string           `json:"kind"`
	Manifest *ManifestSummary `json:"manifest,omitempty"`
	Runs     []RunSummary     `json:"runs,omitempty"`
}

// ManifestSummary lists a manifest's workflows (with their calls in
// order), steps and classes.
type ManifestSummary struct {
	Version   string            `json:"version,omitempty"`
	Workflows []WorkflowSummary `json:"workflows"`
	Steps     []EntrySummary    `json:"steps"`
	Classes   []EntrySummary    `json:"classes"`
}

// WorkflowSummary is a workflow and the calls of its graph.
type WorkflowSummary struct {
	EntrySummary
	// Calls are the step ids, "sleep" and "hook", in graph order; absent
	// without a graph.
	Calls []string `json:"calls,omitempty"`
	// Linear says the order of Calls is the order of every run.
	Linear bool `json:"linear"`
}

// EntrySummary is one entry of a manifest.
type EntrySummary struct {
	ID     string `json:"id"`
	File   string `json:"file,omitempty"`
	Export string `json:"export,omitempty"`
	// Builtin names the package@version of a built-in step
	// (step//workflow@4.8.9//fetch), whose id changes with the package.
	Builtin string `json:"builtin,omitempty"`
}

// RunSummary is a recorded run.
type RunSummary struct {
	ID       string `json:"id"`
	Workflow string `json:"workflow"`
	Source   string `json:"source"`
	Status   string `json:"status"`
	Finished bool   `json:"finished"`
	Error    string `json:"error,omitempty"`
	// Calls are the calls the run recorded, in call order.
	Calls  []string       `json:"calls"`
	Events []EventSummary `json:"events"`
}

// EventSummary is one event with its values decoded.
type EventSummary struct {
	ID            string         `json:"id,omitempty"`
	Type          string         `json:"type"`
	CreatedAt     string         `json:"created_at,omitempty"`
	CorrelationID string         `json:"correlation_id,omitempty"`
	Step          string         `json:"step,omitempty"`
	Values        []ValueSummary `json:"values,omitempty"`
	// ArgsNotRecorded is set on run_created and step_created events whose
	// input `wf inspect` stripped (exported without --withData).
	ArgsNotRecorded bool   `json:"args_not_recorded,omitempty"`
	Error           string `json:"error,omitempty"`
}

// ValueSummary is a decoded value.
type ValueSummary struct {
	Field   string   `json:"field"`
	Format  string   `json:"format"`
	Value   any      `json:"value"`
	Classes []string `json:"classes,omitempty"`
	Steps   []string `json:"steps,omitempty"`
}

// IsRunsDir reports whether path is a folder of recorded runs: the local
// world's store (with events/ in it) or its events/ folder.
func IsRunsDir(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return false
	}
	if filepath.Base(filepath.Clean(path)) == "events" {
		return true
	}
	st, err := os.Stat(filepath.Join(path, "events"))
	return err == nil && st.IsDir()
}

// IsRuns reports whether b, a file's content, looks like recorded runs:
// an event list, one event, a run, step or wait record, or a
// `wf inspect runs/steps --json` list.
func IsRuns(b []byte) bool {
	// The first value only: the loader reports data after it, where it is.
	b = jsontext.FirstValue(b)
	if isEventList(b) {
		return true
	}
	if kind, _ := recordList(b); kind != "" {
		return true
	}
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(t, &probe) != nil {
		return false
	}
	_, ev := probe["eventType"]
	_, run := probe["runId"]
	_, step := probe["stepId"]
	_, wait := probe["waitId"]
	_, schema := probe["schema"]
	return !schema && (ev || run || step || wait)
}

// InspectManifest summarizes a manifest read from path.
func InspectManifest(m *Manifest, path string) *Inspection {
	s := &ManifestSummary{Version: m.Version, Workflows: []WorkflowSummary{}, Steps: []EntrySummary{}, Classes: []EntrySummary{}}
	for _, w := range m.Workflows {
		ws := WorkflowSummary{EntrySummary: entrySummary(w), Linear: w.Linear}
		if w.Calls != nil {
			ws.Calls = callStrings(w.Calls, func(c Call) Call { return c })
		}
		s.Workflows = append(s.Workflows, ws)
	}
	for _, e := range m.Steps {
		s.Steps = append(s.Steps, entrySummary(e))
	}
	for _, e := range m.Classes {
		s.Classes = append(s.Classes, entrySummary(e))
	}
	return &Inspection{Schema: InspectSchema, Path: path, Kind: Kind, Manifest: s}
}

func entrySummary(e *Entry) EntrySummary {
	s := EntrySummary{ID: e.ID, File: e.File, Export: e.Export}
	if pkg, _, ver, ok := builtinStep(e.ID); ok {
		s.Builtin = pkg + "@" + ver
	}
	return s
}

// InspectRuns summarizes recorded runs.
func InspectRuns(runs []*Run, path string) *Inspection {
	in := &Inspection{Schema: InspectSchema, Path: path, Kind: KindRuns, Runs: []RunSummary{}}
	for _, r := range runs {
		c := &runCheck{r: r}
		calls, _, _ := c.recordedCalls()
		rs := RunSummary{ID: r.ID, Workflow: r.Workflow, Source: r.Source, Status: r.Status, Finished: r.Finished(), Error: r.Error,
			Calls: callStrings(calls, func(x recorded) Call { return x.call }), Events: []EventSummary{}}
		for _, e := range r.Events {
			es := EventSummary{ID: e.EventID, Type: e.Type, CreatedAt: e.CreatedAt, CorrelationID: e.CorrelationID, Step: e.StepName, Error: e.Error}
			hasInput := false
			for _, v := range e.Values {
				if v.Field == "input" {
					hasInput = true
				}
				es.Values = append(es.Values, ValueSummary{Field: v.Field, Format: v.Format, Value: v.Value, Classes: v.Classes, Steps: v.Steps})
			}
			if (e.Type == "run_created" || e.Type == "step_created") && !hasInput {
				es.ArgsNotRecorded = true
			}
			rs.Events = append(rs.Events, es)
		}
		in.Runs = append(in.Runs, rs)
	}
	return in
}

// DisplayValue renders a decoded value as compact JSON for text output.
func DisplayValue(v ValueSummary) string {
	if v.Format == FormatEncrypted {
		return "(encrypted)"
	}
	return displayValue(&Payload{Format: v.Format, Value: v.Value})
}
