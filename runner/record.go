package runner

import (
	"context"
	"fmt"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/wit/value"
)

// recorder turns every import call into an event of the running
// invocation.
type recorder struct {
	intercept component.Interceptor
	events    []eventlog.Event
	on        bool
	discard   bool // record nothing (Options.NoImportEvents)
	err       error
}

func (r *recorder) start() { r.events, r.on, r.err = nil, true, nil }

func (r *recorder) stop() []eventlog.Event {
	r.on = false
	ev := r.events
	r.events = nil
	return ev
}

// intercept2 is the component.Interceptor the runner installs: it calls the
// user's interceptor (or the host) and records the call.
func (r *recorder) intercept2(ctx context.Context, c *component.ImportCall, next func() ([]value.Value, error)) ([]value.Value, error) {
	var res []value.Value
	var err error
	if r.intercept != nil {
		res, err = r.intercept(ctx, c, next)
	} else {
		res, err = next()
	}
	if err != nil {
		return nil, err
	}
	if r.on && !r.discard {
		e, ferr := importEvent(c, res)
		if ferr != nil {
			return nil, ferr
		}
		r.events = append(r.events, e)
	}
	return res, nil
}

func importEvent(c *component.ImportCall, res []value.Value) (eventlog.Event, error) {
	params, err := value.FormatArgs(c.Args, c.Type.Params)
	if err != nil {
		return eventlog.Event{}, fmt.Errorf("recording %s: %w", c.Name, err)
	}
	result := ""
	if c.Type.Result != nil {
		if len(res) != 1 {
			return eventlog.Event{}, fmt.Errorf("recording %s: %d results for one result type", c.Name, len(res))
		}
		if result, err = value.FormatWAVE(res[0], c.Type.Result); err != nil {
			return eventlog.Event{}, fmt.Errorf("recording %s: result: %w", c.Name, err)
		}
	}
	return eventlog.Event{Type: eventlog.TypeImport, Function: eventlog.JoinName(c.Interface, c.Name),
		Params: params, Result: eventlog.Returned(result)}, nil
}
