package wasi

import (
	"context"
	"fmt"
	"time"

	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

type hf = component.HostFunc
type call = component.HostCall

// Host objects.
type (
	inStream struct {
		data []byte
	}
	outStream struct {
		w   func([]byte)
		buf []byte
	}
	pollable struct {
		deadline time.Duration // virtual time at which it is ready; 0: ready
	}
	ioError    struct{ msg string }
	fields     struct{ entries [][2]string }
	outRequest struct {
		headers uint32
		body    uint32
		taken   bool
	}
	outBody struct {
		stream uint32
		taken  bool
	}
	reqOptions struct{}
	futureResp struct {
		resp   uint32
		taken  bool
		denied bool
	}
	inResponse struct {
		status   uint16
		headers  uint32
		body     []byte
		consumed bool
	}
	inBody struct {
		data  []byte
		taken bool
	}
)

func (h *Host) register() {
	h.cli()
	h.clocks()
	h.io()
	h.random()
	h.filesystem()
	h.http()
}

func (h *Host) cli() {
	env := h.iface("wasi:cli/environment")
	env.Funcs["get-environment"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		vs := make([]value.Value, len(h.cfg.Env))
		for i, kv := range h.cfg.Env {
			vs[i] = value.Tuple(value.String(kv[0]), value.String(kv[1]))
		}
		return one(value.List(vs...)), nil
	}
	env.Funcs["get-arguments"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		vs := make([]value.Value, len(h.cfg.Args))
		for i, a := range h.cfg.Args {
			vs[i] = value.String(a)
		}
		return one(value.List(vs...)), nil
	}
	env.Funcs["initial-cwd"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.None()), nil
	}
	exit := h.iface("wasi:cli/exit")
	exit.Funcs["exit"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		code := uint32(0)
		if args[0].Case() != 0 {
			code = 1
		}
		return nil, &component.Exit{Code: code}
	}
	stdin := h.iface("wasi:cli/stdin")
	stdin.Funcs["get-stdin"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Own(h.add(&inStream{}))), nil
	}
	stdout := h.iface("wasi:cli/stdout")
	stdout.Funcs["get-stdout"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Own(h.add(&outStream{w: func(b []byte) { h.cfg.Stdout.Write(b) }}))), nil
	}
	// No terminal is attached: the terminal interfaces exist (wasi
	// components built by the Rust and C toolchains import them) and say
	// so.
	h.iface("wasi:cli/terminal-input", "terminal-input")
	h.iface("wasi:cli/terminal-output", "terminal-output")
	noTerminal := func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.None()), nil
	}
	for _, n := range []string{"stdin", "stdout", "stderr"} {
		t := h.iface("wasi:cli/terminal-" + n)
		t.Funcs["get-terminal-"+n] = noTerminal
	}
	stderr := h.iface("wasi:cli/stderr")
	stderr.Funcs["get-stderr"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Own(h.add(&outStream{w: func(b []byte) { h.cfg.Stderr.Write(b) }}))), nil
	}
}

func (h *Host) clocks() {
	mono := h.iface("wasi:clocks/monotonic-clock")
	mono.Funcs["now"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.U64(uint64(MonotonicStart + h.elapsed))), nil
	}
	mono.Funcs["resolution"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.U64(1)), nil
	}
	mono.Funcs["subscribe-instant"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		when := time.Duration(min(args[0].Uint(), 1<<62))
		return one(value.Own(h.add(&pollable{deadline: max(when-MonotonicStart, 0)}))), nil
	}
	mono.Funcs["subscribe-duration"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		d := args[0].Uint()
		if d > 1<<62 {
			d = 1 << 62
		}
		return one(value.Own(h.add(&pollable{deadline: h.elapsed + time.Duration(d)}))), nil
	}
	wall := h.iface("wasi:clocks/wall-clock")
	datetime := func(t time.Time) value.Value {
		return value.Record(value.U64(uint64(t.Unix())), value.U32(uint32(t.Nanosecond())))
	}
	wall.Funcs["now"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(datetime(h.Now())), nil
	}
	wall.Funcs["resolution"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Record(value.U64(0), value.U32(1))), nil
	}
}

func (h *Host) ready(p *pollable) bool { return p.deadline <= h.elapsed }

func (h *Host) io() {
	errs := h.iface("wasi:io/error", "error")
	errs.Funcs["[method]error.to-debug-string"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		e, err := get[*ioError](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		return one(value.String(e.msg)), nil
	}
	poll := h.iface("wasi:io/poll", "pollable")
	poll.Funcs["[method]pollable.ready"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		p, err := get[*pollable](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		return one(value.Bool(h.ready(p))), nil
	}
	poll.Funcs["[method]pollable.block"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		p, err := get[*pollable](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if !h.ready(p) {
			h.elapsed = p.deadline
		}
		return nil, nil
	}
	poll.Funcs["poll"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		in := args[0].Elems()
		if len(in) == 0 {
			return nil, fmt.Errorf("wasi:io/poll#poll: an empty list of pollables")
		}
		ps := make([]*pollable, len(in))
		for i, v := range in {
			p, err := get[*pollable](h, v.Handle())
			if err != nil {
				return nil, err
			}
			ps[i] = p
		}
		var ready []value.Value
		collect := func() {
			for i, p := range ps {
				if h.ready(p) {
					ready = append(ready, value.U32(uint32(i)))
				}
			}
		}
		collect()
		if len(ready) == 0 {
			// Nothing is ready: the guest waits, so virtual time moves to
			// the earliest deadline.
			next := ps[0].deadline
			for _, p := range ps[1:] {
				next = min(next, p.deadline)
			}
			h.elapsed = next
			collect()
		}
		return one(value.List(ready...)), nil
	}
	h.iface("wasi:io/streams", "input-stream", "output-stream")
	st := h.ifaces["wasi:io/streams"]
	h.use(st, "wasi:io/error", "error")
	h.use(st, "wasi:io/poll", "pollable")
	streamErr := func(c *call, closed bool) (value.Value, error) {
		t := c.Type.Result.Err
		if closed {
			i, err := caseOf(t, "closed")
			return value.Variant(i), err
		}
		i, err := caseOf(t, "last-operation-failed")
		return value.Variant(i, value.Own(h.add(&ioError{msg: "operation failed"}))), err
	}
	read := func(_ context.Context, c *call, args []value.Value) ([]value.Value, error) {
		s, err := get[*inStream](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if len(s.data) == 0 {
			e, err := streamErr(c, true)
			return one(value.Err(e)), err
		}
		n := min(args[1].Uint(), uint64(len(s.data)))
		b := s.data[:n]
		s.data = s.data[n:]
		return one(value.Ok(bytesValue(b))), nil
	}
	st.Funcs["[method]input-stream.read"] = read
	st.Funcs["[method]input-stream.blocking-read"] = read
	skip := func(_ context.Context, c *call, args []value.Value) ([]value.Value, error) {
		s, err := get[*inStream](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if len(s.data) == 0 {
			e, err := streamErr(c, true)
			return one(value.Err(e)), err
		}
		n := min(args[1].Uint(), uint64(len(s.data)))
		s.data = s.data[n:]
		return one(value.Ok(value.U64(n))), nil
	}
	st.Funcs["[method]input-stream.skip"] = skip
	st.Funcs["[method]input-stream.blocking-skip"] = skip
	readyPollable := func(_ context.Context, _ *call, _ []value.Value) ([]value.Value, error) {
		return one(value.Own(h.add(&pollable{}))), nil
	}
	st.Funcs["[method]input-stream.subscribe"] = readyPollable
	st.Funcs["[method]output-stream.subscribe"] = readyPollable
	const writeBudget = 1 << 20
	st.Funcs["[method]output-stream.check-write"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		if _, err := get[*outStream](h, args[0].Handle()); err != nil {
			return nil, err
		}
		return one(value.Ok(value.U64(writeBudget))), nil
	}
	write := func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		s, err := get[*outStream](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		s.w(valueBytes(args[1]))
		return one(value.Ok()), nil
	}
	st.Funcs["[method]output-stream.write"] = write
	st.Funcs["[method]output-stream.blocking-write-and-flush"] = write
	flush := func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		if _, err := get[*outStream](h, args[0].Handle()); err != nil {
			return nil, err
		}
		return one(value.Ok()), nil
	}
	st.Funcs["[method]output-stream.flush"] = flush
	st.Funcs["[method]output-stream.blocking-flush"] = flush
	zeroes := func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		s, err := get[*outStream](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		s.w(make([]byte, min(args[1].Uint(), writeBudget)))
		return one(value.Ok()), nil
	}
	st.Funcs["[method]output-stream.write-zeroes"] = zeroes
	st.Funcs["[method]output-stream.blocking-write-zeroes-and-flush"] = zeroes
}

func (h *Host) random() {
	r := h.iface("wasi:random/random")
	r.Funcs["get-random-bytes"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		return one(randomBytes(h, h.rng, args[0].Uint())), nil
	}
	r.Funcs["get-random-u64"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.U64(h.rng.Uint64())), nil
	}
	in := h.iface("wasi:random/insecure")
	in.Funcs["get-insecure-random-bytes"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		return one(randomBytes(h, h.insec, args[0].Uint())), nil
	}
	in.Funcs["get-insecure-random-u64"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.U64(h.insec.Uint64())), nil
	}
	seed := h.iface("wasi:random/insecure-seed")
	seed.Funcs["insecure-seed"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Tuple(value.U64(h.insec.Uint64()), value.U64(h.insec.Uint64()))), nil
	}
}

// maxRandom bounds one request for random bytes.
const maxRandom = 64 << 20

func randomBytes(_ *Host, r interface{ Uint64() uint64 }, n uint64) value.Value {
	n = min(n, maxRandom)
	b := make([]byte, n)
	for i := uint64(0); i < n; i += 8 {
		x := r.Uint64()
		for j := uint64(0); j < 8 && i+j < n; j++ {
			b[i+j] = byte(x >> (8 * j))
		}
	}
	return bytesValue(b)
}

func (h *Host) filesystem() {
	pre := h.iface("wasi:filesystem/preopens")
	pre.Funcs["get-directories"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.List()), nil
	}
	ty := h.iface("wasi:filesystem/types", "descriptor", "directory-entry-stream")
	h.use(ty, "wasi:io/error", "error")
	bad := func(_ context.Context, c *call, _ []value.Value) ([]value.Value, error) {
		if c.Type.Result == nil || c.Type.Result.Kind != wit.Result {
			return nil, fmt.Errorf("wasi:filesystem/types#%s: no descriptors exist in this sandbox", c.Name)
		}
		i, err := caseOf(c.Type.Result.Err, "bad-descriptor")
		return one(value.Err(value.Enum(i))), err
	}
	for _, m := range []string{"read-via-stream", "write-via-stream", "append-via-stream", "advise", "sync-data",
		"get-flags", "get-type", "set-size", "set-times", "read", "write", "read-directory", "sync",
		"create-directory-at", "stat", "stat-at", "set-times-at", "link-at", "open-at", "readlink-at",
		"remove-directory-at", "rename-at", "symlink-at", "unlink-file-at", "metadata-hash", "metadata-hash-at"} {
		ty.Funcs["[method]descriptor."+m] = bad
	}
	ty.Funcs["[method]descriptor.is-same-object"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Bool(false)), nil
	}
	ty.Funcs["[method]directory-entry-stream.read-directory-entry"] = bad
	ty.Funcs["filesystem-error-code"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.None()), nil
	}
}
