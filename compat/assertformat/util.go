package assertformat

import "github.com/wfcompat/wfcompat/internal/safetext"

// clean makes a string from a log or a binary safe to print on one line:
// invalid UTF-8 becomes U+FFFD; control characters (newlines and tabs
// included), DEL, the C1 controls and the bidirectional overrides are
// shown escaped (\n, \x1b, \u202e), so a recorded name cannot start a
// line of its own, forge a verdict or a workflow command, or color the
// terminal.
func clean(s string) string { return safetext.Line(s) }
