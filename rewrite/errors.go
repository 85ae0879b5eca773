package rewrite

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
)

// Error is a refusal to pin, or a failure, located in the input module
// when a place can be named.
type Error struct {
	// Off is the offset in the input module the problem is at, or -1.
	Off int64
	Msg string
}

// Error returns "offset 0x<Off>: <Msg>", or Msg when there is no offset.
func (e *Error) Error() string {
	if e.Off < 0 {
		return e.Msg
	}
	return fmt.Sprintf("offset 0x%x: %s", e.Off, e.Msg)
}

func errorAt(off int64, format string, args ...any) *Error {
	return &Error{Off: off, Msg: fmt.Sprintf(format, args...)}
}

// unresolvedError reports unresolved callbacks, the first one located.
func unresolvedError(us []callbacks.Unresolved, what string) *Error {
	u := us[0]
	more := ""
	if len(us) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(us)-1)
	}
	return errorAt(int64(u.Off), "%s whose callbacks are not all known: the %s callback of %s in %s: %s%s",
		what, u.Role, u.Import, callbacks.FuncLabel(u.Func, u.Name), u.Why, more)
}
