package eventlog

import (
	"fmt"
	"strings"
	"time"

	"github.com/wfcompat/wfcompat/wit"
)

// Schema identifies version 1 of the format. It is the "schema" field of the
// header line; a reader refuses any other value. Fields are only ever added
// within a version if readers of that version may ignore them; anything else
// bumps it.
const Schema = "wfcompat.eventlog/v1"

// Type tells what a line records.
type Type string

// Line types.
const (
	// TypeHeader is the first line of every log.
	TypeHeader Type = "header"
	// TypeInvoke is an invocation of an exported function.
	TypeInvoke Type = "invoke"
	// TypeImport is a call the worker made to an imported function.
	TypeImport Type = "import"
	// TypeUpgrade marks the point where another version took over the worker.
	TypeUpgrade Type = "upgrade"
	// TypeSnapshot marks a snapshot being saved or loaded.
	TypeSnapshot Type = "snapshot"
)

// Upgrade modes an upgrade marker may name (the compat modes that move a
// running worker to a new version).
const (
	ModeRestart  = "restart"
	ModeReplay   = "replay"
	ModeSnapshot = "snapshot"
	ModeInFlight = "in-flight"
)

// Snapshot operations.
const (
	OpSave = "save"
	OpLoad = "load"
)

// Header is the first line of a log: which format, and which build produced
// the events that follow (until the first upgrade marker).
type Header struct {
	// Type is always TypeHeader.
	Type Type `json:"type"`
	// Schema is the format version, Schema.
	Schema string `json:"schema"`
	// SHA256 is the hex digest of the artifact that produced the events.
	SHA256 string `json:"sha256"`
	// VersionID is that artifact's version id (as in its manifest).
	VersionID string `json:"version_id"`
	// Worker optionally names the worker or run the log belongs to.
	Worker string `json:"worker,omitempty"`
	// World optionally carries the artifact's world, so that the values in
	// the log can be typed without the artifact or its manifest.
	World *wit.World `json:"world,omitempty"`
}

// Event is one line after the header. Which fields are set depends on Type;
// Validate checks that exactly the right ones are.
type Event struct {
	// Line is the 1-based line number the event was read from (0 for an
	// event built in memory). It is not part of the encoding.
	Line int `json:"-"`

	Type Type `json:"type"`
	// Time is when the event happened, RFC 3339 (optional, any type).
	Time string `json:"time,omitempty"`

	// Function is the qualified name of the function invoked (invoke) or
	// called (import): "golem:component/api#f1",
	// "wasi:clocks/wall-clock@0.2.0#now", "shop:api/cart#[method]cart.add",
	// or a plain name for a world-level function ("run").
	Function string `json:"function,omitempty"`
	// Params is the WAVE argument list, "(1000, \"x\")", "()" for none.
	Params string `json:"params,omitempty"`
	// Result is the WAVE result of a call that returned: "" for a function
	// without result. Nil when the call trapped or is pending.
	Result *string `json:"result,omitempty"`
	// Trap is the trap message of an invocation that trapped.
	Trap string `json:"trap,omitempty"`
	// Pending marks an invocation that had not returned when the log ended
	// or the worker was upgraded.
	Pending bool `json:"pending,omitempty"`

	// SHA256 is, for an upgrade, the digest of the artifact that took over;
	// for a snapshot, the digest of the snapshot bytes (optional).
	SHA256 string `json:"sha256,omitempty"`
	// VersionID is the version id of the artifact that took over (upgrade).
	VersionID string `json:"version_id,omitempty"`
	// Mode is the upgrade mode: restart, replay, snapshot or in-flight.
	Mode string `json:"mode,omitempty"`
	// Op is the snapshot operation, save or load.
	Op string `json:"op,omitempty"`
	// Size is the snapshot size in bytes (optional).
	Size *uint64 `json:"size,omitempty"`
}

// Returned builds a result that records a call returning r (the WAVE
// encoding; "" for a function without result).
func Returned(r string) *string { return &r }

// Validate checks the header: type, schema, a hex SHA-256 and a version id.
func (h *Header) Validate() error {
	if h.Type != TypeHeader {
		return fmt.Errorf("line 1 must be the header (type %q), not type %q", TypeHeader, h.Type)
	}
	if h.Schema != Schema {
		if h.Schema == "" {
			return fmt.Errorf("header has no schema; want %q", Schema)
		}
		return fmt.Errorf("unsupported schema %q; this wfcompat reads %q", h.Schema, Schema)
	}
	if err := checkDigest("sha256", h.SHA256); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	if h.VersionID == "" {
		return fmt.Errorf("header has no version_id")
	}
	if err := checkText("version_id", h.VersionID); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	return nil
}

// field names, for messages.
const (
	fTime      = "time"
	fFunction  = "function"
	fParams    = "params"
	fResult    = "result"
	fTrap      = "trap"
	fPending   = "pending"
	fSHA256    = "sha256"
	fVersionID = "version_id"
	fMode      = "mode"
	fOp        = "op"
	fSize      = "size"
)

// allowed lists the fields each event type may carry (type and time are
// allowed everywhere): constant data, searched in order, where a map would
// be built at every start-up.
var allowed = [...]struct {
	typ    Type
	fields []string
}{
	{TypeInvoke, []string{fFunction, fParams, fResult, fTrap, fPending}},
	{TypeImport, []string{fFunction, fParams, fResult}},
	{TypeUpgrade, []string{fSHA256, fVersionID, fMode}},
	{TypeSnapshot, []string{fOp, fFunction, fSHA256, fSize}},
}

// allowedFields returns the fields events of type t may carry; false for
// a type allowed does not list.
func allowedFields(t Type) ([]string, bool) {
	for _, a := range allowed {
		if a.typ == t {
			return a.fields, true
		}
	}
	return nil, false
}

// present returns the names of e's set fields, in declaration order.
func (e *Event) present() []string {
	var p []string
	add := func(set bool, name string) {
		if set {
			p = append(p, name)
		}
	}
	add(e.Function != "", fFunction)
	add(e.Params != "", fParams)
	add(e.Result != nil, fResult)
	add(e.Trap != "", fTrap)
	add(e.Pending, fPending)
	add(e.SHA256 != "", fSHA256)
	add(e.VersionID != "", fVersionID)
	add(e.Mode != "", fMode)
	add(e.Op != "", fOp)
	add(e.Size != nil, fSize)
	return p
}

// Validate checks that e is a well-formed event: a known type, the fields
// that type requires, none that it does not have, and well-formed names,
// digests and times. It does not parse WAVE: that needs the function's
// signature.
func (e *Event) Validate() error {
	ok, known := allowedFields(e.Type)
	if !known {
		switch e.Type {
		case "":
			return fmt.Errorf("event has no type")
		case TypeHeader:
			return fmt.Errorf("a second header line; the header is only the first line")
		}
		return fmt.Errorf("unknown event type %q (want invoke, import, upgrade or snapshot)", e.Type)
	}
	for _, f := range e.present() {
		if !contains(ok, f) {
			return fmt.Errorf("%s event has a %q field, which only %s events have", e.Type, f, typesWith(f))
		}
	}
	if e.Time != "" {
		if _, err := time.Parse(time.RFC3339Nano, e.Time); err != nil {
			return fmt.Errorf("time %q is not an RFC 3339 time", e.Time)
		}
	}
	switch e.Type {
	case TypeInvoke, TypeImport:
		if err := checkFunction(e.Function); err != nil {
			return fmt.Errorf("%s event: %w", e.Type, err)
		}
		if err := checkParams(e.Params); err != nil {
			return fmt.Errorf("%s event for %s: %w", e.Type, e.Function, err)
		}
		if e.Type == TypeImport {
			if e.Result == nil {
				return fmt.Errorf("import event for %s has no result (use \"\" for a function without result)", e.Function)
			}
			return nil
		}
		n := 0
		for _, b := range []bool{e.Result != nil, e.Trap != "", e.Pending} {
			if b {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("invoke event for %s must have exactly one of result, trap and pending (it has %d)", e.Function, n)
		}
	case TypeUpgrade:
		if err := checkDigest(fSHA256, e.SHA256); err != nil {
			return fmt.Errorf("upgrade event: %w", err)
		}
		if e.VersionID == "" {
			return fmt.Errorf("upgrade event has no version_id")
		}
		if err := checkText(fVersionID, e.VersionID); err != nil {
			return fmt.Errorf("upgrade event: %w", err)
		}
		switch e.Mode {
		case ModeRestart, ModeReplay, ModeSnapshot, ModeInFlight:
		case "":
			return fmt.Errorf("upgrade event has no mode (want restart, replay, snapshot or in-flight)")
		default:
			return fmt.Errorf("upgrade event has unknown mode %q (want restart, replay, snapshot or in-flight)", e.Mode)
		}
	case TypeSnapshot:
		switch e.Op {
		case OpSave, OpLoad:
		case "":
			return fmt.Errorf("snapshot event has no op (want save or load)")
		default:
			return fmt.Errorf("snapshot event has unknown op %q (want save or load)", e.Op)
		}
		if e.Function != "" {
			if err := checkFunction(e.Function); err != nil {
				return fmt.Errorf("snapshot event: %w", err)
			}
		}
		if e.SHA256 != "" {
			if err := checkDigest(fSHA256, e.SHA256); err != nil {
				return fmt.Errorf("snapshot event: %w", err)
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// typesWith names the event types that may carry field f.
func typesWith(f string) string {
	var ts []string
	for _, a := range allowed {
		if contains(a.fields, f) {
			ts = append(ts, string(a.typ))
		}
	}
	return strings.Join(ts, " and ")
}

func checkDigest(field, s string) error {
	if s == "" {
		return fmt.Errorf("no %s", field)
	}
	if len(s) != 64 {
		return fmt.Errorf("%s %q is not 64 hex digits", field, clip(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("%s %q is not 64 lower-case hex digits", field, clip(s))
		}
	}
	return nil
}

// checkText refuses control characters in identifiers that end up in
// one-line messages.
func checkText(field, s string) error {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%s %q contains a control character", field, clip(s))
		}
	}
	return nil
}

func checkFunction(name string) error {
	if name == "" {
		return fmt.Errorf("no function")
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("function %q contains white space or a control character", clip(name))
		}
	}
	if strings.HasPrefix(name, "#") || strings.HasSuffix(name, "#") {
		return fmt.Errorf("function %q: want INTERFACE#FUNCTION or a world-level FUNCTION", clip(name))
	}
	return nil
}

func checkParams(p string) error {
	t := strings.TrimSpace(p)
	if t == "" {
		return fmt.Errorf("no params (use \"()\" for a function without parameters)")
	}
	if t[0] != '(' || t[len(t)-1] != ')' {
		return fmt.Errorf("params %q is not a WAVE argument list \"(...)\"", clip(p))
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const n = 80
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
