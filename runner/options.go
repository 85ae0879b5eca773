package runner

import (
	"io"
	"time"

	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/runner/wasi"
)

// Defaults of the sandbox.
const (
	DefaultMaxMemory = 256 << 20
	DefaultTimeout   = 10 * time.Second
)

// Options configure an instance.
type Options struct {
	// Env is the environment the guest sees (empty by default).
	Env [][2]string
	// Args are the guest's arguments (none by default).
	Args []string
	// Clock is the start of the virtual clock (wasi.DefaultClock when zero).
	Clock time.Time
	// Seed seeds the guest's random numbers.
	Seed uint64
	// HTTP answers the guest's outgoing HTTP requests; nil denies them.
	HTTP *wasi.HTTPResponse
	// StubMissing lets a component whose imports the host lacks be
	// instantiated: each missing function traps with its name when called.
	StubMissing bool
	// MaxMemory bounds each linear memory, in bytes (DefaultMaxMemory when 0).
	MaxMemory uint64
	// Timeout bounds each invocation (DefaultTimeout when 0; negative: none).
	// When it expires the instance is closed.
	Timeout time.Duration
	// CacheDir is the compilation cache directory ("" for the default under
	// the user cache dir; "off" for none).
	CacheDir string
	// Stdout and Stderr receive what the guest prints (discarded when nil).
	Stdout, Stderr io.Writer
	// Log, when set, receives the event log: the header at instantiation,
	// then each invocation and the import calls it made.
	Log io.Writer
	// VersionID is the log header's version id (by default the artifact's
	// manifest's, or one derived from its digest).
	VersionID string
	// Worker optionally names the worker in the log header.
	Worker string
	// Intercept, when set, sees every import call before the host does, and
	// may answer it itself (a replayer). Its answers are what is recorded.
	Intercept component.Interceptor
	// NoImportEvents leaves Outcome.Imports empty when Log is unset: the
	// import calls are not rendered to WAVE (a replayer, which answers and
	// checks them itself, saves that work).
	NoImportEvents bool
}

func (o *Options) maxMemory() uint64 {
	if o.MaxMemory == 0 {
		return DefaultMaxMemory
	}
	return o.MaxMemory
}

func (o *Options) timeout() time.Duration {
	if o.Timeout == 0 {
		return DefaultTimeout
	}
	return o.Timeout
}
