package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// The commands that run Wasm, in every build: their names and one-line
// help, here once, and the options and host flags diff shares with them.
// A lean build (-tags lean) has the commands too, with the same names and
// help, but hands each run to wfcompat-full (lean.go); the complete build
// has them in run.go, resume.go, replay.go and upgrade.go.

// Use and Short of the commands that run Wasm.
const (
	runUse       = "run ARTIFACT --invoke 'IFACE#FUNC(ARGS)' [--invoke …] [--log run.jsonl]"
	runShort     = "Run a component or core module in the sandboxed, deterministic runner"
	replayUse    = "replay NEW LOG... | replay --merge REPORT.json..."
	replayShort  = "Replay recorded event logs on a new build, as Golem's automatic update does"
	upgradeUse   = "upgrade --from OLD --to NEW --log LOG --mode automatic|snapshot|restart [--log-out OUT]"
	upgradeShort = "Upgrade a recorded worker from OLD to NEW as Golem would, and say whether it reverts"
)

// defaultTimeout is the default of --timeout: runner.DefaultTimeout, which
// a lean build, linking no runner, cannot name (a test of the complete
// build holds the two equal).
const defaultTimeout = 10 * time.Second

// RunOptions are the inputs of `wfcompat run`.
type RunOptions struct {
	IO          *IO
	Path        string
	Invokes     []string
	Invocations string
	Log         string
	JSON        bool
	Env         []string
	Args        []string
	Clock       string
	Seed        uint64
	HTTPRespond string
	StubMissing bool
	MaxMemory   string
	Timeout     time.Duration
	CacheDir    string
	FailOnErr   bool
	VersionID   string
}

// hostFlagNames are the flags addHostFlags adds.
func hostFlagNames() []string {
	return []string{"env", "clock", "seed", "http-respond", "stub-missing", "max-memory", "timeout", "cache-dir"}
}

// addHostFlags adds the runner's host flags (as `wfcompat run` has them).
func addHostFlags(f interface {
	Var(pflag.Value, string, string)
	StringVar(*string, string, string, string)
	Uint64Var(*uint64, string, uint64, string)
	BoolVar(*bool, string, bool, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}, o *RunOptions) {
	stringArrayVar(f, &o.Env, "env", "set an environment variable the guest sees; repeatable: `K=V`")
	f.StringVar(&o.Clock, "clock", "", "start of the virtual clock, RFC 3339")
	f.Uint64Var(&o.Seed, "seed", 0, "seed of the guest's random numbers")
	f.StringVar(&o.HTTPRespond, "http-respond", "", "answer outgoing HTTP requests locally: `STATUS[:BODY-FILE]` (default: the first status the log records)")
	f.BoolVar(&o.StubMissing, "stub-missing", false, "instantiate even when imports are missing; each traps with its name when called")
	f.StringVar(&o.MaxMemory, "max-memory", "256MiB", "limit of each linear memory")
	f.DurationVar(&o.Timeout, "timeout", defaultTimeout, "limit of each invocation")
	f.StringVar(&o.CacheDir, "cache-dir", "", "compilation cache directory (off for none)")
}

// expandLogs expands glob patterns among log arguments (a pattern naming no
// file is an error; a plain path is kept for the reader to report).
func expandLogs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !strings.ContainsAny(a, "*?[") {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil {
			return nil, fmt.Errorf("--log %q: %w", a, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("--log %q names no file", a)
		}
		out = append(out, m...)
	}
	return out, nil
}
