package replay

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/fsinput"
	"github.com/wfcompat/wfcompat/runner"
)

// Schema identifies the JSON form of a Report.
const Schema = "wfcompat.replay/v1"

// Report is the outcome of replaying many logs on one build.
type Report struct {
	Schema   string       `json:"schema"`
	Artifact ArtifactInfo `json:"artifact"`
	// Shards names the shards merged into the report ("1/4"), or the one it
	// covers; empty for an unsharded run.
	Shards  []string     `json:"shards,omitempty"`
	Logs    []*LogResult `json:"logs"`
	Summary Summary      `json:"summary"`
}

// ArtifactInfo names the build replayed on.
type ArtifactInfo struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// LogResult is one log's outcome: it replays (OK), diverges (Divergence),
// or could not be replayed (Error).
type LogResult struct {
	Log         string      `json:"log"`
	OK          bool        `json:"ok"`
	Events      int         `json:"events"`
	Invocations int         `json:"invocations"`
	Divergence  *Divergence `json:"divergence,omitempty"`
	Error       string      `json:"error,omitempty"`
}

// Summary counts the logs by outcome and the divergences by reason.
type Summary struct {
	Total    int            `json:"total"`
	OK       int            `json:"ok"`
	Diverged int            `json:"diverged"`
	Errors   int            `json:"errors"`
	ByReason map[string]int `json:"by_reason"`
}

// Shard is the I-th (1-based) of N shards of a log set.
type Shard struct{ I, N int }

// ParseShard reads "I/N".
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N", s)
	}
	return Shard{I: i, N: n}, nil
}

// String returns "I/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Select returns the logs of shard s: the paths sorted, then every N-th
// starting at the I-th. Every shard of a CI matrix must be given the same
// set of paths (in any order); the shards partition it.
func (s Shard) Select(paths []string) []string {
	if s.N <= 1 {
		return paths
	}
	sorted := slices.Clone(paths)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var out []string
	for k, p := range sorted {
		if k%s.N == s.I-1 {
			out = append(out, p)
		}
	}
	return out
}

// BatchOptions configure ReplayFiles.
type BatchOptions struct {
	Options
	// Jobs is the number of logs replayed at once (runtime.NumCPU() when 0).
	Jobs int
	// Shard, when N > 1, replays only that shard of the paths.
	Shard Shard
	// Progress, when set, is called after each log with the number done
	// and the total (from one goroutine at a time).
	Progress func(done, total int)
}

// ReplayFiles replays every log file on a, Jobs at a time, and reports
// them in the order given. The instances share one engine.
func ReplayFiles(ctx context.Context, a *analyze.Artifact, paths []string, opts BatchOptions) (*Report, error) {
	paths = opts.Shard.Select(fsinput.Unique(paths))
	rep := &Report{Schema: Schema, Artifact: ArtifactInfo{Path: a.Path, SHA256: a.SHA256}, Logs: make([]*LogResult, len(paths))}
	if opts.Shard.N > 1 {
		rep.Shards = []string{opts.Shard.String()}
	}
	if opts.Engine == nil {
		e, err := runner.NewEngine(opts.Runner.CacheDir)
		if err != nil {
			return nil, err
		}
		defer e.Close(ctx)
		opts.Engine = e
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	var mu sync.Mutex
	done := 0
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(jobs, max(len(paths), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				r := replayFile(ctx, a, paths[k], opts.Options)
				mu.Lock()
				rep.Logs[k] = r
				done++
				if opts.Progress != nil {
					opts.Progress(done, len(paths))
				}
				mu.Unlock()
			}
		}()
	}
	for k := range paths {
		if ctx.Err() != nil {
			break
		}
		work <- k
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep.summarize()
	return rep, nil
}

func replayFile(ctx context.Context, a *analyze.Artifact, path string, opts Options) *LogResult {
	r := &LogResult{Log: path}
	l, err := ReadLog(path)
	if err != nil {
		r.Error = oneLine(err.Error())
		return r
	}
	opts.Keep = false
	res, err := Replay(ctx, a, l, opts)
	if err != nil {
		var le *eventlog.Error
		if !errors.As(err, &le) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		r.Error = oneLine(err.Error())
		return r
	}
	r.Events, r.Invocations = res.Events, res.Invocations
	r.Divergence = res.Divergence
	r.OK = res.Divergence == nil
	return r
}

func (rep *Report) summarize() {
	s := Summary{ByReason: map[string]int{}}
	for _, r := range rep.Logs {
		s.Total++
		switch {
		case r.Error != "":
			s.Errors++
		case r.OK:
			s.OK++
		default:
			s.Diverged++
			s.ByReason[string(r.Divergence.Reason)]++
		}
	}
	rep.Summary = s
}

// IncompleteError is Merge's error for reports that fit together but
// leave shards of their split out. A prefix of a complete set of reports
// gives it too, so it names no report that does not fit.
type IncompleteError struct {
	// Missing names the shards not given ("3/4").
	Missing []string
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("shard %s is missing: the merged report would leave its logs out", strings.Join(e.Missing, ", "))
}

// Merge combines the reports of the shards of one log set (replayed on the
// same build) into one report.
func Merge(reports []*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("nothing to merge")
	}
	out := &Report{Schema: Schema, Artifact: reports[0].Artifact, Logs: []*LogResult{}}
	seen := map[string]bool{}
	// The shards of one log set: all of them, each once, of one count N
	// (a missing shard would leave its logs out of a summary that passes).
	shards, unsharded := map[int]bool{}, 0
	n, firstShard := 0, ""
	for _, r := range reports {
		if r.Schema != Schema {
			return nil, fmt.Errorf("schema %q; want %q", r.Schema, Schema)
		}
		if r.Artifact.SHA256 != out.Artifact.SHA256 {
			return nil, fmt.Errorf("the reports replayed different builds (%s and %s)", out.Artifact.Path, r.Artifact.Path)
		}
		if len(r.Shards) == 0 {
			unsharded++
		}
		for _, s := range r.Shards {
			if seen["shard "+s] {
				return nil, fmt.Errorf("shard %s is given twice", s)
			}
			seen["shard "+s] = true
			sh, err := ParseShard(s)
			if err != nil {
				return nil, fmt.Errorf("a report names shard %q: %w", s, err)
			}
			if n != 0 && sh.N != n {
				return nil, fmt.Errorf("the reports are shards of different splits (%s and %s)", firstShard, s)
			}
			n, firstShard = sh.N, s
			shards[sh.I] = true
		}
		out.Shards = append(out.Shards, r.Shards...)
		for _, l := range r.Logs {
			if l == nil {
				return nil, errors.New("a report has a null log entry")
			}
			if !l.OK && l.Error == "" && (l.Divergence == nil || l.Divergence.Reason == "") {
				return nil, fmt.Errorf("log %s is neither ok nor has a divergence or an error", l.Log)
			}
			if l.OK && (l.Error != "" || l.Divergence != nil) {
				return nil, fmt.Errorf("log %s is ok and has a divergence or an error", l.Log)
			}
			if seen[l.Log] {
				return nil, fmt.Errorf("log %s is in two reports", l.Log)
			}
			seen[l.Log] = true
			out.Logs = append(out.Logs, l)
		}
	}
	if n > 0 {
		if unsharded > 0 {
			return nil, fmt.Errorf("%d of the reports are shards of %d and %d are not sharded: merge the shards of one log set", len(reports)-unsharded, n, unsharded)
		}
		var missing []string
		for i := 1; i <= n; i++ {
			if !shards[i] {
				missing = append(missing, Shard{I: i, N: n}.String())
			}
		}
		if len(missing) > 0 {
			return nil, &IncompleteError{Missing: missing}
		}
	}
	slices.SortStableFunc(out.Logs, func(a, b *LogResult) int { return strings.Compare(a.Log, b.Log) })
	out.summarize()
	return out, nil
}

// ReadLog reads the event log at path: a regular file only (not a device
// or a FIFO, which could block or never end).
func ReadLog(path string) (*eventlog.Log, error) {
	f, err := analyze.OpenRegular(path)
	if err != nil {
		return nil, &eventlog.Error{File: path, Err: err}
	}
	defer f.Close()
	return eventlog.Read(f, path)
}
