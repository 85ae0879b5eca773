package rewrite

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
)

const wat = "../testdata/wat/"

var ic = shared.CorpusDir() + "/ic/"

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func analysis(t testing.TB, b []byte) *callbacks.Analysis {
	t.Helper()
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	a, err := callbacks.Analyze(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func lockOf(t testing.TB, b []byte) *Lock {
	t.Helper()
	l, err := LockFromAnalysis(analysis(t, b))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// pinChecked pins and runs every check the CLI runs before writing.
func pinChecked(t *testing.T, src []byte, opts Options) *Result {
	t.Helper()
	res, err := Pin(src, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(context.Background(), res.Wasm); err != nil {
		t.Fatal(err)
	}
	if err := ValidateWazero(context.Background(), res.Wasm); err != nil && !beyondWazero(res.Wasm) {
		t.Fatal(err)
	}
	if err := Verify(res, opts.Profiles); err != nil {
		t.Fatal(err)
	}
	checkIncremental(t, src, opts)
	return res
}

// checkIncremental pins src as the CLI does (the input validated first,
// so that Check skips the bodies copied verbatim and the re-analysis
// reuses the input's scan) and holds both shortcuts against the full
// checks: the same verdict, the same analysis. It returns the number of
// output bodies Derived skipped.
func checkIncremental(t testing.TB, src []byte, opts Options) int {
	t.Helper()
	pr, err := Prepare(src, opts.Profiles)
	if err != nil {
		t.Fatal(err)
	}
	if err := pr.Validate(); err != nil {
		t.Fatal(err)
	}
	// PrepareValidated, the CLI's one pass, finds the same analysis and
	// scan facts.
	pv, err := PrepareValidated(src, opts.Profiles)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(pr.a, pv.a); d != "" {
		t.Fatalf("PrepareValidated's analysis differs (-Prepare +PrepareValidated):\n%s", d)
	}
	if !pr.scan.Equal(pv.scan) {
		t.Fatal("PrepareValidated's scan facts differ from Prepare's")
	}
	res, err := pr.Pin(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(context.Background(), res, opts.Profiles); err != nil {
		t.Fatal(err)
	}
	m, err := core.Decode(res.Wasm)
	if err != nil {
		t.Fatal(err)
	}
	full, err := callbacks.Analyze(m, &callbacks.Options{Profiles: opts.Profiles})
	if err != nil {
		t.Fatal(err)
	}
	reused, err := callbacks.Analyze(m, &callbacks.Options{Profiles: opts.Profiles, Reuse: pr.scan})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(full, reused); d != "" {
		t.Fatalf("the analysis reusing the input's scan differs (-full +reused):\n%s", d)
	}
	skipped, err := pr.valid.Derived(m)
	if err != nil {
		t.Fatalf("Derived: %v, but Validate accepts the output", err)
	}
	if !res.Changed() && skipped != len(m.Code) {
		t.Fatalf("the output is the input, yet Derived checked %d of %d bodies again", len(m.Code)-skipped, len(m.Code))
	}
	return skipped
}

// slotsOf renders where the pinned module's callbacks are.
func slotsOf(t *testing.T, b []byte) []string {
	var out []string
	for _, c := range analysis(t, b).Callbacks {
		out = append(out, fmt.Sprintf("%s@%d=%s", c.Role, c.Slot, c.Label()))
	}
	return out
}

// TestPinPaths runs each rewrite path on a WAT fixture: the output must
// validate, register every callback at its pinned slot, behave like the
// input on every entry point, and answer the host at the pinned slots.
func TestPinPaths(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		slots          []string // callbacks of the output
		relocated      int
		grown          bool
		wrapped        []string
		rewritten      int
	}{
		{"no conflict", "pin_old", "pin_noconflict",
			[]string{"reply@1=func[3]", "reject@2=func[4]"}, 2, true, []string{"ic0.call_new"}, 2},
		{"conflict with relocation, call_indirect, return_call_indirect, table.get", "pin_old", "pin_conflict",
			[]string{"reply@1=func[6]", "reject@2=func[7]", "cleanup@5=func[8]"}, 2, true, []string{"ic0.call_new"}, 5},
		{"two tables", "pin_old", "pin_two_tables",
			[]string{"reply@1=func[5]", "reject@2=func[6]"}, 2, true, []string{"ic0.call_new"}, 2},
		{"exported table", "cb_table_old", "pin_exported",
			[]string{"reply@1=func[6]", "reject@2=func[7]", "cleanup@5=func[8]"}, 2, true, []string{"ic0.call_new"}, 5},
		{"passive and declarative segments", "pin_old", "pin_segments",
			[]string{"reply@1=func[5]", "reject@2=func[6]"}, 2, true, []string{"ic0.call_new"}, 2},
		{"grow beyond the table", "pin_grow_old", "pin_grow",
			[]string{"reply@6=func[3]", "reject@7=func[4]"}, 0, true, []string{"ic0.call_new"}, 3},
		{"i64 system API", "pin_i64_old", "pin_i64",
			[]string{"reply@1=func[4]"}, 1, true, []string{"ic0.call_new"}, 2},
		{"forwarder", "pin_old", "pin_forward",
			[]string{"reply@1=func[5]", "reject@2=func[6]"}, 2, true, []string{"ic0.call_new"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := read(t, wat+tc.new+".wasm")
			res := pinChecked(t, orig, Options{Lock: lockOf(t, read(t, wat+tc.old+".wasm"))})
			got := slotsOf(t, res.Wasm)
			slices.Sort(got)
			want := slices.Clone(tc.slots)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("callbacks %q, want %q", got, want)
			}
			if len(res.Relocated) != tc.relocated || (len(res.Tables) > 0) != tc.grown ||
				!slices.Equal(res.Wrapped, tc.wrapped) || res.Rewritten != tc.rewritten {
				t.Errorf("relocated %+v, tables %+v, wrapped %q, rewritten %d", res.Relocated, res.Tables, res.Wrapped, res.Rewritten)
			}
			differential(t, orig, res).hostCalls(true)
			if !bytes.Equal(orig, read(t, wat+tc.new+".wasm")) {
				t.Fatal("the input was modified")
			}
		})
	}
}

// TestPinTwoTablesUntouched: call_indirect on table 1 is left alone.
func TestPinTwoTablesUntouched(t *testing.T) {
	orig := read(t, wat+"pin_two_tables.wasm")
	res := pinChecked(t, orig, Options{Lock: lockOf(t, read(t, wat+"pin_old.wasm"))})
	m, err := core.Decode(res.Wasm)
	if err != nil {
		t.Fatal(err)
	}
	remap := uint32(m.NumFuncs() - 2) // remap, then the wrapper
	ins, err := m.Instructions(uint32(m.ImportedFuncs() + 6))
	if err != nil {
		t.Fatal(err)
	}
	var seq []string
	for i, in := range ins {
		if in.Op == core.OpCallIndirect {
			prev := ins[i-1]
			remapped := prev.Op == core.OpCall && prev.Index == remap
			seq = append(seq, fmt.Sprintf("%s t%d", map[bool]string{true: "remapped", false: "direct"}[remapped], in.Index2))
		}
	}
	if want := []string{"remapped t0", "direct t1", "direct t1"}; !slices.Equal(seq, want) {
		t.Fatalf("call_indirect %q, want %q", seq, want)
	}
}

// TestPinExportKept: the exported table keeps its export and grows.
func TestPinExportKept(t *testing.T) {
	res := pinChecked(t, read(t, wat+"pin_exported.wasm"), Options{Lock: lockOf(t, read(t, wat+"cb_table_old.wasm"))})
	m, _ := core.Decode(res.Wasm)
	if m.TableExportName(0) != "table" || m.Tables[0].Type.Limits.Min != 8 {
		t.Fatalf("table %+v export %q", m.Tables[0], m.TableExportName(0))
	}
}

// TestPinNothingToDo: a build whose callbacks are where the lock says is
// returned as it is.
func TestPinNothingToDo(t *testing.T) {
	src := read(t, wat+"pin_old.wasm")
	res := pinChecked(t, src, Options{Lock: lockOf(t, src)})
	if res.Changed() || !bytes.Equal(res.Wasm, src) {
		t.Fatal("output differs from input")
	}
	res = pinChecked(t, src, Options{})
	if res.Changed() || len(res.Lock.Tables) != 1 || len(res.Lock.Tables[0].Slots) != 2 {
		t.Fatalf("no lock: %+v", res.Lock)
	}
}

func TestPinRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		off            int64 // -1: no offset
		want           string
	}{
		{"imported table", "pin_old", "pin_imported_table", -1,
			"table 0 is imported: its slots are filled outside the module, so pinning callbacks in it cannot be done or proven here"},
		{"unresolved callback argument", "pin_old", "cb_unresolved", 0xc1,
			"cannot pin a module whose callbacks are not all known: the reply callback of ic0.call_new in canister_update go: the reply table index passed to ic0.call_new is not a known constant: it is the result of i32.load at 0xb6"},
		{"table.set anywhere", "cb_table_old", "cb_table_written", 0xe2,
			"table.set on table 0 in canister_update set may write any slot, so it could undo the pin of slot(s) 1, 2; refusing to pin"},
		{"table.init on a pinned slot", "pin_old", "pin_tableinit_bad", 0xb0,
			"table.init on table 0 in canister_update init overwrites slot 1, which pinning gives to the reply callback of ic0.call_new (func[4]); refusing to pin"},
		{"fingerprint twins", "cb_twins_old", "cb_twins_swapped", 0xf4,
			"cannot tell which reply callback of ic0.call_new in table 0 now stands for lock slot 1"},
		{"table.size when growing", "pin_grow_old", "pin_grow_size", 0xb2,
			"table.size on table 0 in canister_query size observes the table's size, which pinning changes from 3 to 8; refusing to pin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Pin(read(t, wat+tc.new+".wasm"), Options{Lock: lockOf(t, read(t, wat+tc.old+".wasm"))})
			var pe *Error
			switch e := err.(type) {
			case *Error:
				pe = e
			default:
				t.Fatalf("error %T %v", err, err)
			}
			if pe.Off != tc.off || !strings.Contains(pe.Msg, tc.want) {
				t.Fatalf("got  %v\nwant offset 0x%x: %s", err, tc.off, tc.want)
			}
		})
	}
}

// TestLockFromAnalysisRefuses: the analysis knows what the element
// segments put in each slot, so a lock is not taken from a module whose
// callback slots may hold something else when its calls are made.
func TestLockFromAnalysisRefuses(t *testing.T) {
	for _, tc := range []struct {
		old  string
		off  int64  // -1: no offset
		want string // "" when the lock is taken
	}{
		{"cb_old_written", 0xc3, "cannot take callback slots from a module that writes its callback table at run time: table.set on table 0 in func[5] writes slots 1..1"},
		{"cb_table_written", 0xe2, "table.set on table 0 in func[6] may write any slot"},
		{"cb_table_imported", -1, "cannot take callback slots from a module that imports its callback table 0"},
		{"cb_old_written_other", 0, ""}, // writes slot 3, no callback's
		{"cb_table_old", 0, ""},
	} {
		t.Run(tc.old, func(t *testing.T) {
			l, err := LockFromAnalysis(analysis(t, read(t, wat+tc.old+".wasm")))
			if tc.want == "" {
				if err != nil || len(l.Tables) != 1 || len(l.Tables[0].Slots) != 2 {
					t.Fatalf("lock %+v, error %v", l, err)
				}
				return
			}
			pe, ok := err.(*Error)
			if !ok || l != nil {
				t.Fatalf("lock %+v, error %T %v", l, err, err)
			}
			if pe.Off != tc.off || !strings.Contains(pe.Msg, tc.want) {
				t.Fatalf("got  %v\nwant offset 0x%x: %s", err, tc.off, tc.want)
			}
		})
	}
}

func TestPinAmbiguous(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	// wallet-current registers two reply callbacks; the lock of 0.12.0 has
	// one: pin lists the candidates, and --map resolves it.
	src := read(t, ic+"wallet-current.wasm")
	lock := lockOf(t, read(t, ic+"wallet-0.12.0.wasm"))
	_, err := Pin(src, Options{Lock: lock})
	if err == nil || !strings.Contains(err.Error(), "candidates: func[616] at slot 176") || !strings.Contains(err.Error(), "choose with --map 70=func[616]") {
		t.Fatalf("error %v", err)
	}
	_, err = Pin(src, Options{Lock: lock, Map: map[uint32]string{70: "func[616]", 71: "nope"}})
	if err == nil || !strings.Contains(err.Error(), "--map 71=nope") {
		t.Fatalf("error %v", err)
	}
}

func TestPinSlotConflict(t *testing.T) {
	// The lock keeps reply and reject at one slot; a build registering
	// different functions for them cannot be pinned.
	lock := lockOf(t, read(t, wat+"pin_old.wasm"))
	lock.Tables[0].Slots[1].Callbacks[0].Role = callbacks.RoleReply  // slot 2: reject → reply
	lock.Tables[0].Slots[0].Callbacks[0].Role = callbacks.RoleReject // slot 1: reply → reject
	lock.Tables[0].Slots = append(lock.Tables[0].Slots, LockSlot{Slot: 3, Callbacks: []LockCallback{{Import: "ic0.call_new", Role: callbacks.RoleReply, Fingerprint: "x"}}})
	_, err := Pin(read(t, wat+"pin_conflict.wasm"), Options{Lock: lock})
	if err == nil || !strings.Contains(err.Error(), "cannot tell which reply callback") {
		t.Fatalf("error %v", err)
	}
	l := &Lock{Schema: LockSchema, Tables: []LockTable{{Table: 0, Slots: []LockSlot{{Slot: 1, Callbacks: []LockCallback{
		{Import: "ic0.call_new", Role: callbacks.RoleReply, Fingerprint: "a"},
		{Import: "ic0.call_new", Role: callbacks.RoleReject, Fingerprint: "b"}}}}}}}
	_, err = Pin(read(t, wat+"pin_conflict.wasm"), Options{Lock: l})
	if err == nil || !strings.Contains(err.Error(), "slot 1 of table 0 must hold both") {
		t.Fatalf("error %v", err)
	}
}

// TestPinWallet: 0.10.0 pinned against 0.8.2, then 0.12.0 against the
// result and against the lock, with differential execution.
func TestPinWallet(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	v8, v10, v12 := read(t, ic+"wallet-0.8.2.wasm"), read(t, ic+"wallet-0.10.0.wasm"), read(t, ic+"wallet-0.12.0.wasm")
	res := pinChecked(t, v10, Options{Lock: lockOf(t, v8)})
	if got := slotsOf(t, res.Wasm); !slices.Equal(got, []string{"reject@56=func[1029]", "reply@56=func[1029]", "cleanup@69=func[1030]"}) {
		t.Fatalf("pinned 0.10.0: %q", got)
	}
	if len(res.Relocated) != 1 || res.Relocated[0].Slot != 56 || res.Relocated[0].Func != 718 || res.Relocated[0].To != 650 {
		t.Fatalf("relocated %+v", res.Relocated)
	}
	if len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "enhanced orthogonal persistence") {
		t.Fatalf("notes %q", res.Notes)
	}
	m, _ := core.Decode(res.Wasm)
	if m.Names != nil {
		t.Fatal("a name section appeared")
	}
	tw := differential(t, v10, res)
	tw.hostCalls(false)
	// The old slot in the unpinned build runs another function.
	om, pm := tw.machines(0, core.I32)
	a := om.call("wfcompat_trampoline", 56, 5)
	b := pm.call("wfcompat_trampoline", 56, 5)
	if slices.Equal(a.trace, b.trace) && a.err == b.err {
		t.Fatalf("slot 56 behaves the same before and after pinning: %q %q", a.trace, a.err)
	}

	for _, lock := range []*Lock{lockOf(t, res.Wasm), res.Lock} {
		r12 := pinChecked(t, v12, Options{Lock: lock})
		if got := slotsOf(t, r12.Wasm); !slices.Equal(got, []string{"reject@56=func[1164]", "reply@56=func[1164]", "cleanup@69=func[1165]"}) {
			t.Fatalf("pinned 0.12.0: %q", got)
		}
	}
}

// TestPinWalletCurrent runs the benchmark's rewrite with differential
// execution.
func TestPinWalletCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	src, opts := benchInput(t)
	res := pinChecked(t, src, opts)
	differential(t, src, res).hostCalls(false)
}

func TestNames(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	// motoko-counter has a name section: the added functions get names.
	src := read(t, ic+"motoko-counter.wasm")
	lock := lockOf(t, src)
	lock.Tables[0].Slots[1].Slot = 20 // pretend reply was at slot 20
	res := pinChecked(t, src, Options{Lock: lock})
	m, err := core.Decode(res.Wasm)
	if err != nil || m.NamesErr != "" {
		t.Fatal(err, m.NamesErr)
	}
	n := uint32(m.NumFuncs())
	if m.FuncName(n-2) != "wfcompat:remap-table-0" || m.FuncName(n-1) != "wfcompat:wrap:ic0.call_new" {
		t.Fatalf("names %q %q", m.FuncName(n-2), m.FuncName(n-1))
	}
	om, _ := core.Decode(src)
	if m.FuncName(0) != om.FuncName(0) || len(m.Names.Locals) != len(om.Names.Locals) {
		t.Fatal("names changed")
	}
	differential(t, src, res).hostCalls(false)
}

func TestLockRoundTrip(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	l := lockOf(t, read(t, ic+"wallet-0.10.0.wasm"))
	text := l.Marshal()
	l2, err := ParseLock(text)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(l2.Marshal(), text) {
		t.Fatal("lock does not round-trip")
	}
	if !strings.HasPrefix(string(text), "{\n  \"schema\": \"wfcompat.lock/v1\",\n  \"tables\": [") {
		t.Fatalf("layout:\n%s", text)
	}
	for _, bad := range []string{
		`{"schema":"x","tables":[]}`,
		`{"schema":"wfcompat.lock/v1","tables":[{"table":0,"slots":[{"slot":1,"callbacks":[]}]}]}`,
		`{"schema":"wfcompat.lock/v1","tables":[{"table":0,"slots":[{"slot":1,"callbacks":[{"import":"a","role":"reply","fingerprint":"x"}]},{"slot":1,"callbacks":[{"import":"a","role":"reply","fingerprint":"x"}]}]}]}`,
		`{"schema":"wfcompat.lock/v1","extra":1}`,
	} {
		if _, err := ParseLock([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	// Unresolved callbacks make no lock.
	if _, err := LockFromAnalysis(analysis(t, read(t, wat+"cb_unresolved.wasm"))); err == nil {
		t.Fatal("lock from an unresolved module")
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/out.wasm"
	if err := WriteFileAtomic(p, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("bc")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "bc" {
		t.Fatal(string(b))
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("leftovers %v", es)
	}
	if err := WriteFileAtomic(dir+"/missing/out.wasm", nil); err == nil {
		t.Fatal("wrote into a missing directory")
	}
}

// walletCallArg is the Candid argument of the wallet's wallet_call:
// record { canister = principal 0x42; method_name = "hello";
// args = blob "DIDL\00\00"; cycles = 0 }.
func walletCallArg() []byte {
	b := []byte("DIDL")
	b = appendU32(b, 2)          // two types
	b = append(b, 0x6c)          // 0: record, fields by hash
	b = appendU32(b, 4)          //
	b = appendU32(b, 1081380189) // args: type 1
	b = append(b, 0x01)          //
	b = appendU32(b, 2190693645) // cycles: nat64
	b = append(b, 0x78)          //
	b = appendU32(b, 2374371241) // method_name: text
	b = append(b, 0x71)          //
	b = appendU32(b, 2631180839) // canister: principal
	b = append(b, 0x68)          //
	b = append(b, 0x6d, 0x7b)    // 1: vec nat8
	b = append(b, 1, 0)          // one argument of type 0
	b = appendU32(b, 6)          //
	b = append(b, "DIDL\x00\x00"...)
	b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
	b = appendU32(b, 5)
	b = append(b, "hello"...)
	return append(b, 1, 1, 0x42)
}

// TestPinWalletCall drives a real outgoing call through the wallet: after
// canister_init, wallet_call registers its reply callback with
// ic0.call_new (slot 68 in 0.10.0, slot 56 once pinned); the test then
// answers the call as the system does, by calling the table at the slot
// with the registered env, and requires the same replies from both.
func TestPinWalletCall(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	v10 := read(t, ic+"wallet-0.10.0.wasm")
	res := pinChecked(t, v10, Options{Lock: lockOf(t, read(t, ic+"wallet-0.8.2.wasm"))})
	tw := newTwin(t, v10, res)
	om, pm := tw.machines(0, core.I32)
	tr := translationOf(res)
	registered := func(calls []hostCall) (slot, env uint64) {
		for _, c := range calls {
			if c.name == "ic0.call_new" {
				return c.args[4], c.args[5]
			}
		}
		t.Fatal("no ic0.call_new")
		return 0, 0
	}
	os, ps := om.session(), pm.session()
	step := func(export string, arg []byte, params ...uint64) (o, p []hostCall) {
		o, oerr := os.call(export, arg, params...)
		p, perr := ps.call(export, arg, params...)
		if a, b := render(o, tr), render(p, nil); !slices.Equal(a, b) || oerr != perr {
			t.Fatalf("%s: original (translated) %q / %q\npinned %q / %q", export, a, oerr, b, perr)
		}
		return o, p
	}
	step("canister_init", candidEmpty)
	o, p := step("canister_update wallet_call", walletCallArg())
	oslot, oenv := registered(o)
	pslot, penv := registered(p)
	if oslot != 68 || pslot != 56 || oenv != penv {
		t.Fatalf("registered slot %d env %d, pinned slot %d env %d", oslot, oenv, pslot, penv)
	}
	// The callee replies: the system calls the reply callback.
	o, _ = os.call("wfcompat_trampoline", []byte("DIDL\x00\x00"), oslot, oenv)
	p, _ = ps.call("wfcompat_trampoline", []byte("DIDL\x00\x00"), pslot, penv)
	a, b := render(o, nil), render(p, nil)
	if !slices.Equal(a, b) || !slices.Contains(b, "ic0.msg_reply[]") {
		t.Fatalf("reply: original slot 68 ran %q\npinned slot 56 ran %q", a, b)
	}
}

// TestCheckReusesInput pins the wallet as the CLI does and checks that
// Check's shortcuts apply: most output bodies are copies, proven valid by
// the input's validation.
func TestCheckReusesInput(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	src := read(t, ic+"wallet-0.12.0.wasm")
	skipped := checkIncremental(t, src, Options{Lock: lockOf(t, read(t, ic+"wallet-0.10.0.wasm"))})
	n := len(analysisModule(t, src).Code)
	if skipped < n/2 {
		t.Fatalf("Derived skipped %d of about %d bodies", skipped, n)
	}
}

func analysisModule(t testing.TB, b []byte) *core.Module {
	t.Helper()
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPinDuplicateNames: a name two lock entries of different functions
// share identifies neither, so pin does not give one of their slots to
// the build's callback of that name; it asks which.
func TestPinDuplicateNames(t *testing.T) {
	// names appends a name section naming functions ns (index order).
	names := func(b []byte, ns map[uint32]string) []byte {
		var sub []byte
		sub = appendU32(sub, uint32(len(ns)))
		for _, i := range slices.Sorted(maps.Keys(ns)) {
			sub = appendU32(sub, i)
			sub = appendU32(sub, uint32(len(ns[i])))
			sub = append(sub, ns[i]...)
		}
		payload := appendU32([]byte{4, 'n', 'a', 'm', 'e', 1}, uint32(len(sub)))
		payload = append(payload, sub...)
		out := appendU32(append(slices.Clone(b), 0), uint32(len(payload)))
		return append(out, payload...)
	}
	// Functions 2 and 3 are the reply callbacks at slots 1 and 2.
	old := names(read(t, wat+"cb_names_old.wasm"), map[uint32]string{2: "cb", 3: "cb"})
	lock := lockOf(t, old)
	if n := lock.Tables[0].Slots[0].Callbacks; len(n) != 1 || n[0].Name != "cb" {
		t.Fatalf("lock %+v: the names were not read", lock)
	}
	_, err := Pin(names(read(t, wat+"cb_names_new.wasm"), map[uint32]string{2: "cb", 3: "y"}), Options{Lock: lock})
	if err == nil || !strings.Contains(err.Error(), "cannot tell which reply callback of ic0.call_new in table 0 now stands for lock slot 1") {
		t.Fatalf("error %v", err)
	}
}
