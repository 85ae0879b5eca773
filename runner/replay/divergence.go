package replay

import (
	"fmt"
	"strings"
)

// Reason says why a log does not replay (stable identifiers).
type Reason string

// Reasons.
const (
	// ImportMismatch: the build made a durable call to another function
	// than the log's next durable call (Golem: "Unexpected oplog entry"),
	// or, with Strict, with other arguments, or the recorded result does
	// not read as the build's import result type.
	ImportMismatch Reason = "import-mismatch"
	// ExtraImport: the build made a durable call where the log's
	// invocation had made no more.
	ExtraImport Reason = "extra-import"
	// MissingImport: the invocation returned while the log holds durable
	// calls it made that the build did not make.
	MissingImport Reason = "missing-import"
	// ResultMismatch: the export returned another value than the log
	// records.
	ResultMismatch Reason = "result-mismatch"
	// ExportMissing: the build does not export the invoked function
	// (Golem: "Function X not found").
	ExportMissing Reason = "export-missing"
	// ParamsMismatch: the recorded arguments do not read as the build's
	// parameter types.
	ParamsMismatch Reason = "params-mismatch"
	// Trap: the build trapped where the log records a result.
	Trap Reason = "trap"
	// UnexpectedSuccess: the build returned where the log records a trap.
	UnexpectedSuccess Reason = "unexpected-success"
)

// Reasons lists every reason, in a fixed order (for summaries).
func Reasons() []Reason {
	return []Reason{ImportMismatch, ExtraImport, MissingImport, ResultMismatch, ExportMissing, ParamsMismatch, Trap, UnexpectedSuccess}
}

// Divergence is the first place where a build does not continue a log.
type Divergence struct {
	// Log is the log's file name; Line the 1-based line of the event where
	// the replay diverged (the import line, or the invoke line).
	Log  string `json:"log"`
	Line int    `json:"line"`
	// Invocation is the export being replayed, and InvokeLine its line.
	Invocation string `json:"invocation"`
	InvokeLine int    `json:"invoke_line"`
	Reason     Reason `json:"reason"`
	// Expected is what the log records (a call name, or a value in WAVE),
	// Actual what the build did.
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	// Detail adds what else is known (the results of an invocation that
	// also made fewer calls).
	Detail string `json:"detail,omitempty"`
}

// Error returns "LOG:LINE: REASON in the replay of F: expected X, got Y".
func (d *Divergence) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: %s in the replay of %s (line %d): expected %s, got %s",
		d.Log, d.Line, d.Reason, d.Invocation, d.InvokeLine, clip(d.Expected), clip(d.Actual))
	if d.Detail != "" {
		b.WriteString("; ")
		b.WriteString(d.Detail)
	}
	return b.String()
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const n = 200
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
