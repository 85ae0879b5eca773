package vercel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/jsontext"
)

// Event is one event of a DevKit run's event list, reduced to what the
// checks need.
type Event struct {
	// Index is the event's position in the list (0-based); Offset its byte
	// offset in the file and Line the line it starts on (1-based).
	Index  int
	Offset int64
	Line   int
	// Type is the eventType: run_created, step_created, step_completed, ...
	Type          string
	CorrelationID string
	RunID         string
	// WorkflowName and StepName are the workflow and step ids the event
	// names ("workflow//./src/workflows/order//fulfill"), from eventData or,
	// in simplified lists, from the event itself.
	WorkflowName string
	StepName     string
	// Input is the run's or step's serialized input (run_created,
	// step_created), as raw JSON; nil when absent.
	Input json.RawMessage
	// EventID and CreatedAt are the event's id and timestamp (RFC 3339),
	// when recorded; they order the events of a run.
	EventID   string
	CreatedAt string
	// File is the file the event was read from.
	File string
	// Values are the event's recorded values, decoded: eventData's input,
	// result, output and payload, in that order. Payloads stripped by
	// `wf inspect` without --withData are absent.
	Values []Value
	// Error is the message of a run_failed or step_failed event.
	Error string
}

// Value is one recorded value of an event.
type Value struct {
	// Field is the eventData member: input, result, output or payload.
	Field string
	*Payload
}

// valueFields are the eventData members holding serialized values.
var valueFields = []string{"input", "result", "output", "payload"}

// EventList is a run's event list, in order.
type EventList struct {
	Name   string
	Events []*Event
}

// isEventType reports whether typ is a DevKit event type. A list with
// another type is refused rather than half understood.
func isEventType(typ string) bool {
	switch typ {
	case "run_created", "run_started", "run_completed", "run_failed", "run_cancelled",
		"attr_set",
		"step_created", "step_started", "step_completed", "step_failed", "step_retrying",
		"hook_created", "hook_received", "hook_disposed", "hook_conflict",
		"wait_created", "wait_completed":
		return true
	}
	return false
}

// IsEventList reports whether b looks like a DevKit event list: a JSON
// array (or an object with a "data" or "events" array, as the DevKit's
// paginated API returns it) whose first element has an "eventType".
func IsEventList(b []byte) bool {
	// The first value only: ParseEvents reports data after it, where it is.
	return isEventList(jsontext.FirstValue(b))
}

// isEventList is IsEventList of v, one JSON value.
func isEventList(v json.RawMessage) bool {
	arr, ok := eventArray(v)
	if !ok {
		return false
	}
	var first []json.RawMessage
	if json.Unmarshal(arr, &first) != nil {
		return false
	}
	if len(first) == 0 {
		return true
	}
	var e struct {
		EventType *string `json:"eventType"`
	}
	return json.Unmarshal(first[0], &e) == nil && e.EventType != nil
}

// eventArray returns the array of events in b: b itself, or its "data" or
// "events" member.
func eventArray(b []byte) (json.RawMessage, bool) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 {
		return nil, false
	}
	switch t[0] {
	case '[':
		return b, true
	case '{':
		var o map[string]json.RawMessage
		if json.Unmarshal(t, &o) != nil {
			return nil, false
		}
		for _, k := range []string{"data", "events"} {
			if v, ok := o[k]; ok {
				v = bytes.TrimSpace(v)
				if len(v) > 0 && v[0] == '[' {
					return v, true
				}
			}
		}
	}
	return nil, false
}

// ReadEventsFile reads the event list at path.
func ReadEventsFile(path string) (*EventList, error) {
	b, err := analyze.ReadInput(path, 0)
	if err != nil {
		return nil, &Error{File: path, Offset: -1, Err: unwrapPathError(err)}
	}
	return ParseEvents(b, path)
}

// ParseEvents parses an event list: a JSON array of events, or an object
// whose "data" or "events" member is one. Each event has an eventType; its
// payload fields (workflowName, stepName, input, ...) are read from
// eventData or, failing that, from the event itself. Errors are *Error with
// the offset of the offending event.
func ParseEvents(b []byte, name string) (*EventList, error) {
	if err := checkUTF8(b, name); err != nil {
		return nil, err
	}
	p := &parser{name: name, src: b}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	base := int64(0)
	tok, err := dec.Token()
	if err != nil {
		return nil, p.jsonErr(err, 0, dec)
	}
	if d, ok := tok.(json.Delim); ok && d == '{' {
		// Find the "data" or "events" array and restart on it.
		top, err := p.object(b, 0, "event list")
		if err != nil {
			return nil, err
		}
		arr, ok := top.get("data")
		if !ok {
			arr, ok = top.get("events")
		}
		if !ok || !bytes.HasPrefix(bytes.TrimSpace(arr.raw), []byte("[")) {
			return nil, p.errAt(0, "not a Vercel Workflow event list: want a JSON array of events, or an object with a \"data\" array")
		}
		base = arr.off
		dec = json.NewDecoder(bytes.NewReader(arr.raw))
		dec.UseNumber()
		if _, err := dec.Token(); err != nil {
			return nil, p.jsonErr(err, base, dec)
		}
	} else if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, p.errAt(skipSpace(b), "not a Vercel Workflow event list: want a JSON array of events")
	}
	l := &EventList{Name: name}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, p.jsonErr(err, base, dec)
		}
		off := base + dec.InputOffset() - int64(len(raw))
		e, err := p.event(raw, off, i)
		if err != nil {
			return nil, err
		}
		l.Events = append(l.Events, e)
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.jsonErr(err, base, dec)
	}
	if base == 0 {
		if rest := b[dec.InputOffset():]; skipSpace(rest) < int64(len(rest)) {
			return nil, p.errAt(dec.InputOffset()+skipSpace(rest), "invalid JSON: data after the event list")
		}
	}
	return l, nil
}

// event reads event i, found at file offset off.
func (p *parser) event(raw json.RawMessage, off int64, i int) (*Event, error) {
	where := fmt.Sprintf("event %d", i)
	fields, err := p.object(raw, off, where)
	if err != nil {
		return nil, err
	}
	e := &Event{Index: i, Offset: off, Line: p.line(off)}
	str := func(o object, key string, dst *string) error {
		m, ok := o.get(key)
		if !ok || isNull(m.raw) {
			return nil
		}
		return p.unmarshal(m, dst, where+"."+key)
	}
	et, ok := fields.get("eventType")
	if !ok {
		if what := recordKind(fields); what != "" {
			return nil, p.errAt(off, "%s is %s, not an event", where, what)
		}
		return nil, p.errAt(off, "%s has no eventType", where)
	}
	if err := p.unmarshal(et, &e.Type, where+".eventType"); err != nil {
		return nil, err
	}
	if !isEventType(e.Type) {
		return nil, p.errAt(et.off, "%s has unknown eventType %q", where, e.Type)
	}
	if err := str(fields, "correlationId", &e.CorrelationID); err != nil {
		return nil, err
	}
	if err := str(fields, "runId", &e.RunID); err != nil {
		return nil, err
	}
	if err := str(fields, "eventId", &e.EventID); err != nil {
		return nil, err
	}
	if err := str(fields, "createdAt", &e.CreatedAt); err != nil {
		return nil, err
	}
	e.File = p.name
	// Payload fields live in eventData; simplified lists put them on the
	// event. eventData wins when both have one.
	sources := []object{fields}
	if d, ok := fields.get("eventData"); ok && !isNull(d.raw) {
		data, err := p.object(d.raw, d.off, where+".eventData")
		if err != nil {
			return nil, err
		}
		sources = []object{data, fields}
	}
	for _, src := range sources {
		if e.WorkflowName == "" {
			if err := str(src, "workflowName", &e.WorkflowName); err != nil {
				return nil, err
			}
		}
		if e.StepName == "" {
			if err := str(src, "stepName", &e.StepName); err != nil {
				return nil, err
			}
		}
		if e.Input == nil {
			if m, ok := src.get("input"); ok {
				e.Input = m.raw
			}
		}
	}
	for _, f := range valueFields {
		for _, src := range sources {
			m, ok := src.get(f)
			if !ok || isNull(m.raw) {
				continue
			}
			pl, err := DecodeLocalPayload(m.raw)
			if err != nil {
				return nil, p.errAt(m.off, "%s.%s: %v", where, f, err)
			}
			e.Values = append(e.Values, Value{Field: f, Payload: pl})
			break
		}
	}
	for _, src := range sources {
		if m, ok := src.get("error"); ok && !isNull(m.raw) {
			e.Error = errorMessage(m.raw)
			break
		}
	}
	switch e.Type {
	case "run_created":
		if e.WorkflowName == "" {
			return nil, p.errAt(off, "%s (run_created) has no workflowName", where)
		}
	case "step_created":
		if e.StepName == "" {
			return nil, p.errAt(off, "%s (step_created) has no stepName", where)
		}
	}
	if strings.HasPrefix(e.Type, "step_") && e.StepName == "" && e.CorrelationID == "" {
		return nil, p.errAt(off, "%s (%s) has neither stepName nor correlationId", where, e.Type)
	}
	return e, nil
}

// errorMessage reads a recorded error: a string, or an object with a
// message (possibly a serialized payload, shown as it is).
func errorMessage(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &o) == nil && o.Message != "" {
		return o.Message
	}
	return compactJSON(raw)
}

// recordKind names what a JSON object that is not an event is, when it is
// one of the other records the DevKit's tools write, or "".
func recordKind(fields object) string {
	has := func(k string) bool { _, ok := fields.get(k); return ok }
	switch {
	case has("waitId"):
		return "a wait record (the local world's waits/)"
	case has("stepId") && has("stepName") && has("status"):
		return "a step record (`wf inspect steps --json`, or the local world's steps/)"
	case has("runId") && has("workflowName") && has("status"):
		return "a run record (`wf inspect runs --json`, or the local world's runs/)"
	}
	return ""
}
