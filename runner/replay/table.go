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

// Table is the durability table, matching golem-worker-executor's durable
// host (golemcloud/golem v1.3.0, durable_host/): the first rule naming the
// call's interface and function wins. Interfaces it does not name are
// live when they are wasi:* and durable otherwise (golem:api/host,
// RPC clients, any platform API: external effects).
func Table() []Rule {
	return []Rule{
		{"wasi:clocks/wall-clock", "now", Durable, "WallClock now: persisted, replayed"},
		{"wasi:clocks/wall-clock", "resolution", Durable, "persisted, replayed"},
		{"wasi:clocks/monotonic-clock", "now", Durable, "MonotonicClock now: persisted, replayed"},
		{"wasi:clocks/monotonic-clock", "resolution", Durable, "persisted, replayed"},
		{"wasi:clocks/monotonic-clock", "subscribe-duration", Durable, "the start instant is persisted; the pollable is live"},
		{"wasi:clocks/monotonic-clock", "subscribe-instant", Live, "observed only"},
		{"wasi:random/random", "*", Durable, "random bytes and u64 persisted"},
		{"wasi:random/insecure", "*", Durable, "persisted"},
		{"wasi:random/insecure-seed", "*", Durable, "persisted"},
		{"wasi:cli/environment", "*", Durable, "environment, arguments and cwd persisted"},
		{"wasi:cli/exit", "*", Live, "ends the worker"},
		{"wasi:cli/stdin", "*", Live, "stdio: log hints only"},
		{"wasi:cli/stdout", "*", Live, "stdio: log hints only"},
		{"wasi:cli/stderr", "*", Live, "stdio: log hints only"},
		{"wasi:cli/terminal-input", "*", Live, "stdio"},
		{"wasi:cli/terminal-output", "*", Live, "stdio"},
		{"wasi:cli/terminal-stdin", "*", Live, "stdio"},
		{"wasi:cli/terminal-stdout", "*", Live, "stdio"},
		{"wasi:cli/terminal-stderr", "*", Live, "stdio"},
		{"wasi:io/streams", "[method]input-stream.read", BodyRead, "HTTP body reads persisted"},
		{"wasi:io/streams", "[method]input-stream.blocking-read", BodyRead, "HTTP body reads persisted"},
		{"wasi:io/streams", "[method]input-stream.skip", BodyRead, "HTTP body reads persisted"},
		{"wasi:io/streams", "[method]input-stream.blocking-skip", BodyRead, "HTTP body reads persisted"},
		{"wasi:io/streams", "*", Live, "stream plumbing; stdout/stderr writes are log hints"},
		{"wasi:io/poll", "*", Live, "polling is live"},
		{"wasi:io/error", "*", Live, "local resource"},
		{"wasi:filesystem/types", "[method]descriptor.stat", Durable, "file timestamps persisted"},
		{"wasi:filesystem/types", "[method]descriptor.stat-at", Durable, "file timestamps persisted"},
		{"wasi:filesystem/types", "*", Live, "the worker's own file system"},
		{"wasi:filesystem/preopens", "*", Live, "the worker's own file system"},
		{"wasi:http/outgoing-handler", "handle", Durable, "starts a persisted HTTP request"},
		{"wasi:http/types", "[method]future-incoming-response.get", Durable, "the response is persisted"},
		{"wasi:http/types", "*", Live, "request building and response reading are local"},
		{"wasi:logging/logging", "*", Live, "log hints only"},
		{"wasi:keyvalue", "*", Durable, "external store"},
		{"wasi:blobstore", "*", Durable, "external store"},
		{"wasi:sockets/ip-name-lookup", "*", Durable, "persisted"},
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
	return wit.ParseQName(iface).Unversioned()
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
