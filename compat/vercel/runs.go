package vercel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
)

// Run statuses as the DevKit records them (Run.Status).
const (
	RunPending   = "pending"
	RunRunning   = "running"
	RunCompleted = "completed"
	RunFailed    = "failed"
	RunCancelled = "cancelled"
)

// Run is one workflow run as recorded: its events, in the order they
// happened, and whether it ended.
type Run struct {
	// ID is the run id (wrun_...).
	ID string
	// Workflow is the workflow id the run executes.
	Workflow string
	// Source names where the run was read: a file, or a folder and the run.
	Source string
	// Status is the run's status: from a terminal event (run_completed,
	// run_failed, run_cancelled), else from a run record (the local
	// world's runs/, `wf inspect runs --json`), else "running" when the
	// run has events, "" when nothing says.
	Status string
	// Events are the run's events sorted by time (createdAt, then the
	// event's kind, then eventId): `wf inspect` lists newest first, the
	// local world keeps one file per event.
	Events []*Event
	// Error is the message of the run_failed event, if any.
	Error string
}

// Finished reports whether the run ended (completed, failed or
// cancelled): a new deployment does not replay it.
func (r *Run) Finished() bool {
	switch r.Status {
	case RunCompleted, RunFailed, RunCancelled:
		return true
	}
	return false
}

// runRecord is a run as `wf inspect runs --json` and the local world's
// runs/ files describe it.
type runRecord struct {
	RunID        string `json:"runId"`
	WorkflowName string `json:"workflowName"`
	Status       string `json:"status"`
}

// LoadRuns reads the runs recorded in paths, each one of:
//   - an event list (`wf inspect events --runId R --json [--withData]`,
//     newest first by default), or a JSON array of events;
//   - the local world's store: a `.workflow-data` folder (events/,
//     runs/, steps/, waits/), or its events/ folder;
//   - single files of that store: events/<runId>-<eventId>.json (one event
//     each), runs/<runId>.json; steps/ and waits/ records are accepted and
//     not needed;
//   - `wf inspect runs --json` output, which gives run statuses.
//
// Events are grouped by run id across all paths. A path that cannot be
// read is an error in errs (an *Error naming the file) and does not stop
// the others. Files that hold no events (run or step lists) are refused,
// naming what they are, when no path gives any event.
func LoadRuns(paths []string) (runs []*Run, errs []error) {
	return LoadRunsMax(paths, 0)
}

// LoadRunsMax is LoadRuns reading files of at most max bytes each (<= 0:
// analyze.DefaultMaxInputSize). Like every input of wfcompat, files must
// be regular files: devices, FIFOs and sockets are refused before they are
// read, and so are symlinks inside a local world's store.
func LoadRunsMax(paths []string, max int64) (runs []*Run, errs []error) {
	l := &loader{byID: map[string]*Run{}, status: map[string]runRecord{}, max: max}
	for _, p := range paths {
		if err := l.path(p); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, l.fileErrs...)
	for id := range l.bad {
		if _, ok := l.byID[id]; ok {
			delete(l.byID, id)
			l.order = slices.DeleteFunc(l.order, func(x string) bool { return x == id })
		}
	}
	if len(l.byID) == 0 && len(l.bad) == 0 {
		for _, n := range l.noEvents {
			errs = append(errs, n)
		}
		return nil, errs
	}
	runs, _ = l.finish()
	return runs, errs
}

// finish orders each run's events and settles its workflow and status.
func (l *loader) finish() ([]*Run, error) {
	var runs []*Run
	for _, id := range l.order {
		r := l.byID[id]
		sortEvents(r.Events)
		rec, hasRec := l.status[id]
		for _, e := range r.Events {
			switch e.Type {
			case "run_created":
				if r.Workflow == "" {
					r.Workflow = e.WorkflowName
				}
			case "run_completed":
				r.Status = RunCompleted
			case "run_failed":
				r.Status, r.Error = RunFailed, e.Error
			case "run_cancelled":
				r.Status = RunCancelled
			}
		}
		if r.Workflow == "" && hasRec {
			r.Workflow = rec.WorkflowName
		}
		if r.Workflow == "" {
			for _, e := range r.Events {
				if e.WorkflowName != "" {
					r.Workflow = e.WorkflowName
					break
				}
			}
		}
		if r.Status == "" && hasRec {
			r.Status = rec.Status
		}
		if r.Status == "" {
			r.Status = RunRunning
		}
		runs = append(runs, r)
	}
	return runs, nil
}

type loader struct {
	byID     map[string]*Run
	order    []string
	status   map[string]runRecord
	noEvents []error
	last     map[string]string // source → run id of its last event
	// fileErrs are unreadable files of a store; bad the runs they belong
	// to, which are left out rather than judged on part of their events.
	fileErrs []error
	bad      map[string]bool
	max      int64 // file size limit
}

// read reads one input file, a regular file within the size limit.
func (l *loader) read(p string) ([]byte, error) {
	b, err := analyze.ReadInput(p, l.max)
	if err != nil {
		return nil, &Error{File: p, Offset: -1, Err: err}
	}
	if err := checkUTF8(b, p); err != nil {
		return nil, err
	}
	return b, nil
}

// entry reads a file of the local world's store: a regular file, not a
// symlink (the store holds none; one would lead out of it).
func (l *loader) entry(p string, d os.DirEntry) ([]byte, error) {
	if d.Type()&fs.ModeSymlink != 0 {
		return nil, &Error{File: p, Offset: -1, Err: errors.New("a symlink in the local world's store, which holds regular files only")}
	}
	return l.read(p)
}

func (l *loader) run(id, source string) *Run {
	r := l.byID[id]
	if r == nil {
		r = &Run{ID: id, Source: source}
		l.byID[id] = r
		l.order = append(l.order, id)
	}
	return r
}

func (l *loader) path(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return &Error{File: p, Offset: -1, Err: unwrapPathError(err)}
	}
	if fi.IsDir() {
		return l.dir(p)
	}
	b, err := l.read(p)
	if err != nil {
		return err
	}
	return l.file(b, p, p)
}

// dir reads a local world store, or its events/ folder.
func (l *loader) dir(p string) error {
	root, events := p, filepath.Join(p, "events")
	if filepath.Base(filepath.Clean(p)) == "events" {
		root, events = filepath.Dir(filepath.Clean(p)), p
	}
	ents, err := os.ReadDir(events)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &Error{File: p, Offset: -1, Err: errors.New("a folder, but not the local world's store: no events/ in it (give the .workflow-data folder, its events/ folder, or event files)")}
		}
		return &Error{File: p, Offset: -1, Err: unwrapPathError(err)}
	}
	// Run records give the status of runs whose terminal event is absent;
	// they are not the store's events, so they raise no "no events" error.
	keep := len(l.noEvents)
	defer func() { l.noEvents = l.noEvents[:keep] }()
	if recs, err := os.ReadDir(filepath.Join(root, "runs")); err == nil {
		for _, f := range recs {
			if f.IsDir() || !strings.HasSuffix(f.Name(), ".json") {
				continue
			}
			name := filepath.Join(root, "runs", f.Name())
			b, err := l.entry(name, f)
			if err != nil {
				return err
			}
			if err := l.file(b, name, ""); err != nil {
				return err
			}
		}
	}
	n := 0
	for _, f := range ents {
		if f.IsDir() || !strings.HasSuffix(f.Name(), ".json") {
			continue
		}
		name := filepath.Join(events, f.Name())
		b, err := l.entry(name, f)
		if err == nil {
			err = l.file(b, name, p)
		}
		if err != nil {
			// One unreadable event spoils its run, not the store.
			l.fileErrs = append(l.fileErrs, err)
			if l.bad == nil {
				l.bad = map[string]bool{}
			}
			run, _, _ := strings.Cut(f.Name(), "-")
			l.bad[run] = true
			continue
		}
		n++
	}
	if n == 0 {
		l.noEvents = append(l.noEvents, &Error{File: p, Offset: -1, Err: errors.New("the local world's store holds no events")})
	}
	return nil
}

// file reads one file; source names the runs it holds ("" for the file
// itself).
func (l *loader) file(b []byte, name, source string) error {
	if source == "" {
		source = name
	}
	t := bytes.TrimSpace(b)
	if len(t) > 0 && t[0] == '{' {
		var probe map[string]json.RawMessage
		if json.Unmarshal(t, &probe) == nil {
			if _, ok := probe["eventType"]; ok {
				// One event: a file of the local world's events/.
				p := &parser{name: name, src: b}
				e, err := p.event(json.RawMessage(b), 0, 0)
				if err != nil {
					return err
				}
				return l.add(e, source)
			}
			if _, ok := probe["data"]; !ok {
				if _, ok := probe["events"]; !ok {
					return l.record(probe, b, name)
				}
			}
		}
	}
	if what, recs := recordList(b); what != "" {
		if what == "runs" {
			for _, r := range recs {
				if r.RunID != "" {
					l.status[r.RunID] = r
				}
			}
			l.noEvents = append(l.noEvents, &Error{File: name, Offset: -1, Err: fmt.Errorf(
				"a list of %d runs (`wf inspect runs --json`), not an event list: it gives run statuses; export each run's events with `wf inspect events --runId RUN --json --withData`", len(recs))})
			return nil
		}
		l.noEvents = append(l.noEvents, &Error{File: name, Offset: -1, Err: fmt.Errorf(
			"a list of %d steps (`wf inspect steps --json`), not an event list: export each run's events with `wf inspect events --runId RUN --json --withData`", len(recs))})
		return nil
	}
	list, err := ParseEvents(b, name)
	if err != nil {
		return err
	}
	if len(list.Events) == 0 {
		l.noEvents = append(l.noEvents, &Error{File: name, Offset: -1, Err: errors.New("an empty event list")})
	}
	for _, e := range list.Events {
		if err := l.add(e, source); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) add(e *Event, source string) error {
	id := e.RunID
	if id == "" {
		// Simplified lists name the run once: the event belongs to the
		// run the file named last.
		if id = l.last[source]; id == "" {
			id = "(run of " + source + ")"
		}
	}
	if l.last == nil {
		l.last = map[string]string{}
	}
	l.last[source] = id
	r := l.run(id, source)
	r.Events = append(r.Events, e)
	return nil
}

// record takes a single JSON object that is not an event: a run record
// gives a status; step and wait records are not needed.
func (l *loader) record(probe map[string]json.RawMessage, b []byte, name string) error {
	p := &parser{name: name, src: b}
	fields, err := p.object(b, 0, "record")
	if err != nil {
		return err
	}
	what := recordKind(fields)
	switch {
	case strings.HasPrefix(what, "a run record"):
		var r runRecord
		if err := json.Unmarshal(b, &r); err != nil || r.RunID == "" {
			return p.errAt(0, "a run record without a runId")
		}
		l.status[r.RunID] = r
		l.noEvents = append(l.noEvents, &Error{File: name, Offset: -1, Err: errors.New("a run record (the local world's runs/), not events: give the run's events/ files or the whole .workflow-data folder")})
		return nil
	case what != "":
		l.noEvents = append(l.noEvents, &Error{File: name, Offset: -1, Err: fmt.Errorf("%s, not events: give the run's events/ files or the whole .workflow-data folder", what)})
		return nil
	}
	return p.errAt(0, "not a Vercel Workflow event list, event or run record: no eventType, runId or stepId")
}

// recordList recognises `wf inspect runs --json` ({"data": [runs]}) and
// `wf inspect steps --json` ([steps]) output: it returns "runs" or "steps"
// and the records, or "".
func recordList(b []byte) (string, []runRecord) {
	arr, ok := eventArray(b)
	if !ok {
		return "", nil
	}
	var items []map[string]json.RawMessage
	if json.Unmarshal(arr, &items) != nil || len(items) == 0 {
		return "", nil
	}
	has := func(m map[string]json.RawMessage, k string) bool { _, ok := m[k]; return ok }
	first := items[0]
	if has(first, "eventType") {
		return "", nil
	}
	kind := ""
	switch {
	case has(first, "stepId") && has(first, "stepName"):
		kind = "steps"
	case has(first, "runId") && has(first, "workflowName") && has(first, "status"):
		kind = "runs"
	default:
		return "", nil
	}
	var recs []runRecord
	if kind == "runs" {
		_ = json.Unmarshal(arr, &recs)
	} else {
		recs = make([]runRecord, len(items))
	}
	return kind, recs
}

// eventRank orders events that share a timestamp: a run's creation first,
// its end last, a call's creation before its progress. (Switches here and
// for the other tables of this package: nothing is built at start-up.)
func eventRank(typ string) int {
	switch typ {
	case "run_created":
		return 0
	case "run_started":
		return 1
	case "step_created", "wait_created", "hook_created":
		return 2
	case "step_started":
		return 3
	case "step_retrying", "hook_received":
		return 4
	case "step_completed", "step_failed", "wait_completed", "hook_disposed", "hook_conflict", "attr_set":
		return 5
	case "run_completed", "run_failed", "run_cancelled":
		return 9
	}
	return 0
}

// sortEvents orders a run's events by time, so nothing depends on the
// order a tool printed them in.
func sortEvents(evs []*Event) {
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.CreatedAt != b.CreatedAt {
			return a.CreatedAt < b.CreatedAt
		}
		if ra, rb := eventRank(a.Type), eventRank(b.Type); ra != rb {
			return ra < rb
		}
		if a.EventID != b.EventID {
			return a.EventID < b.EventID
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Index < b.Index
	})
}
