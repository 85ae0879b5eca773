package assertformat

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/format"
	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// Names of the formats: those of compat/format.
const (
	Text     = format.Text
	JSON     = format.JSON
	SARIF    = format.SARIF
	GitHub   = format.GitHub
	JUnit    = format.JUnit
	Markdown = format.Markdown
)

// Formats returns the names Write accepts.
func Formats() []string { return []string{Text, JSON, SARIF, GitHub, JUnit, Markdown} }

// Options control rendering.
type Options struct {
	// Time is when the check ran (JUnit timestamp); zero means now.
	Time time.Time
	// Elapsed is how long it took (JUnit time).
	Elapsed time.Duration
	// Hostname is JUnit's hostname; "" means localhost.
	Hostname string
	// ToolVersion is wfcompat's version; "" reads the build information.
	ToolVersion string
}

func (o Options) now() time.Time {
	if o.Time.IsZero() {
		return time.Now()
	}
	return o.Time
}

func (o Options) version() string {
	if o.ToolVersion != "" {
		return o.ToolVersion
	}
	return buildinfo.Read().Version
}

// Level is the weight of one entry in every format.
type Level string

// Levels.
const (
	// LevelError: the input or log does not carry over, or could not be
	// read; it fails the check.
	LevelError Level = "error"
	// LevelNote: a problem that does not fail the check (a finished
	// Vercel Workflow run, which is not replayed).
	LevelNote Level = "note"
)

// Write renders doc, a *wfcompat.InputReport or a *wfcompat.LogReport, to
// w in the named format.
func Write(w io.Writer, format string, doc any, opts Options) error {
	r, err := newReport(doc)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	switch format {
	case Text:
		renderText(&b, r)
	case JSON:
		err = renderJSON(&b, r)
	case SARIF:
		err = renderSARIF(&b, r, opts)
	case GitHub:
		renderGitHub(&b, r)
	case JUnit:
		err = renderJUnit(&b, r, opts)
	case Markdown:
		renderMarkdown(&b, r)
	default:
		return fmt.Errorf("unknown format %q (valid: %s)", format, strings.Join(Formats(), ", "))
	}
	if err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// Failed reports whether doc fails the check: an input or log does not
// carry over, or a log could not be read.
func Failed(doc any) bool {
	r, err := newReport(doc)
	return err == nil && (r.summary.Failed > 0 || r.summary.Unreadable > 0)
}

// report is the common view of both documents.
type report struct {
	doc     any
	command string
	against compat.Artifact
	old     *compat.Artifact
	inputs  []compat.InputResult
	logs    []*compat.LogResult
	notes   []string
	errors  []string
	summary wfcompat.AssertSummary
}

func newReport(doc any) (*report, error) {
	switch d := doc.(type) {
	case *wfcompat.InputReport:
		if d == nil {
			break
		}
		return &report{doc: d, command: "input", against: d.Against, old: d.Old, inputs: d.Inputs, notes: d.Notes, summary: d.Summary}, nil
	case *wfcompat.LogReport:
		if d == nil {
			break
		}
		return &report{doc: d, command: "event-log", against: d.Against, old: d.Old, logs: d.Logs, errors: d.Errors, summary: d.Summary}, nil
	}
	return nil, fmt.Errorf("assertformat: %T is not an assert document", doc)
}

// entry is one located message of a report: a failed input or log, a
// problem of a Vercel run, or an unreadable log.
type entry struct {
	level    Level
	reason   string
	message  string
	file     string // where it was recorded; "" when nowhere (--args)
	line     int    // 0: unknown
	subject  string // the function, workflow or step concerned
	caseName string // the input or log it belongs to
}

// entries lists the report's entries in document order.
func (r *report) entries() []entry {
	var out []entry
	for _, in := range r.inputs {
		if in.OK {
			continue
		}
		file, line := splitSource(in.Source)
		out = append(out, entry{LevelError, in.Reason, in.Message, file, line, in.Function, in.Source})
	}
	for _, l := range r.logs {
		if len(l.Problems) > 0 {
			lvl := LevelError
			if l.OK {
				lvl = LevelNote // a finished run: reported, never replayed
			}
			for _, p := range l.Problems {
				file := p.File
				if file == "" {
					file = logPath(l.Log)
				}
				out = append(out, entry{lvl, p.Reason, p.Message, file, p.Line, p.Subject, l.Log})
			}
			continue
		}
		if !l.OK {
			out = append(out, entry{LevelError, l.Reason, l.Message, logPath(l.Log), l.Line, l.Function, l.Log})
		}
	}
	for _, e := range r.errors {
		file, line := errorSource(e)
		out = append(out, entry{LevelError, compat.ReasonUnreadable, e, file, line, "", file})
	}
	return out
}

// splitSource splits "runs.jsonl:3" into the file and the line; "--args"
// has neither.
func splitSource(s string) (string, int) {
	if s == "" || strings.HasPrefix(s, "-") {
		return "", 0
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	n := 0
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' || n > 1<<30 {
			return s, 0
		}
		n = n*10 + int(c-'0')
	}
	if i+1 == len(s) {
		return s, 0
	}
	return s[:i], n
}

// logPath is the file of a log label: "runs/x.json (wrun_1)" is a Vercel
// run in file runs/x.json.
func logPath(label string) string {
	if i := strings.LastIndex(label, " ("); i > 0 && strings.HasSuffix(label, ")") {
		return label[:i]
	}
	return label
}

// errorSource takes the file and line from a one-line log error
// ("run.jsonl:17:5: invalid JSON: ...", "run.jsonl: open: ...").
func errorSource(msg string) (string, int) {
	head, _, ok := strings.Cut(msg, ": ")
	if !ok {
		return "", 0
	}
	file, line := splitSource(head)
	if line > 0 {
		// "file:line:col": the column was split off first.
		if f, l := splitSource(file); l > 0 {
			return f, l
		}
	}
	return file, line
}

// outcome is "pass" or "fail".
func (r *report) outcome() string {
	if r.summary.Failed > 0 || r.summary.Unreadable > 0 {
		return "fail"
	}
	return "pass"
}

// what names the things checked, singular and plural.
func (r *report) what() (string, string) {
	switch {
	case r.command == "input":
		return "input", "inputs"
	case r.summary.Finished+r.summary.InFlight > 0:
		return "run", "runs"
	}
	return "log", "logs"
}

// summaryLine is the text summary without the leading label:
// "2 logs: 1 compatible, 1 incompatible (export-missing: 1)".
func (r *report) summaryLine() string {
	s := &r.summary
	one, many := r.what()
	var b strings.Builder
	if r.command == "input" {
		fmt.Fprintf(&b, "%d %s: %d accepted, %d rejected", s.Total, plural(s.Total, one, many), s.OK, s.Failed)
	} else {
		fmt.Fprintf(&b, "%d %s: %d compatible, %d incompatible", s.Total, plural(s.Total, one, many), s.OK, s.Failed)
	}
	if s.Failed > 0 {
		fmt.Fprintf(&b, " (%s)", s.ByReasonText())
	}
	if s.Unreadable > 0 {
		fmt.Fprintf(&b, ", %d unreadable", s.Unreadable)
	}
	if s.Finished+s.InFlight > 0 {
		fmt.Fprintf(&b, "; %d in flight (replayed by the new deployment: these gate), %d finished (not replayed)", s.InFlight, s.Finished)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
