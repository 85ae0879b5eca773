package vercel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// AssertEvents checks a run's event list against the manifest of the new
// deployment: every workflow (run_created) and every step (step_* events,
// by stepName or through the correlationId of the step's step_created) the
// list references must exist in m. It reports the first event that does
// not, with its line. Argument shapes are not checked: the manifests have
// no types, which the result's notes say.
func AssertEvents(l *EventList, m *Manifest) *compat.LogResult {
	res := &compat.LogResult{Log: l.Name, TypedBy: compat.TypedByNone, Notes: []string{NoTypesNote}}
	steps := map[string]string{} // correlationId → stepName
	unnamed := 0
	for _, e := range l.Events {
		res.Events++
		var fail func()
		switch {
		case e.Type == "run_created" || (e.WorkflowName != "" && strings.HasPrefix(e.Type, "run_")):
			if m.Lookup(KindWorkflow, e.WorkflowName) == nil {
				fail = func() {
					res.Function, res.Reason = e.WorkflowName, compat.ReasonWorkflowMissing
					res.Message = fmt.Sprintf("event %d (%s) starts workflow %s, which the new manifest does not have%s",
						e.Index, e.Type, e.WorkflowName, similar(m.Workflows, e.WorkflowName))
				}
			}
		case strings.HasPrefix(e.Type, "step_"):
			name := e.StepName
			if name == "" {
				name = steps[e.CorrelationID]
			} else if e.CorrelationID != "" {
				steps[e.CorrelationID] = name
			}
			if name == "" {
				unnamed++
				break
			}
			if m.Lookup(KindStep, name) == nil {
				fail = func() {
					res.Function, res.Reason = name, compat.ReasonStepMissing
					res.Message = fmt.Sprintf("event %d (%s) references step %s, which the new manifest does not have%s",
						e.Index, e.Type, name, similar(m.Steps, name))
				}
			}
		}
		if fail != nil {
			res.Line = e.Line
			fail()
			return res
		}
	}
	if unnamed > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d step events name no step and follow no step_created with their correlationId; they were not checked", unnamed))
	}
	res.OK = true
	return res
}

// AssertRuns checks the recorded inputs of an event list: the workflow each
// run_created starts must exist in the new manifest. The input itself is
// shown as recorded; its shape is not checked.
func AssertRuns(l *EventList, m *Manifest) []compat.InputResult {
	var out []compat.InputResult
	for _, e := range l.Events {
		if e.Type != "run_created" {
			continue
		}
		r := compat.InputResult{
			Source:   fmt.Sprintf("%s:%d", l.Name, e.Line),
			Function: e.WorkflowName,
			Args:     compactJSON(e.Input),
			TypedBy:  compat.TypedByNone,
			Notes:    []string{NoTypesNote},
		}
		if m.Lookup(KindWorkflow, e.WorkflowName) == nil {
			r.Reason = compat.ReasonWorkflowMissing
			r.Message = fmt.Sprintf("the new manifest has no workflow %s%s", e.WorkflowName, similar(m.Workflows, e.WorkflowName))
		} else {
			r.OK, r.Target, r.Converted = true, e.WorkflowName, r.Args
		}
		out = append(out, r)
	}
	return out
}

// AssertInput checks one workflow start given by hand: the workflow must
// exist in the new manifest.
func AssertInput(in compat.Input, m *Manifest) compat.InputResult {
	r := compat.InputResult{Source: in.Source, Function: in.Function, Args: in.Args, TypedBy: compat.TypedByNone, Notes: []string{NoTypesNote}}
	if m.Lookup(KindWorkflow, in.Function) == nil {
		r.Reason = compat.ReasonWorkflowMissing
		r.Message = fmt.Sprintf("the new manifest has no workflow %s%s", in.Function, similar(m.Workflows, in.Function))
		return r
	}
	r.OK, r.Target, r.Converted = true, in.Function, in.Args
	return r
}

// similar suggests an entry with the same export name (a likely rename or
// move) for a message, or "".
func similar(list []*Entry, id string) string {
	base := id
	if i := strings.LastIndex(id, "//"); i >= 0 {
		base = id[i+2:]
	}
	file := ""
	if parts := strings.Split(id, "//"); len(parts) == 3 {
		file = parts[1]
	}
	for _, e := range list {
		if strings.HasSuffix(e.ID, "//"+base) && e.ID != id {
			return fmt.Sprintf(" (it has %s: moved?)", e.ID)
		}
	}
	if file != "" {
		var same []string
		for _, e := range list {
			if strings.Contains(e.ID, "//"+file+"//") {
				same = append(same, e.ID)
			}
		}
		if len(same) > 0 && len(same) <= 3 {
			return fmt.Sprintf(" (the same file has %s: renamed?)", strings.Join(same, ", "))
		}
	}
	return ""
}

func compactJSON(raw []byte) string {
	if raw == nil {
		return ""
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}
