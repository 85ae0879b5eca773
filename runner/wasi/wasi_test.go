package wasi

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

func callFn(t *testing.T, h *Host, iface, fn string, ty *wit.Function, args ...value.Value) []value.Value {
	t.Helper()
	hi := h.Instance(iface)
	if hi == nil {
		t.Fatalf("no %s", iface)
	}
	f := hi.Funcs[fn]
	if f == nil {
		t.Fatalf("no %s#%s", iface, fn)
	}
	if ty == nil {
		ty = &wit.Function{Name: fn}
	}
	res, err := f(context.Background(), &component.HostCall{Interface: iface, Name: fn, Type: ty}, args)
	if err != nil {
		t.Fatalf("%s#%s: %v", iface, fn, err)
	}
	return res
}

func TestVersions(t *testing.T) {
	h := New(Config{})
	for _, n := range []string{"wasi:io/streams@0.2.0", "wasi:io/streams@0.2.3", "wasi:clocks/wall-clock@0.2.1", "wasi:http/types"} {
		if h.Instance(n) == nil {
			t.Errorf("%s not served", n)
		}
	}
	for _, n := range []string{"wasi:io/streams@0.2.4", "wasi:io/streams@0.3.0", "wasi:keyvalue/eventual@0.1.0", "golem:api/host@1.1.7"} {
		if h.Instance(n) != nil {
			t.Errorf("%s served", n)
		}
	}
}

func TestVirtualClock(t *testing.T) {
	start := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	h := New(Config{Clock: start})
	now := callFn(t, h, "wasi:clocks/wall-clock@0.2.0", "now", nil)[0]
	if now.Index(0).Uint() != uint64(start.Unix()) {
		t.Errorf("wall clock starts at %v", now)
	}
	mono := "wasi:clocks/monotonic-clock@0.2.0"
	p := callFn(t, h, mono, "subscribe-duration", nil, value.U64(uint64(1500*time.Millisecond)))[0]
	ready := callFn(t, h, "wasi:io/poll@0.2.0", "poll", nil, value.List(value.Borrow(p.Handle())))[0]
	if ready.Len() != 1 || ready.Index(0).Uint() != 0 {
		t.Errorf("poll returned %v", ready)
	}
	if got := callFn(t, h, mono, "now", nil)[0].Uint(); got != uint64(MonotonicStart+1500*time.Millisecond) {
		t.Errorf("monotonic clock at %d after a 1.5 s wait", got)
	}
	if got := h.Now(); !got.Equal(start.Add(1500 * time.Millisecond)) {
		t.Errorf("wall clock at %v", got)
	}
	// A ready pollable does not move time.
	p2 := callFn(t, h, mono, "subscribe-duration", nil, value.U64(0))[0]
	callFn(t, h, "wasi:io/poll@0.2.0", "poll", nil, value.List(value.Borrow(p2.Handle())))
	if got := callFn(t, h, mono, "now", nil)[0].Uint(); got != uint64(MonotonicStart+1500*time.Millisecond) {
		t.Errorf("time moved to %d", got)
	}
	// An instant in the past is ready at once.
	p3 := callFn(t, h, mono, "subscribe-instant", nil, value.U64(0))[0]
	callFn(t, h, "wasi:io/poll@0.2.0", "poll", nil, value.List(value.Borrow(p3.Handle())))
	if got := h.Now(); !got.Equal(start.Add(1500 * time.Millisecond)) {
		t.Errorf("wall clock moved to %v", got)
	}
}

func TestSeededRandom(t *testing.T) {
	get := func(seed uint64) []value.Value {
		h := New(Config{Seed: seed})
		return []value.Value{
			callFn(t, h, "wasi:random/random@0.2.0", "get-random-bytes", nil, value.U64(16))[0],
			callFn(t, h, "wasi:random/random@0.2.0", "get-random-u64", nil)[0],
			callFn(t, h, "wasi:random/insecure-seed@0.2.0", "insecure-seed", nil)[0],
		}
	}
	a, b, c := get(7), get(7), get(8)
	for i := range a {
		if !a[i].Equal(b[i]) {
			t.Errorf("value %d differs with the same seed", i)
		}
	}
	if a[0].Equal(c[0]) {
		t.Error("different seeds gave the same bytes")
	}
}

var (
	errorCode = &wit.Type{Kind: wit.Variant, Cases: []wit.Case{{Name: "DNS-timeout"}, {Name: "HTTP-request-denied"}}}
	handleTy  = &wit.Function{Name: "handle", Result: &wit.Type{Kind: wit.Result, Ok: &wit.Type{Kind: wit.Own}, Err: errorCode}}
)

func TestHTTP(t *testing.T) {
	h := New(Config{})
	req := callFn(t, h, "wasi:http/types@0.2.0", "[constructor]outgoing-request", nil, value.Own(0))[0]
	res := callFn(t, h, "wasi:http/outgoing-handler@0.2.0", "handle", handleTy, value.Own(req.Handle()), value.None())[0]
	if res.Case() != 1 {
		t.Fatalf("request was not refused: %v", res)
	}
	if p, _ := res.Payload(); p.Case() != 1 {
		t.Errorf("refused with case %d, want HTTP-request-denied", p.Case())
	}

	h = New(Config{HTTP: &HTTPResponse{Status: 201, Body: []byte("body")}})
	req = callFn(t, h, "wasi:http/types@0.2.0", "[constructor]outgoing-request", nil, value.Own(0))[0]
	res = callFn(t, h, "wasi:http/outgoing-handler@0.2.0", "handle", handleTy, value.Own(req.Handle()), value.None())[0]
	fut, ok := res.Payload()
	if res.Case() != 0 || !ok {
		t.Fatalf("handle: %v", res)
	}
	got := callFn(t, h, "wasi:http/types@0.2.0", "[method]future-incoming-response.get", nil, value.Borrow(fut.Handle()))[0]
	inner, _ := got.Payload()
	inner, _ = inner.Payload()
	resp, _ := inner.Payload()
	if st := callFn(t, h, "wasi:http/types@0.2.0", "[method]incoming-response.status", nil, value.Borrow(resp.Handle()))[0]; st.Uint() != 201 {
		t.Errorf("status %v", st)
	}
	body, _ := callFn(t, h, "wasi:http/types@0.2.0", "[method]incoming-response.consume", nil, value.Borrow(resp.Handle()))[0].Payload()
	stream, _ := callFn(t, h, "wasi:http/types@0.2.0", "[method]incoming-body.stream", nil, value.Borrow(body.Handle()))[0].Payload()
	streamErr := &wit.Type{Kind: wit.Variant, Cases: []wit.Case{{Name: "last-operation-failed", Type: &wit.Type{Kind: wit.Own}}, {Name: "closed"}}}
	readTy := &wit.Function{Result: &wit.Type{Kind: wit.Result, Ok: &wit.Type{Kind: wit.List, Elem: wit.Prim(wit.U8)}, Err: streamErr}}
	chunk, _ := callFn(t, h, "wasi:io/streams@0.2.0", "[method]input-stream.read", readTy, value.Borrow(stream.Handle()), value.U64(100))[0].Payload()
	if !bytes.Equal(valueBytes(chunk), []byte("body")) {
		t.Errorf("body %v", chunk)
	}
	end := callFn(t, h, "wasi:io/streams@0.2.0", "[method]input-stream.read", readTy, value.Borrow(stream.Handle()), value.U64(100))[0]
	if e, _ := end.Payload(); end.Case() != 1 || e.Case() != 1 {
		t.Errorf("end of body: %v", end)
	}
}

func TestStdio(t *testing.T) {
	var out, errb bytes.Buffer
	h := New(Config{Stdout: &out, Stderr: &errb, Env: [][2]string{{"A", "1"}}, Args: []string{"x"}})
	o := callFn(t, h, "wasi:cli/stdout@0.2.0", "get-stdout", nil)[0]
	callFn(t, h, "wasi:io/streams@0.2.0", "[method]output-stream.blocking-write-and-flush", nil, value.Borrow(o.Handle()), bytesValue([]byte("hi")))
	e := callFn(t, h, "wasi:cli/stderr@0.2.0", "get-stderr", nil)[0]
	callFn(t, h, "wasi:io/streams@0.2.0", "[method]output-stream.write", nil, value.Borrow(e.Handle()), bytesValue([]byte("oops")))
	if out.String() != "hi" || errb.String() != "oops" {
		t.Errorf("stdout %q stderr %q", out.String(), errb.String())
	}
	env := callFn(t, h, "wasi:cli/environment@0.2.0", "get-environment", nil)[0]
	if env.Len() != 1 || env.Index(0).Index(0).Text() != "A" {
		t.Errorf("environment %v", env)
	}
	if term := callFn(t, h, "wasi:cli/terminal-stdout@0.2.0", "get-terminal-stdout", nil)[0]; term.Case() != 0 {
		t.Errorf("a terminal is attached: %v", term)
	}
	if dirs := callFn(t, h, "wasi:filesystem/preopens@0.2.0", "get-directories", nil)[0]; dirs.Len() != 0 {
		t.Errorf("preopens %v", dirs)
	}
	_, err := h.Instance("wasi:cli/exit@0.2.0").Funcs["exit"](context.Background(), &component.HostCall{}, []value.Value{value.Err()})
	if ex, ok := err.(*component.Exit); !ok || ex.Code != 1 {
		t.Errorf("exit(err): %v", err)
	}
}
