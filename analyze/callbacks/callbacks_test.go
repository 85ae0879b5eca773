package callbacks

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze/core"
)

func analyzeFile(t testing.TB, path string, opts *Options) *Analysis {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// summary renders callbacks as "role@slot=func" and unresolved as
// "?role in func", sorted.
func summary(a *Analysis) []string {
	var out []string
	for _, c := range a.Callbacks {
		out = append(out, fmt.Sprintf("%s.%s@%d=%s", c.Import, c.Role, c.Slot, c.Label()))
	}
	for _, u := range a.Unresolved {
		out = append(out, fmt.Sprintf("?%s in %s", u.Role, FuncLabel(u.Func, u.Name)))
	}
	slices.Sort(out)
	return out
}

var ic = shared.CorpusDir() + "/ic/"

const wat = "../../testdata/wat/"

// TestCorpus checks the slots of the real canisters (compare
// wasm-objdump -d: the i32.const before each call of ic0.call_new).
func TestCorpus(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"wallet-0.7.0", []string{"ic0.call_new.reject@56=func[640]", "ic0.call_new.reply@56=func[640]"}},
		{"wallet-0.7.2", []string{"ic0.call_new.reject@57=func[669]", "ic0.call_new.reply@57=func[669]"}},
		{"wallet-0.8.2", []string{"ic0.call_new.reject@56=func[675]", "ic0.call_new.reply@56=func[675]"}},
		{"wallet-0.10.0", []string{"ic0.call_new.reject@68=func[1029]", "ic0.call_new.reply@68=func[1029]", "ic0.call_on_cleanup.cleanup@69=func[1030]"}},
		{"wallet-0.12.0", []string{"ic0.call_new.reject@70=func[1164]", "ic0.call_new.reply@70=func[1164]", "ic0.call_on_cleanup.cleanup@71=func[1165]"}},
		{"wallet-current", []string{
			"ic0.call_new.reject@176=func[616]", "ic0.call_new.reject@215=func[617]",
			"ic0.call_new.reply@176=func[616]", "ic0.call_new.reply@215=func[617]",
			"ic0.call_on_cleanup.cleanup@177=func[636]", "ic0.call_on_cleanup.cleanup@216=func[637]"}},
		{"motoko-call", []string{"ic0.call_new.reject@10=func[138]", "ic0.call_new.reply@11=func[197]", "ic0.call_on_cleanup.cleanup@12=func[350]"}},
		{"motoko-counter", []string{"ic0.call_new.reject@11=@reject_callback", "ic0.call_new.reply@12=@callback<u>", "ic0.call_on_cleanup.cleanup@13=@cleanup_callback"}},
		{"motoko-counter-region", []string{"ic0.call_new.reject@11=@reject_callback", "ic0.call_new.reply@12=@callback<u>", "ic0.call_on_cleanup.cleanup@13=@cleanup_callback"}},
		{"rust-counter", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a := analyzeFile(t, ic+tc.file+".wasm", nil)
			if d := cmp.Diff(tc.want, summary(a)); d != "" {
				t.Fatalf("(-want +got):\n%s", d)
			}
			for _, c := range a.Callbacks {
				if c.Type != "(func (param i32))" || !strings.HasPrefix(c.Fingerprint, "sha256:") || len(c.Sites) == 0 {
					t.Errorf("callback %+v", c)
				}
				if strings.HasPrefix(tc.file, "wallet") && !c.EnvPointer() {
					t.Errorf("%s %s: the wallet's env (local + 8) is not seen as a pointer: %+v", c.Role, c.Label(), c.Sites[0].Env)
				}
			}
		})
	}
}

func TestWalletSites(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	a := analyzeFile(t, ic+"wallet-0.10.0.wasm", nil)
	c := a.Callbacks[1] // reply@68
	if c.Role != RoleReply {
		t.Fatal(c.Role)
	}
	// wasm-objdump -d: "056b74: 10 00 | call 0 <ic0.call_new>" and 0x57216.
	var offs []uint32
	for _, s := range c.Sites {
		offs = append(offs, s.Off)
	}
	if !slices.Equal(offs, []uint32{0x56b74, 0x57216}) {
		t.Fatalf("sites at %x", offs)
	}
	if e := c.Sites[0].Env; e.Kind != EnvPointer || e.Detail != "local 6 + 8" {
		t.Fatalf("env %+v", e)
	}
	if tab := a.Table(0); tab.Min != 650 || tab.IndirectUses == 0 || len(tab.Ops) != 0 {
		t.Fatalf("table %+v", tab)
	}
}

func TestLocals(t *testing.T) {
	a := analyzeFile(t, wat+"cb_locals.wasm", nil)
	got := map[string]string{}
	for _, c := range a.Callbacks {
		for _, s := range c.Sites {
			got[s.Name] += fmt.Sprintf("%s@%d ", c.Role, c.Slot)
		}
	}
	for _, u := range a.Unresolved {
		got[u.Name] += "unresolved "
	}
	want := map[string]string{
		"const": "reply@3 ", "local": "reply@4 ", "tee": "reply@5 ", "global": "reply@6 ",
		"mutglobal": "unresolved ", "add": "reply@7 ", "or": "reply@8 ", "sub": "reply@9 ",
		"ifsame": "reply@10 ", "ifdiff": "unresolved ", "loop": "unresolved ", "loopuse": "unresolved ", "brif": "unresolved ",
		"between": "reply@5 ", "pointer": "reply@2 ", "select": "unresolved ",
		"empty": "unresolved ", "beyond": "unresolved ",
		"direct": "cleanup@0 reject@2 reply@1 ",
	}
	for k, v := range got {
		parts := strings.Fields(v)
		slices.Sort(parts)
		got[k] = strings.Join(parts, " ") + " "
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	// "oneway" registers nothing, "dead" is unreachable.
	byName := map[string]Unresolved{}
	for _, u := range a.Unresolved {
		byName[u.Name] = u
	}
	for name, why := range map[string]string{
		"ifdiff":    "differs between the paths reaching",
		"loop":      "which holds the result of the call at",
		"mutglobal": "read from global 1, which is mutable",
		"empty":     "slot 11 of table 0 is empty",
		"beyond":    "beyond the 12 initial slots",
		"select":    "result of select",
		"loopuse":   "may change in the loop at",
	} {
		if !strings.Contains(byName[name].Why, why) {
			t.Errorf("%s: %q lacks %q", name, byName[name].Why, why)
		}
	}
	if len(a.Forwarders) != 1 || a.Forwarders[0].Param != 0 { // $send forwards the reply index
		t.Errorf("forwarders %+v", a.Forwarders)
	}
	for _, c := range a.Callbacks {
		for _, s := range c.Sites {
			switch s.Name {
			case "tee":
				if s.Env == nil || s.Env.Kind != EnvConst || s.Env.Value != 5 {
					t.Errorf("tee env %+v", s.Env)
				}
			case "pointer":
				if s.Env == nil || s.Env.Kind != EnvPointer || s.Env.Detail != "parameter 0 + 8" {
					t.Errorf("pointer env %+v", s.Env)
				}
			}
		}
	}
}

func TestI64(t *testing.T) {
	a := analyzeFile(t, wat+"cb_i64.wasm", nil)
	want := []string{"ic0.call_new.reject@1=func[3]", "ic0.call_new.reply@2=func[4]", "ic0.call_on_cleanup.cleanup@3=func[5]"}
	if d := cmp.Diff(want, summary(a)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	if e := a.Callbacks[1].Sites[0].Env; e.Kind != EnvPointer {
		t.Fatalf("env %+v", e)
	}
}

func TestUserProfile(t *testing.T) {
	p, err := ParseCallbackImport("env.register:0,2")
	if err != nil {
		t.Fatal(err)
	}
	a := analyzeFile(t, wat+"cb_user.wasm", &Options{Profiles: []Profile{p}})
	want := []string{"env.register.arg0@1=func[2]", "env.register.arg2@2=func[3]"}
	if d := cmp.Diff(want, summary(a)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	if a := analyzeFile(t, wat+"cb_user.wasm", nil); len(a.Imports) != 0 || len(a.Callbacks) != 0 {
		t.Fatalf("ic0 profile found %+v", a)
	}
}

func TestParseCallbackImport(t *testing.T) {
	for in, want := range map[string]string{
		"env.register:0,2": "",
		"a.b.c:1":          "", // the module ends at the first dot
		"env.register":     "missing \":ARG\"",
		"register:0":       "missing module or function name",
		"env.:0":           "missing module or function name",
		"env.register:x":   "not a parameter index",
		"env.register:1,1": "listed twice",
		"env.register:":    "not a parameter index",
	} {
		p, err := ParseCallbackImport(in)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", in, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
		if in == "a.b.c:1" && (p.Module != "a" || p.Name != "b.c") {
			t.Errorf("%q: %+v", in, p)
		}
	}
}

func TestForward(t *testing.T) {
	a := analyzeFile(t, wat+"cb_forward.wasm", nil)
	want := []string{"?reply in send2", "ic0.call_new.reject@3=func[4]", "ic0.call_new.reply@1=func[2]", "ic0.call_new.reply@2=func[3]"}
	if d := cmp.Diff(want, summary(a)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	for _, c := range a.Callbacks {
		if c.Role != RoleReply {
			continue
		}
		s := c.Sites[0]
		if len(s.Via) != 1 || s.Via[0] != 5 {
			t.Errorf("reply@%d via %v", c.Slot, s.Via)
		}
		if c.Slot == 1 && (s.Env == nil || s.Env.Kind != EnvConst || s.Env.Value != 100) {
			t.Errorf("env of a: %+v", s.Env)
		}
		if c.Slot == 2 && (s.Env == nil || s.Env.Kind != EnvPointer) {
			t.Errorf("env of b: %+v", s.Env)
		}
	}
}

func TestEscapes(t *testing.T) {
	a := analyzeFile(t, wat+"cb_escape.wasm", nil)
	if len(a.Unresolved) != 2 || !strings.Contains(a.Unresolved[0].Why, "element segment 0 puts it in a table") {
		t.Fatalf("%+v", a.Unresolved)
	}
	// (global funcref (ref.func $call_new)), assembled by hand: wat2wasm
	// --enable-all types ref.func as a non-null reference and rejects it.
	b := []byte{0, 'a', 's', 'm', 1, 0, 0, 0,
		1, 12, 1, 0x60, 8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0,
		2, 16, 1, 3, 'i', 'c', '0', 8, 'c', 'a', 'l', 'l', '_', 'n', 'e', 'w', 0, 0,
		6, 6, 1, 0x70, 0, 0xd2, 0, 0x0b}
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if a, err = Analyze(m, nil); err != nil {
		t.Fatal(err)
	}
	if len(a.Unresolved) != 2 || !strings.Contains(a.Unresolved[0].Why, "global 0 holds a reference to it") {
		t.Fatalf("%+v", a.Unresolved)
	}
	a = analyzeFile(t, wat+"cb_global_offset.wasm", nil)
	if len(a.Unresolved) != 1 || !strings.Contains(a.Unresolved[0].Why, "offset that is not a constant") {
		t.Fatalf("%+v", a.Unresolved)
	}
}

func TestTableOps(t *testing.T) {
	a := analyzeFile(t, wat+"cb_table_written.wasm", nil)
	ops := a.Table(0).Ops
	if len(ops) != 1 || ops[0].Op != "table.set" || ops[0].Known || !ops[0].Write {
		t.Fatalf("ops %+v", ops)
	}
}

// TestWritesTo: writes whose slots are unknown, or whose proven range
// holds one of the slots asked about, may change a callback slot;
// table.grow, table.size and the source of table.copy do not.
func TestWritesTo(t *testing.T) {
	tab := &Table{Ops: []TableOp{
		{Op: "table.set", Write: true, Off: 1, Known: true, Start: 3, End: 4},
		{Op: "table.fill", Write: true, Off: 2, Known: true, Start: 5, End: 8},
		{Op: "table.grow", Write: true, Off: 3},
		{Op: "table.size", Off: 4},
		{Op: "table.copy", Off: 5, Known: true, Start: 0, End: 10}, // the source side
		{Op: "table.init", Write: true, Off: 6},                    // slots unknown
	}}
	for _, tc := range []struct {
		slots []uint32
		want  []uint32 // offsets of the writes found
	}{
		{nil, []uint32{6}},
		{[]uint32{1, 2}, []uint32{6}},
		{[]uint32{3}, []uint32{1, 6}},
		{[]uint32{7, 8}, []uint32{2, 6}},
		{[]uint32{4, 8}, []uint32{6}},
	} {
		var got []uint32
		for _, op := range tab.WritesTo(tc.slots) {
			got = append(got, op.Off)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("slots %v: writes at %v, want %v", tc.slots, got, tc.want)
		}
	}
	a := analyzeFile(t, wat+"cb_old_written_other.wasm", nil)
	if ws := a.Table(0).WritesTo([]uint32{1, 2}); len(ws) != 0 {
		t.Errorf("a write of slot 3 reported for slots 1 and 2: %+v", ws)
	}
	if ws := a.Table(0).WritesTo([]uint32{3}); len(ws) != 1 || !ws[0].Known || ws[0].Start != 3 {
		t.Errorf("the write of slot 3: %+v", ws)
	}
}

// TestJSON: the analysis is plain data that inspect can print.
func TestJSON(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	a := analyzeFile(t, ic+"wallet-0.8.2.wasm", nil)
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"import":"ic0.call_new"`, `"role":"reply"`, `"slot":56`, `"sites":[{"func":673`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
}

// walletModule is the corpus's wallet-current.wasm, its bytes and decoded.
func walletModule(b *testing.B) ([]byte, *core.Module) {
	b.Helper()
	shared.Need(b, shared.CorpusDir())
	src, err := os.ReadFile(ic + "wallet-current.wasm")
	if err != nil {
		b.Fatal(err)
	}
	m, err := core.Decode(src)
	if err != nil {
		b.Fatal(err)
	}
	return src, m
}

func BenchmarkAnalyze(b *testing.B) {
	src, m := walletModule(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Analyze(m, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBudget: a body built to make the simulation quadratic (thousands of
// written locals, invalidated at each of thousands of loops) is given up
// quickly, and its registration reported unresolved.
func TestBudget(t *testing.T) {
	leb := func(b []byte, v uint32) []byte {
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		return append(b, byte(v))
	}
	const locals, loops = 16000, 30000
	body := leb(nil, 1)
	body = leb(body, locals)
	body = append(body, 0x7f)
	for i := uint32(0); i < locals; i++ {
		body = append(body, 0x41, 0x00, 0x21) // i32.const 0; local.set i
		body = leb(body, i)
	}
	for range loops {
		body = append(body, 0x03, 0x40, 0x0b) // loop end
	}
	for range 8 {
		body = append(body, 0x41, 0x00)
	}
	body = append(body, 0x10, 0x00, 0x0b) // call ic0.call_new; end
	sec := func(id byte, payload []byte) []byte { return append(leb([]byte{id}, uint32(len(payload))), payload...) }
	b := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	b = append(b, sec(1, []byte{2, 0x60, 8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0, 0x60, 0, 0})...)
	b = append(b, sec(2, append([]byte{1, 3, 'i', 'c', '0', 8}, "call_new\x00\x00"...))...)
	b = append(b, sec(3, []byte{1, 1})...)
	b = append(b, sec(10, append(leb([]byte{1}, uint32(len(body))), body...))...)
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	a, err := Analyze(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
	if len(a.Unresolved) != 2 || !strings.Contains(a.Unresolved[0].Why, "analysis budget") {
		t.Fatalf("%+v", a.Unresolved)
	}
}

// TestReuse holds Options.Reuse to its promise: the analysis is the same
// with the scan of the module itself, of another build (some identical
// bodies), or of nothing.
func TestReuse(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := shared.CorpusDir() + "/ic/"
	decode := func(name string) *core.Module {
		b, err := os.ReadFile(dir + name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := core.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, tc := range []struct{ module, base string }{
		{"wallet-0.12.0.wasm", "wallet-0.12.0.wasm"},
		{"wallet-0.12.0.wasm", "wallet-0.10.0.wasm"},
		{"wallet-0.7.2.wasm", "wallet-0.7.0.wasm"},
		{"motoko-counter-region.wasm", "motoko-counter.wasm"},
	} {
		m, base := decode(tc.module), decode(tc.base)
		scan := &Scan{}
		if _, err := Analyze(base, &Options{Record: scan}); err != nil {
			t.Fatal(err)
		}
		if scan.Bodies() != len(base.Code) {
			t.Fatalf("%s: the scan holds %d bodies, want %d", tc.base, scan.Bodies(), len(base.Code))
		}
		want, err := Analyze(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Analyze(m, &Options{Reuse: scan})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s reusing %s (-without +with):\n%s", tc.module, tc.base, d)
		}
	}
}

// TestScanBuilder: parts recorded out of order, empty ones included, join
// into the scan Analyze records; parts that miss a body are refused.
func TestScanBuilder(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	b, err := os.ReadFile(shared.CorpusDir() + "/ic/motoko-counter.wasm")
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	want := &Scan{}
	if _, err := Analyze(m, &Options{Record: want}); err != nil {
		t.Fatal(err)
	}
	feed := func(p *ScanPart, first, n int) {
		for ci := first; ci < first+n; ci++ {
			r := m.Code[ci].Instrs()
			for r.Next() {
				p.Instr(r.Current())
			}
			p.EndBody()
		}
	}
	n, half := len(m.Code), len(m.Code)/2
	sb := NewScanBuilder(m)
	feed(sb.Part(half, n-half), half, n-half)
	sb.Part(n, 0)
	sb.Part(0, 0)
	feed(sb.Part(0, half), 0, half)
	got, err := sb.Scan()
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) {
		t.Fatal("the joined scan differs from Analyze's")
	}
	sb = NewScanBuilder(m)
	feed(sb.Part(0, half), 0, half)
	if _, err := sb.Scan(); err == nil {
		t.Fatal("a scan missing bodies was joined")
	}
}
