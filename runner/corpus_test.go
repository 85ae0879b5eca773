package runner_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/runner/wasi"
	"github.com/wfcompat/wfcompat/wit/value"
)

func start(t testing.TB, rel string, opts runner.Options) *runner.Instance {
	t.Helper()
	if opts.CacheDir == "" {
		opts.CacheDir = runnertest.Cache()
	}
	i, err := runner.Instantiate(context.Background(), runnertest.Open(t, rel), opts)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	t.Cleanup(func() { i.Close(context.Background()) })
	return i
}

// call invokes a WAVE call and returns the result in WAVE, failing the test
// on a trap.
func call(t testing.TB, i *runner.Instance, src string) string {
	t.Helper()
	o, err := i.InvokeWAVE(context.Background(), src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	if o.Trap != nil {
		t.Fatalf("%s: %v", src, o.Trap)
	}
	r, err := o.ResultWAVE()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func expect(t *testing.T, i *runner.Instance, src, want string) {
	t.Helper()
	if got := call(t, i, src); got != want {
		t.Errorf("%s = %s, want %s", src, got, want)
	}
}

func TestUpdateTestV3(t *testing.T) {
	for _, dir := range []string{"golem-v1.1.0", "golem-v1.3.0"} {
		t.Run(dir, func(t *testing.T) {
			i := start(t, dir+"/update-test-v3.wasm", runner.Options{})
			expect(t, i, "golem:component/api#set(5)", "5")
			expect(t, i, "golem:component/api#get()", "5")
			expect(t, i, "golem:api/save-snapshot#save()", "[0, 0, 0, 0, 0, 0, 0, 5]")
			if got := call(t, i, "golem:api/load-snapshot#load([1, 2, 3])"); !strings.HasPrefix(got, "err(") {
				t.Errorf("load of 3 bytes = %s, want err(…)", got)
			}
			expect(t, i, "golem:api/load-snapshot#load([0, 0, 0, 0, 0, 0, 1, 2])", "ok")
			expect(t, i, "golem:component/api#get()", "258")
		})
	}
}

func TestUpdateTestV4LoadFails(t *testing.T) {
	for _, dir := range []string{"golem-v1.1.0", "golem-v1.3.0"} {
		i := start(t, dir+"/update-test-v4.wasm", runner.Options{})
		for _, arg := range []string{"[]", "[0, 0, 0, 0, 0, 0, 0, 1]", "[1, 2, 3]"} {
			if got := call(t, i, "golem:api/load-snapshot#load("+arg+")"); !strings.HasPrefix(got, "err(") {
				t.Errorf("%s: load(%s) = %s, want err(…)", dir, arg, got)
			}
		}
	}
}

func TestUpdateTestV2(t *testing.T) {
	i := start(t, "golem-v1.1.0/update-test-v2.wasm", runner.Options{})
	expect(t, i, "golem:component/api#f3()", "0")
	expect(t, i, "golem:component/api#f4()", "11")
	expect(t, i, "golem:component/api#f2()", "0")
}

func TestUpdateTestV1F1Log(t *testing.T) {
	var log bytes.Buffer
	i := start(t, "golem-v1.1.0/update-test-v1.wasm", runner.Options{HTTP: &wasi.HTTPResponse{Status: 200}, Log: &log})
	expect(t, i, "golem:component/api#f1(0)", "300")
	r := eventlog.NewReader(bytes.NewReader(log.Bytes()), "run.jsonl")
	h, err := r.Header()
	if err != nil {
		t.Fatal(err)
	}
	if h.SHA256 != i.Artifact.SHA256 || h.World == nil {
		t.Errorf("header %+v", h)
	}
	counts := map[string]int{}
	var first *eventlog.Event
	for {
		e, err := r.Next()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatal(err)
			}
			break
		}
		if first == nil {
			first = e
		}
		if e.Type == eventlog.TypeImport {
			counts[strings.SplitN(e.Function, "#", 2)[0]]++
		}
	}
	if first == nil || first.Type != eventlog.TypeInvoke || first.Function != "golem:component/api#f1" || first.Result == nil || *first.Result != "300" {
		t.Errorf("first event %+v", first)
	}
	for _, iface := range []string{"wasi:http/outgoing-handler@0.2.0", "wasi:http/types@0.2.0", "wasi:clocks/monotonic-clock@0.2.0"} {
		if counts[iface] == 0 {
			t.Errorf("the log has no call of %s (calls: %v)", iface, counts)
		}
	}
}

func TestUpdateTestV1HTTPDenied(t *testing.T) {
	i := start(t, "golem-v1.1.0/update-test-v1.wasm", runner.Options{})
	o, err := i.InvokeWAVE(context.Background(), "golem:component/api#f1(0)")
	if err != nil {
		t.Fatal(err)
	}
	if o.Trap == nil {
		t.Fatalf("f1 without --http-respond returned %v; the guest unwraps the denied request and must trap", o.Results)
	}
	denied := false
	for _, e := range o.Imports {
		if strings.HasSuffix(e.Function, "outgoing-handler@0.2.0#handle") && *e.Result == "err(HTTP-request-denied)" {
			denied = true
		}
	}
	if !denied {
		t.Error("no handle call answered err(HTTP-request-denied)")
	}
	var tr *component.Trap
	if !errors.As(o.Trap, &tr) || tr.Export != "golem:component/api#f1" || tr.CoreFunc == "" || !strings.Contains(tr.Reason, "unreachable") {
		t.Errorf("trap %#v", o.Trap)
	}
	if _, err := i.InvokeWAVE(context.Background(), "golem:component/api#f2()"); err != nil {
		t.Fatal(err)
	}
}

func TestRustEcho(t *testing.T) {
	i := start(t, "golem-v1.1.0/rust-echo.wasm", runner.Options{})
	big := strings.Repeat("wfcompat ✓ ", (1<<20)/13)
	for _, s := range []string{"hello", "héllo wörld ✓ 🚀", "", big} {
		o, err := i.Invoke(context.Background(), "golem:it/api#echo", []value.Value{value.String(s)})
		if err != nil {
			t.Fatal(err)
		}
		if o.Trap != nil {
			t.Fatalf("echo of %d bytes: %v", len(s), o.Trap)
		}
		if got := o.Results[0].Text(); got != s {
			t.Errorf("echo of %d bytes returned %d bytes", len(s), len(got))
		}
	}
}

func TestVariantOptionFlagsServices(t *testing.T) {
	v := start(t, "golem-v1.1.0/variant-service.wasm", runner.Options{})
	if got := call(t, v, "golem:it/api#bid()"); got != "success" && !strings.HasPrefix(got, "failure(") {
		t.Errorf("bid() = %s", got)
	}
	o := start(t, "golem-v1.1.0/option-service.wasm", runner.Options{})
	expect(t, o, `golem:it/api#echo(some("x"))`, `some("x")`)
	expect(t, o, `golem:it/api#echo(none)`, `none`)
	if got := call(t, o, `golem:it/api#todo({name: "n", description: some("d")})`); got == "" {
		t.Error("todo returned nothing")
	}
	f := start(t, "golem-v1.1.0/flags-service.wasm", runner.Options{})
	expect(t, f, `golem:it/api#create-task({name: "t1", permissions: {read, exec}})`, `{name: "t1", permissions: {read, exec}}`)
	expect(t, f, `golem:it/api#create-task({name: "t2", permissions: {read, write, exec, close}})`, `{name: "t2", permissions: {read, write, exec, close}}`)
	if got := call(t, f, `golem:it/api#get-tasks()`); !strings.Contains(got, `"t1"`) {
		t.Errorf("get-tasks() = %s", got)
	}
}

func TestShoppingCartSession(t *testing.T) {
	i := start(t, "golem-v1.1.0/shopping-cart.wasm", runner.Options{StubMissing: true})
	expect(t, i, `golem:it/api#initialize-cart("user-1")`, "")
	expect(t, i, `golem:it/api#add-item({product-id: "p1", name: "pen", price: 1.5, quantity: 2})`, "")
	expect(t, i, `golem:it/api#add-item({product-id: "p2", name: "ink", price: 3.25, quantity: 1})`, "")
	expect(t, i, `golem:it/api#update-item-quantity("p1", 5)`, "")
	expect(t, i, `golem:it/api#remove-item("p2")`, "")
	expect(t, i, `golem:it/api#get-cart-contents()`, `[{product-id: "p1", name: "pen", price: 1.5, quantity: 5}]`)
	if got := call(t, i, `golem:it/api#checkout()`); !strings.HasPrefix(got, "success(") {
		t.Errorf("checkout() = %s", got)
	}
	// force-commit calls golem:api/host#oplog-commit, which the host lacks:
	// stubbed, it traps with its name.
	out, err := i.InvokeWAVE(context.Background(), `golem:it/api#force-commit(1)`)
	if err != nil {
		t.Fatal(err)
	}
	if out.Trap == nil || !strings.Contains(out.Trap.Error(), "oplog-commit") {
		t.Errorf("force-commit: %v", out.Trap)
	}
}

func TestAuctionResources(t *testing.T) {
	i := start(t, "golem-v1.1.0/auction.wasm", runner.Options{})
	h := call(t, i, `auction:auction/api#[constructor]running-auction({auction-id: {auction-id: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}, name: "lamp", description: "old", limit-price: 10.0, expiration: 1893456000})`)
	if h != "1" {
		t.Fatalf("constructor returned handle %s, want 1", h)
	}
	expect(t, i, `auction:auction/api#[method]running-auction.bid(1, {bidder-id: "6ba7b811-9dad-11d1-80b4-00c04fd430c8"}, 20.0)`, "success")
	expect(t, i, `auction:auction/api#[method]running-auction.bid(1, {bidder-id: "6ba7b812-9dad-11d1-80b4-00c04fd430c8"}, 5.0)`, "price-too-low")
	call(t, i, `auction:auction/api#[method]running-auction.close(1)`)
	if _, err := i.InvokeWAVE(context.Background(), `auction:auction/api#[method]running-auction.close(7)`); err == nil {
		t.Error("an unknown handle was accepted")
	}
}

// TestCorpusInstantiates: every Golem component instantiates, or fails
// listing only golem:api, keyvalue and RPC imports; with StubMissing every
// one instantiates.
func TestCorpusInstantiates(t *testing.T) {
	for _, dir := range []string{"golem-v1.1.0", "golem-v1.3.0"} {
		files, _ := filepath.Glob(filepath.Join(shared.Corpus(t, dir), "*.wasm"))
		for _, f := range files {
			rel := dir + "/" + filepath.Base(f)
			t.Run(rel, func(t *testing.T) {
				a := runnertest.Open(t, rel)
				i, err := runner.Instantiate(context.Background(), a, runner.Options{CacheDir: runnertest.Cache()})
				if err == nil {
					i.Close(context.Background())
				} else {
					var me *component.MissingImportsError
					if !errors.As(err, &me) {
						t.Fatalf("instantiation failed: %v", err)
					}
					for _, name := range me.Interfaces() {
						if !strings.HasPrefix(name, "golem:") && !strings.HasPrefix(name, "wasi:keyvalue/") {
							t.Errorf("missing import %s is neither golem:api, keyvalue nor RPC", name)
						}
					}
				}
				i, err = runner.Instantiate(context.Background(), a, runner.Options{CacheDir: runnertest.Cache(), StubMissing: true})
				if err != nil {
					t.Fatalf("with StubMissing: %v", err)
				}
				i.Close(context.Background())
			})
		}
	}
}

// TestGolem130 runs the golem-v1.3.0 builds (wasi @0.2.3, save/load-snapshot
// @0.2.2 and @1.1.x): the same values as the v1.1.0 ones, and a snapshot of
// v2-11 loads into v3-11 and v3-sdk.
func TestGolem130(t *testing.T) {
	const dir = "golem-v1.3.0/"
	for _, v2 := range []string{"update-test-v2", "update-test-v2-11"} {
		i := start(t, dir+v2+".wasm", runner.Options{StubMissing: true})
		expect(t, i, "golem:component/api#f3()", "0")
		expect(t, i, "golem:component/api#f4()", "11")
		expect(t, i, "golem:component/api#f2()", "0")
	}
	v1 := start(t, dir+"update-test-v1.wasm", runner.Options{HTTP: &wasi.HTTPResponse{Status: 200}})
	expect(t, v1, "golem:component/api#f1(0)", "300")

	v2 := start(t, dir+"update-test-v2-11.wasm", runner.Options{StubMissing: true, HTTP: &wasi.HTTPResponse{Status: 200}})
	state := call(t, v2, "golem:component/api#f1(0)")
	expect(t, v2, "golem:component/api#f2()", state)
	snap := call(t, v2, "golem:api/save-snapshot#save()")
	for _, v3 := range []string{"update-test-v3-11", "update-test-v3-sdk"} {
		i := start(t, dir+v3+".wasm", runner.Options{StubMissing: true})
		expect(t, i, "golem:api/load-snapshot#load("+snap+")", "ok")
		expect(t, i, "golem:component/api#get()", state)
		expect(t, i, "golem:component/api#set(9)", "9")
		expect(t, i, "golem:api/save-snapshot#save()", "[0, 0, 0, 0, 0, 0, 0, 9]")
	}
}

// TestCountersDrop: dropping an exported resource's handle runs its
// destructor in the guest.
func TestCountersDrop(t *testing.T) {
	i := start(t, "golem-v1.1.0/counters.wasm", runner.Options{StubMissing: true})
	h := call(t, i, `rpc:counters/api#[constructor]counter("c1")`)
	expect(t, i, `rpc:counters/api#[method]counter.inc-by(`+h+`, 5)`, "")
	expect(t, i, `rpc:counters/api#[method]counter.get-value(`+h+`)`, "5")
	expect(t, i, `rpc:counters/api#get-all-dropped()`, "[]")
	if err := i.Drop(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	expect(t, i, `rpc:counters/api#get-all-dropped()`, `[("c1", 5)]`)
	if err := i.Drop(context.Background(), 1); err == nil {
		t.Error("a dropped handle was dropped again")
	}
	if _, err := i.InvokeWAVE(context.Background(), `rpc:counters/api#[method]counter.get-value(1)`); err == nil {
		t.Error("a dropped handle was accepted")
	}
}

// TestInterceptAnswersImports: an interceptor (a replayer) answers an
// import instead of the host; the guest sees, and the log records, its
// answer.
func TestInterceptAnswersImports(t *testing.T) {
	served := 0
	zeros := func(ctx context.Context, c *component.ImportCall, next func() ([]value.Value, error)) ([]value.Value, error) {
		if c.Interface == "wasi:random/random@0.2.0" && c.Name == "get-random-bytes" {
			served++
			vs := make([]value.Value, c.Args[0].Uint())
			for k := range vs {
				vs[k] = value.U8(0)
			}
			return []value.Value{value.List(vs...)}, nil
		}
		return next()
	}
	var results []string
	for _, seed := range []uint64{1, 2} {
		i := start(t, "golem-v1.1.0/update-test-v1.wasm", runner.Options{Seed: seed, Intercept: zeros})
		o, err := i.InvokeWAVE(context.Background(), "golem:component/api#f2()")
		if err != nil || o.Trap != nil {
			t.Fatal(err, o.Trap)
		}
		r, _ := o.ResultWAVE()
		results = append(results, r)
		found := false
		for _, e := range o.Imports {
			if e.Function == "wasi:random/random@0.2.0#get-random-bytes" {
				found = strings.HasPrefix(*e.Result, "[0, 0, 0")
			}
		}
		if !found {
			t.Error("the log does not hold the interceptor's answer")
		}
	}
	if served != 2 || results[0] != results[1] {
		t.Errorf("served %d, results %v: the guest did not see the interceptor's answers", served, results)
	}
}

// TestDeterministicLogs: two runs with the same options write the same log.
func TestDeterministicLogs(t *testing.T) {
	var logs [2]bytes.Buffer
	for k := range logs {
		i := start(t, "golem-v1.1.0/update-test-v1.wasm", runner.Options{Seed: 42, HTTP: &wasi.HTTPResponse{Status: 200}, Log: &logs[k]})
		for _, c := range []string{"golem:component/api#f1(1000)", "golem:component/api#f2()", "golem:component/api#f3()"} {
			call(t, i, c)
		}
	}
	if !bytes.Equal(logs[0].Bytes(), logs[1].Bytes()) {
		t.Error("two identical runs wrote different logs")
	}
	if !strings.Contains(logs[0].String(), "monotonic-clock@0.2.0#") {
		t.Error("the log has no clock calls")
	}
}

// TestNoImportEvents: with Options.NoImportEvents (and no log) an
// invocation's import calls are made but not rendered into Outcome.Imports.
func TestNoImportEvents(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts runner.Options
		some bool
	}{
		{name: "default", some: true},
		{name: "no import events", opts: runner.Options{NoImportEvents: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := start(t, "golem-v1.1.0/update-test-v1.wasm", tc.opts)
			o, err := i.InvokeWAVE(context.Background(), "golem:component/api#f2()")
			if err != nil || o.Trap != nil {
				t.Fatal(err, o.Trap)
			}
			if got := len(o.Imports) > 0; got != tc.some {
				t.Errorf("%d import events; want some: %v", len(o.Imports), tc.some)
			}
		})
	}
}
