package replay

import (
	"strings"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/wit"
)

// Class says how a replay treats an import call.
type Class uint8

const (
	// Live calls are executed by the runner's host during replay and never
	// compared with the log: Golem keeps no oplog entry for them (stdio
	// and stream plumbing, local resource construction, polling), or only
	// a hint entry that replay skips.
	Live Class = iota
	// Durable calls are served from the log: the next durable entry of the
	// invocation must name the same function (interface#function, versions
	// ignored), and its recorded result is returned to the guest, as Golem
	// returns the recorded ImportedFunctionInvoked response. A durable call
	// whose result holds a handle of a host resource cannot be rebuilt from
	// text: it is matched and consumed the same way, then executed by the
	// host, whose answer must equal the recorded one up to handle numbers.
	Durable
	// BodyRead is a read of an input stream: durable when the stream is the
	// body of an HTTP response (Golem records those reads), live otherwise
	// (stdin).
	BodyRead
)

// String names the class as docs/replay.md does.
func (c Class) String() string {
	switch c {
	case Durable:
		return "durable"
	case BodyRead:
		return "durable for HTTP bodies"
	}
	return "live"
}

// Rule is one line of the durability table: an interface (without version)
// and a function ("*": every function of the interface).
type Rule struct {
	Interface, Function string
	Class               Class
	// Why says what Golem does.
	Why string
}

// Table is the durability table, checked against golem-worker-executor's
// durable host (golemcloud/golem v1.3.0, src/durable_host/; docs/replay.md
// names the file per interface): the first rule naming the call's
// interface and function wins. A function is durable when Golem wraps it in
// Durability::new (an ImportedFunctionInvoked entry replay must find in
// order), or when it writes an oplog entry of its own that replay consumes
// in order (BeginRemoteWrite, BeginAtomicRegion, ChangeRetryPolicy, …);
// a function Golem only observes (observe_function_call) is live.
// Interfaces the table does not name are live when they are wasi:* and
// durable otherwise (RPC clients, platform APIs: external effects).
func Table() []Rule {
	return []Rule{
		// clocks/wall_clock.rs, clocks/monotonic_clock.rs
		{"wasi:clocks/wall-clock", "now", Durable, "wall_clock now: ReadLocal, persisted, replayed"},
		{"wasi:clocks/wall-clock", "resolution", Durable, "wall_clock resolution: ReadLocal, persisted"},
		{"wasi:clocks/monotonic-clock", "now", Durable, "monotonic_clock now: ReadLocal, persisted"},
		{"wasi:clocks/monotonic-clock", "resolution", Durable, "monotonic_clock resolution: ReadLocal, persisted"},
		{"wasi:clocks/monotonic-clock", "subscribe-duration", Durable, "the start instant is persisted (ReadLocal); the pollable is live"},
		{"wasi:clocks/monotonic-clock", "subscribe-instant", Live, "observed only"},
		// random/random.rs, random/insecure.rs, random/insecure_seed.rs
		{"wasi:random/random", "*", Durable, "random bytes and u64: ReadLocal, persisted"},
		{"wasi:random/insecure", "*", Durable, "ReadLocal, persisted"},
		{"wasi:random/insecure-seed", "*", Durable, "ReadLocal, persisted"},
		// cli/environment.rs, cli/exit.rs, cli/std*.rs, cli/terminal_*.rs
		{"wasi:cli/environment", "*", Durable, "environment, arguments and cwd: golem_environment, ReadLocal, persisted"},
		{"wasi:cli/exit", "*", Live, "observed only; ends the worker"},
		{"wasi:cli/stdin", "*", Live, "stdio: observed only"},
		{"wasi:cli/stdout", "*", Live, "stdio: observed only"},
		{"wasi:cli/stderr", "*", Live, "stdio: observed only"},
		{"wasi:cli/terminal-input", "*", Live, "stdio"},
		{"wasi:cli/terminal-output", "*", Live, "stdio"},
		{"wasi:cli/terminal-stdin", "*", Live, "stdio"},
		{"wasi:cli/terminal-stdout", "*", Live, "stdio"},
		{"wasi:cli/terminal-stderr", "*", Live, "stdio"},
		// io/streams.rs, io/poll.rs, io/error.rs
		{"wasi:io/streams", "[method]input-stream.read", BodyRead, "http::types::incoming_body_stream read: WriteRemoteBatched, persisted"},
		{"wasi:io/streams", "[method]input-stream.blocking-read", BodyRead, "incoming_body_stream blocking_read, persisted"},
		{"wasi:io/streams", "[method]input-stream.skip", BodyRead, "incoming_body_stream skip, persisted"},
		{"wasi:io/streams", "[method]input-stream.blocking-skip", BodyRead, "incoming_body_stream blocking_skip, persisted"},
		{"wasi:io/streams", "*", Live, "stream plumbing: observed only; stdout/stderr writes are log events"},
		{"wasi:io/poll", "poll", Durable, "io::poll poll: ReadLocal, the ready indices persisted"},
		{"wasi:io/poll", "[method]pollable.block", Durable, "block runs poll: a persisted poll entry"},
		{"wasi:io/poll", "[method]pollable.ready", Durable, "io::poll ready: persisted in later Golem, observed only in 1.1 (durable here: errs towards a divergence)"},
		{"wasi:io/poll", "*", Live, "pollable drop: observed only"},
		{"wasi:io/error", "*", Live, "observed only"},
		// filesystem/types.rs, filesystem/preopens.rs
		{"wasi:filesystem/types", "[method]descriptor.stat", Durable, "file times: ReadLocal, persisted"},
		{"wasi:filesystem/types", "[method]descriptor.stat-at", Durable, "file times: ReadLocal, persisted"},
		{"wasi:filesystem/types", "[method]descriptor.metadata-hash", Durable, "runs stat: a persisted stat entry"},
		{"wasi:filesystem/types", "[method]descriptor.metadata-hash-at", Durable, "runs stat_at: a persisted stat_at entry"},
		{"wasi:filesystem/types", "*", Live, "the worker's own file system: observed only"},
		{"wasi:filesystem/preopens", "*", Live, "the worker's own file system"},
		// http/outgoing_http.rs, http/types.rs
		{"wasi:http/outgoing-handler", "handle", Durable, "begins a remote write (BeginRemoteWrite entry, consumed in order on replay)"},
		{"wasi:http/types", "[method]future-incoming-response.get", Durable, "the response head: WriteRemoteBatched, persisted"},
		{"wasi:http/types", "[method]future-trailers.get", Durable, "the trailers: persisted"},
		{"wasi:http/types", "*", Live, "request building and response reading: observed only"},
		// logging/logging.rs
		{"wasi:logging/logging", "*", Live, "observed only; a log event"},
		// keyvalue/eventual.rs, keyvalue/types.rs; eventual_batch and error via the oplog.rs registry
		{"wasi:keyvalue/eventual", "*", Durable, "external store: ReadRemote/WriteRemote, persisted"},
		{"wasi:keyvalue/eventual-batch", "*", Durable, "external store: ReadRemote/WriteRemote, persisted"},
		{"wasi:keyvalue/types", "*", Live, "bucket and value handles, local buffers: observed only"},
		{"wasi:keyvalue/wasi-keyvalue-error", "*", Live, "observed only"},
		{"wasi:keyvalue", "*", Durable, "external store"},
		// blobstore/ (not checked at v1.3.0: see docs/replay.md)
		{"wasi:blobstore", "*", Durable, "external store"},
		// sockets/ip_name_lookup.rs
		{"wasi:sockets/ip-name-lookup", "resolve-addresses", Durable, "ReadRemote: the whole address list persisted"},
		{"wasi:sockets/ip-name-lookup", "*", Live, "iterates the persisted list: observed only"},
		// golem/v1x.rs (golem:api/host)
		{"golem:api/host", "create-promise", Durable, "WriteLocal, persisted"},
		{"golem:api/host", "poll-promise", Durable, "ReadRemote, persisted"},
		{"golem:api/host", "complete-promise", Durable, "WriteLocal, persisted"},
		{"golem:api/host", "delete-promise", Durable, "WriteLocal, persisted"},
		{"golem:api/host", "generate-idempotency-key", Durable, "WriteRemote, persisted"},
		{"golem:api/host", "update-worker", Durable, "WriteRemote, persisted"},
		{"golem:api/host", "fork-worker", Durable, "WriteRemote, persisted"},
		{"golem:api/host", "revert-worker", Durable, "WriteRemote, persisted"},
		{"golem:api/host", "resolve-component-id", Durable, "WriteRemote, persisted"},
		{"golem:api/host", "resolve-worker-id", Durable, "runs resolve_component_id: a persisted entry"},
		{"golem:api/host", "resolve-worker-id-strict", Durable, "WriteRemote, persisted"},
		{"golem:api/host", "fork", Durable, "WriteRemote, persisted"},
		{"golem:api/host", "get-oplog-index", Durable, "writes a NoOp entry, consumed in order on replay"},
		{"golem:api/host", "mark-begin-operation", Durable, "writes BeginAtomicRegion, consumed in order on replay"},
		{"golem:api/host", "mark-end-operation", Durable, "writes EndAtomicRegion, consumed in order on replay"},
		{"golem:api/host", "set-retry-policy", Durable, "writes ChangeRetryPolicy, consumed in order on replay"},
		{"golem:api/host", "set-oplog-persistence-level", Durable, "writes ChangePersistenceLevel (when the level changes), consumed in order"},
		{"golem:api/host", "await-promise", Live, "observed only; re-polls the promise service"},
		{"golem:api/host", "set-oplog-index", Live, "live: writes a Jump and restarts; replay does nothing"},
		{"golem:api/host", "oplog-commit", Live, "observed only"},
		{"golem:api/host", "get-retry-policy", Live, "observed only"},
		{"golem:api/host", "get-oplog-persistence-level", Live, "observed only"},
		{"golem:api/host", "get-idempotence-mode", Live, "observed only"},
		{"golem:api/host", "set-idempotence-mode", Live, "observed only"},
		{"golem:api/host", "get-self-metadata", Live, "observed only"},
		{"golem:api/host", "get-worker-metadata", Live, "observed only"},
		{"golem:api/host", "[constructor]get-workers", Live, "observed only"},
		{"golem:api/host", "[method]get-workers.get-next", Live, "observed only"},
		{"golem:api/oplog", "*", Live, "get-oplog, search-oplog: observed only"},
		// golem/invocation_context_api.rs
		{"golem:api/context", "*", Live, "invocation context and spans: observed only"},
	}
}

// classifier answers Classify from the table, indexed.
type classifier struct {
	exact map[string]Class // "iface#fn"
	whole map[string]Class // "iface"
	seen  map[string]Class // answers so far, by qualified name
}

func newClassifier() *classifier {
	c := &classifier{exact: map[string]Class{}, whole: map[string]Class{}, seen: map[string]Class{}}
	for _, r := range Table() {
		if r.Function == "*" {
			if _, ok := c.whole[r.Interface]; !ok {
				c.whole[r.Interface] = r.Class
			}
			continue
		}
		k := r.Interface + "#" + r.Function
		if _, ok := c.exact[k]; !ok {
			c.exact[k] = r.Class
		}
	}
	return c
}

// Classify returns the class of an import call named by its qualified
// name ("wasi:clocks/wall-clock@0.2.0#now").
func Classify(name string) Class { return newClassifier().classify(name) }

func (c *classifier) classify(name string) Class {
	if cl, ok := c.seen[name]; ok {
		return cl
	}
	cl := c.lookup(name)
	c.seen[name] = cl
	return cl
}

func (c *classifier) lookup(name string) Class {
	iface, fn := eventlog.SplitName(name)
	u := unversioned(iface)
	if cl, ok := c.exact[u+"#"+fn]; ok {
		return cl
	}
	if cl, ok := c.whole[u]; ok {
		return cl
	}
	// wasi:keyvalue/eventual: a package-wide rule.
	if p, _, ok := strings.Cut(u, "/"); ok {
		if cl, ok := c.whole[p]; ok {
			return cl
		}
	}
	if strings.HasPrefix(u, "wasi:") {
		return Live
	}
	return Durable
}

func unversioned(iface string) string {
	if iface == "" {
		return ""
	}
	return wit.UnversionedName(iface)
}

// sameName reports whether two qualified names name the same function,
// versions ignored (Golem matches interface::function).
func sameName(a, b string) bool {
	if a == b {
		return true
	}
	ai, af := eventlog.SplitName(a)
	bi, bf := eventlog.SplitName(b)
	return af == bf && unversioned(ai) == unversioned(bi)
}
