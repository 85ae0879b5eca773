package component

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
)

// UnsupportedError reports a construct the runner refuses (async, streams,
// futures, error-context, ...), with its offset in the component binary.
type UnsupportedError struct {
	Off       int64
	Construct string
}

// Error names the construct and its offset.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("offset 0x%x: unsupported: %s (this runner runs synchronous components only)", e.Off, e.Construct)
}

// MissingImport is one import the host does not provide.
type MissingImport struct {
	// Name is the import ("wasi:keyvalue/eventual@0.1.0"), and Item the
	// function or resource in it that is missing ("" for the whole import).
	Name, Item string
	// Type is its type in WIT ("func(bucket: borrow<bucket>) -> ...",
	// "resource", "instance").
	Type string
}

// String returns "NAME#ITEM: TYPE".
func (m MissingImport) String() string {
	if m.Item == "" {
		return m.Name + ": " + m.Type
	}
	return m.Name + "#" + m.Item + ": " + m.Type
}

// MissingImportsError lists every import the host does not provide.
type MissingImportsError struct {
	Missing []MissingImport
}

// Error lists every missing import, one per line.
func (e *MissingImportsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d imports are not provided by the host:", len(e.Missing))
	for _, m := range e.Missing {
		b.WriteString("\n  ")
		b.WriteString(m.String())
	}
	return b.String()
}

// Interfaces returns the distinct import names that are missing, in order.
func (e *MissingImportsError) Interfaces() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range e.Missing {
		if !seen[m.Name] {
			seen[m.Name] = true
			out = append(out, m.Name)
		}
	}
	return out
}

// Trap is a trap raised while running a component: which export was
// called, which core function trapped, and why.
type Trap struct {
	// Export is the component function invoked ("golem:component/api#f1").
	Export string
	// CoreFunc names the core function that was running, when known.
	CoreFunc string
	// Reason is the message (wazero's, or the canonical ABI's reason).
	Reason string
	// Err is the underlying error.
	Err error
	// Kind says why the call stopped: a trap of the program (the zero
	// value), the sandbox stopping it (timeout, cancellation, its memory
	// limit), or the host failing a call (TrapHost). It is set where the
	// runner knows it; Reason's text does not depend on it.
	Kind TrapKind
}

// TrapKind says why an invocation stopped without returning.
type TrapKind uint8

// The kinds of trap. Only TrapProgram is the program seen to trap; the
// others say the sandbox stopped it, or may have caused the trap, or that
// the runner's host failed, and say nothing of what the program does
// without the sandbox's limits on a host that serves it.
const (
	// TrapProgram: the program trapped (unreachable, an out-of-bounds
	// access, a canonical ABI violation, a host call the specification
	// says traps...).
	TrapProgram TrapKind = iota
	// TrapTimeout: the invocation ran longer than the runner's timeout
	// and was stopped.
	TrapTimeout
	// TrapCanceled: the caller's context was canceled while it ran.
	TrapCanceled
	// TrapMemoryLimit: the program trapped after the runner's memory
	// limit (Options.MaxMemory) refused a memory.grow that the memory's
	// own maximum allowed; without the limit it might have run on.
	TrapMemoryLimit
	// TrapHost: the runner's host, not the program, ended the call: a
	// host function failed (an unsupported call, a resource the host
	// lacks, an import StubMissing stubbed) or the runner's own Go code
	// panicked (a *HostError, or a Go runtime error, in the trap's
	// chain). A host that served the call might have let it run on.
	TrapHost
)

// String returns the kind's name: "trap", "timeout", "canceled",
// "memory-limit", "host".
func (k TrapKind) String() string {
	switch k {
	case TrapProgram:
		return "trap"
	case TrapTimeout:
		return "timeout"
	case TrapCanceled:
		return "canceled"
	case TrapMemoryLimit:
		return "memory-limit"
	case TrapHost:
		return "host"
	}
	return fmt.Sprintf("TrapKind(%d)", uint8(k))
}

// Sandbox reports whether the kind is the runner's doing (a timeout, a
// cancellation, its memory limit, its host failing) rather than a trap of
// the program.
func (k TrapKind) Sandbox() bool { return k != TrapProgram }

// HostError is the error of a host function (the runner's WASI host, a
// test's host, an import StubMissing stubbed) that ended the call: the
// host failed, the guest was not seen to trap. A trap whose chain holds
// one is of kind TrapHost. A host function that means the guest to trap
// (a call the specification says traps) returns a *Trap instead; one
// that ends the run returns a *Exit.
type HostError struct {
	// Import is the import called ("wasi:io/poll@0.2.3#poll").
	Import string
	// Err is the host function's error.
	Err error
}

// Error returns the host function's error's text (a trap's reason reads
// as it did before the host's errors were told apart).
func (e *HostError) Error() string { return e.Err.Error() }

// Unwrap returns the host function's error.
func (e *HostError) Unwrap() error { return e.Err }

// hostFailure returns err, the error of the host function of call, as a
// *HostError, unless it is nil, an exit or a trap the host raised on
// purpose.
func hostFailure(call *HostCall, err error) error {
	if err == nil {
		return nil
	}
	var ex *Exit
	var tr *Trap
	var he *HostError
	if errors.As(err, &ex) || errors.As(err, &tr) || errors.As(err, &he) {
		return err
	}
	name := call.Name
	if call.Interface != "" {
		name = call.Interface + "#" + call.Name
	}
	return &HostError{Import: name, Err: err}
}

// hostKind returns TrapHost when err's chain holds a *HostError or a Go
// runtime error (a panic of the runner's Go code, never the guest's),
// TrapProgram otherwise.
func hostKind(err error) TrapKind {
	var he *HostError
	var re runtime.Error
	if errors.As(err, &he) || errors.As(err, &re) {
		return TrapHost
	}
	return TrapProgram
}

// Error returns "trap in EXPORT (core function F): REASON".
func (t *Trap) Error() string {
	var b strings.Builder
	b.WriteString("trap")
	if t.Export != "" {
		b.WriteString(" in ")
		b.WriteString(t.Export)
	}
	if t.CoreFunc != "" {
		b.WriteString(" (core function ")
		b.WriteString(t.CoreFunc)
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(t.Reason)
	return b.String()
}

// Unwrap returns the underlying error.
func (t *Trap) Unwrap() error { return t.Err }
