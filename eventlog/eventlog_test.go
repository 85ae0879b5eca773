package eventlog

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/wit"
)

const (
	d1 = "0000000000000000000000000000000000000000000000000000000000000001"
	d2 = "0000000000000000000000000000000000000000000000000000000000000002"
)

const hdr = `{"type":"header","schema":"wfcompat.eventlog/v1","sha256":"` + d1 + `","version_id":"v1"}`

func TestReadFile(t *testing.T) {
	l, err := ReadFile("testdata/golem-update-v1.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if l.Header.VersionID != "update-test-v1" || l.Header.Worker != "worker-1" {
		t.Errorf("header = %+v", l.Header)
	}
	size := uint64(8)
	want := []*Event{
		{Line: 2, Type: TypeInvoke, Function: "golem:component/api#f1", Params: "(1000)", Result: Returned("1000"), Time: "2025-01-02T03:04:05Z"},
		{Line: 3, Type: TypeImport, Function: "wasi:clocks/monotonic-clock@0.2.0#now", Params: "()", Result: Returned("1234")},
		{Line: 4, Type: TypeInvoke, Function: "golem:component/api#f2", Params: "()", Result: Returned("42")},
		{Line: 6, Type: TypeSnapshot, Op: OpSave, Function: "golem:api/save-snapshot@0.2.0#save", SHA256: "00000000000000000000000000000000000000000000000000000000000000ff", Size: &size},
		{Line: 7, Type: TypeUpgrade, SHA256: d2, VersionID: "update-test-v2", Mode: ModeSnapshot},
		{Line: 8, Type: TypeInvoke, Function: "golem:component/api#f3", Params: "()", Pending: true},
	}
	if diff := cmp.Diff(want, l.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, log, want string
	}{
		{"empty", "", "LOG: empty event log: no header line"},
		{"blank only", "\n\n", "LOG: empty event log: no header line"},
		{"header not json", "hello\n", "LOG:1:1: line is not a JSON object"},
		{"header bad json", `{"type":"header",` + "\n", "LOG:1:18: invalid JSON: unexpected end of line"},
		{"header syntax", `{"type" "header"}`, "LOG:1:9: invalid JSON: invalid character '\"' after object key"},
		{"header wrong schema", `{"type":"header","schema":"wfcompat.eventlog/v9","sha256":"` + d1 + `","version_id":"v"}`,
			`LOG:1: unsupported schema "wfcompat.eventlog/v9"; this wfcompat reads "wfcompat.eventlog/v1"`},
		{"header missing digest", `{"type":"header","schema":"wfcompat.eventlog/v1","version_id":"v"}`, "LOG:1: header: no sha256"},
		{"header bad digest", `{"type":"header","schema":"wfcompat.eventlog/v1","sha256":"ABC","version_id":"v"}`,
			`LOG:1: header: sha256 "ABC" is not 64 hex digits`},
		{"header no version", `{"type":"header","schema":"wfcompat.eventlog/v1","sha256":"` + d1 + `"}`, "LOG:1: header has no version_id"},
		{"event first", `{"type":"invoke","function":"f","params":"()","result":""}`,
			`LOG:1: line 1 must be the header {"type":"header","schema":"wfcompat.eventlog/v1","sha256":…,"version_id":…}, not an event of type "invoke" (docs/eventlog.md)`},
		{"event first after blank", "\n" + `{"type":"upgrade","sha256":"` + d2 + `","version_id":"v2","mode":"replay"}`,
			`LOG:2: the first non-blank line (line 2) must be the header {"type":"header","schema":"wfcompat.eventlog/v1","sha256":…,"version_id":…}, not an event of type "upgrade" (docs/eventlog.md)`},
		{"header type wrong", `{"type":"head"}`,
			`LOG:1: line 1 must be the header {"type":"header","schema":"wfcompat.eventlog/v1","sha256":…,"version_id":…}, not an event of type "head" (docs/eventlog.md)`},
		{"BOM then syntax error", "\xef\xbb\xbf" + `{"type" "header"}`, "LOG:1:9: invalid JSON: invalid character '\"' after object key"},
		{"BOM not at start", hdr + "\n\xef\xbb\xbf{}", "LOG:2:1: line is not a JSON object"},
		{"unknown field", hdr + "\n" + `{"type":"invoke","fn":"f"}`, `LOG:2:18: unknown field "fn"`},
		{"wrong field type", hdr + "\n" + `{"type":"invoke","function":7}`, `LOG:2:29: field "function": want a string, got number`},
		{"array", hdr + "\n[1]", "LOG:2:1: line is not a JSON object"},
		{"two values", hdr + "\n{\"type\":\"invoke\"} {}", "LOG:2:19: invalid JSON: more than one value on the line"},
		{"no type", hdr + "\n{}", "LOG:2: event has no type"},
		{"unknown type", hdr + "\n" + `{"type":"call"}`, `LOG:2: unknown event type "call" (want invoke, import, upgrade or snapshot)`},
		{"second header", hdr + "\n" + hdr, "LOG:2:18: unknown field \"schema\""},
		{"invoke no function", hdr + "\n" + `{"type":"invoke","params":"()","result":""}`, "LOG:2: invoke event: no function"},
		{"invoke bad params", hdr + "\n" + `{"type":"invoke","function":"f","params":"1, 2","result":""}`,
			`LOG:2: invoke event for f: params "1, 2" is not a WAVE argument list "(...)"`},
		{"invoke no params", hdr + "\n" + `{"type":"invoke","function":"f","result":""}`,
			`LOG:2: invoke event for f: no params (use "()" for a function without parameters)`},
		{"invoke two outcomes", hdr + "\n" + `{"type":"invoke","function":"f","params":"()","result":"1","trap":"boom"}`,
			"LOG:2: invoke event for f must have exactly one of result, trap and pending (it has 2)"},
		{"invoke no outcome", hdr + "\n" + `{"type":"invoke","function":"f","params":"()"}`,
			"LOG:2: invoke event for f must have exactly one of result, trap and pending (it has 0)"},
		{"import trap", hdr + "\n" + `{"type":"import","function":"f","params":"()","trap":"x"}`,
			`LOG:2: import event has a "trap" field, which only invoke events have`},
		{"import no result", hdr + "\n" + `{"type":"import","function":"i#f","params":"()"}`,
			`LOG:2: import event for i#f has no result (use "" for a function without result)`},
		{"function space", hdr + "\n" + `{"type":"import","function":"a b","params":"()","result":""}`,
			`LOG:2: import event: function "a b" contains white space or a control character`},
		{"upgrade no mode", hdr + "\n" + `{"type":"upgrade","sha256":"` + d2 + `","version_id":"v2"}`,
			"LOG:2: upgrade event has no mode (want restart, replay, snapshot or in-flight)"},
		{"upgrade with params", hdr + "\n" + `{"type":"upgrade","params":"()"}`,
			`LOG:2: upgrade event has a "params" field, which only invoke and import events have`},
		{"snapshot bad op", hdr + "\n" + `{"type":"snapshot","op":"take"}`, `LOG:2: snapshot event has unknown op "take" (want save or load)`},
		{"snapshot negative size", hdr + "\n" + `{"type":"snapshot","op":"save","size":-1}`, `LOG:2:40: field "size": want a non-negative integer, got number -1`},
		{"bad time", hdr + "\n" + `{"type":"snapshot","op":"save","time":"yesterday"}`, `LOG:2: time "yesterday" is not an RFC 3339 time`},
		// Found by the bad-input QA: such lines were read, the bytes
		// turned into U+FFFD.
		{"invalid UTF-8 in a value", hdr + "\n" + `{"type":"invoke","function":"f","params":"(\"a` + "\xff\xfe" + `\")","result":""}`,
			"LOG:2:47: invalid UTF-8 (the log is JSON Lines, UTF-8 text)"},
		{"invalid UTF-8 in the header", `{"type":"header","schema":"wfcompat.eventlog/v1","sha256":"` + d1 + `","version_id":"v` + "\xc3\x28" + `"}`,
			"LOG:1:141: invalid UTF-8 (the log is JSON Lines, UTF-8 text)"},
		{"truncated UTF-8 at the end of a line", hdr + "\n" + `{"type":"snapshot","op":"save"}` + "\xe2\x82",
			"LOG:2:32: invalid UTF-8 (the log is JSON Lines, UTF-8 text)"},
		{"late bad line", hdr + "\n" + `{"type":"snapshot","op":"save"}` + "\n\n" + `{"type":"snapshot","op":"save"` + "\n",
			"LOG:4:31: invalid JSON: unexpected end of line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.log), "LOG")
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var le *Error
			if !errors.As(err, &le) {
				t.Errorf("error %T is not *Error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestErrorOffset(t *testing.T) {
	log := hdr + "\r\n" + `{"type":"invoke","function":"f","params":"()","result":1}`
	_, err := Read(strings.NewReader(log), "LOG")
	var le *Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v", err)
	}
	lineStart := int64(len(hdr) + 2)
	if le.Line != 2 || le.Offset != lineStart+int64(le.Col-1) || le.Col == 0 {
		t.Errorf("error at line %d col %d offset %d; line starts at %d", le.Line, le.Col, le.Offset, lineStart)
	}
	if log[le.Offset] != '1' {
		t.Errorf("offset %d points at %q, want the offending value", le.Offset, log[le.Offset:])
	}
}

func TestLineTooLong(t *testing.T) {
	r := NewReader(strings.NewReader(hdr+"\n"+`{"type":"invoke","function":"`+strings.Repeat("x", 1000)+`"}`), "LOG")
	r.MaxLineSize = 300
	if _, err := r.Next(); err == nil || err.Error() != "LOG:2: line longer than 300 bytes" {
		t.Fatalf("err = %v", err)
	}
	// The error sticks.
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "longer") {
		t.Fatalf("second Next: err = %v", err)
	}
}

func TestStreaming(t *testing.T) {
	// The reader hands out events before the end of the input exists.
	pr, pw := io.Pipe()
	r := NewReader(pr, "LOG")
	go func() {
		io.WriteString(pw, hdr+"\n"+`{"type":"snapshot","op":"save"}`+"\n")
	}()
	e, err := r.Next()
	if err != nil || e.Op != OpSave || e.Line != 2 {
		t.Fatalf("Next = %+v, %v", e, err)
	}
	pw.Close()
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("Next at end = %v, want EOF", err)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	h := Header{SHA256: d1, VersionID: "v1", World: &wit.World{Name: "root", Imports: []*wit.Item{}, Exports: []*wit.Item{
		{Name: "run", Kind: wit.ItemFunction, Function: &wit.Function{Name: "run", Params: []wit.Param{}}},
	}}}
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	events := []*Event{
		{Type: TypeInvoke, Function: "golem:component/api#f1", Params: `("a<b>&")`, Result: Returned("")},
		{Type: TypeImport, Function: "wasi:random/random@0.2.0#get-random-u64", Params: "()", Result: Returned("7")},
		{Type: TypeInvoke, Function: "run", Params: "()", Trap: "unreachable"},
		{Type: TypeUpgrade, SHA256: d2, VersionID: "v2", Mode: ModeReplay},
	}
	for _, e := range events {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write(&Event{Type: TypeInvoke, Function: "f"}); err == nil {
		t.Fatal("Write accepted an invalid event")
	}
	if w.Lines() != 5 {
		t.Errorf("Lines = %d, want 5", w.Lines())
	}
	if !strings.Contains(buf.String(), `a<b>&`) {
		t.Errorf("HTML escaping in output: %s", buf.String())
	}
	l, err := Read(&buf, "LOG")
	if err != nil {
		t.Fatal(err)
	}
	h.Type, h.Schema = TypeHeader, Schema
	if diff := cmp.Diff(&h, l.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	for i, e := range events {
		e.Line = i + 2
	}
	if diff := cmp.Diff(events, l.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestNewWriterRefusesBadHeader(t *testing.T) {
	var buf bytes.Buffer
	if _, err := NewWriter(&buf, Header{VersionID: "v"}); err == nil {
		t.Fatal("no error for a header without sha256")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}

func TestResolve(t *testing.T) {
	fn := func(name string) *wit.Function { return &wit.Function{Name: name} }
	iface := func(name string, fns ...string) *wit.Item {
		i := &wit.Interface{Name: name}
		for _, f := range fns {
			i.Functions = append(i.Functions, fn(f))
		}
		return &wit.Item{Name: name, Kind: wit.ItemInterface, Interface: i}
	}
	w := &wit.World{
		Exports: []*wit.Item{
			iface("golem:component/api", "f1", "f2"),
			iface("golem:api/save-snapshot@1.1.0", "save"),
			iface("shop:api/cart@0.2.1", "[method]cart.add"),
			{Name: "run", Kind: wit.ItemFunction, Function: fn("run")},
			{Name: "canister_query get#x", Kind: wit.ItemFunction, Function: fn("canister_query get#x")},
		},
		Imports: []*wit.Item{iface("ic0", "call_new")},
	}
	for _, tc := range []struct {
		name    string
		imports bool
		want    string // resolved name or error reason
	}{
		{"golem:component/api#f1", false, "golem:component/api#f1"},
		{"golem:component/api@0.1.0#f1", false, ReasonVersionIncompatible},
		{"golem:component/api#f9", false, ReasonFunctionMissing},
		{"golem:api/save-snapshot@1.1.0#save", false, "golem:api/save-snapshot@1.1.0#save"},
		{"golem:api/save-snapshot@1.0.0#save", false, "golem:api/save-snapshot@1.1.0#save"},
		{"golem:api/save-snapshot#save", false, "golem:api/save-snapshot@1.1.0#save"},
		{"golem:api/save-snapshot@2.0.0#save", false, ReasonVersionIncompatible},
		{"shop:api/cart@0.2.0#[method]cart.add", false, "shop:api/cart@0.2.1#[method]cart.add"},
		{"shop:api/cart@0.3.0#[method]cart.add", false, ReasonVersionIncompatible},
		{"run", false, "run"},
		{"world#run", false, "run"},
		{"nope", false, ReasonFunctionMissing},
		{"canister_query get#x", false, "canister_query get#x"},
		{"ic0#call_new", true, "ic0#call_new"},
		{"ic0#call_new", false, ReasonInterfaceMissing},
	} {
		got := ""
		tg, err := Resolve(w, tc.name, tc.imports)
		if err != nil {
			var re *ResolveError
			if !errors.As(err, &re) {
				t.Fatalf("%s: %T", tc.name, err)
			}
			got = re.Reason
		} else {
			got = tg.Name
			if tg.Func == nil || tg.Item == nil {
				t.Errorf("%s: incomplete target %+v", tc.name, tg)
			}
		}
		if got != tc.want {
			t.Errorf("Resolve(%q, imports=%v) = %s (%v), want %s", tc.name, tc.imports, got, err, tc.want)
		}
	}
}

// TestReadBOM: a UTF-8 byte order mark at the start of the file is not
// part of the header line, and offsets still count it.
func TestReadBOM(t *testing.T) {
	log := "\xef\xbb\xbf" + hdr + "\n" + `{"type":"invoke","function":"f","params":"()","result":""}` + "\n"
	l, err := Read(strings.NewReader(log), "LOG")
	if err != nil {
		t.Fatal(err)
	}
	if l.Header.SHA256 != d1 || len(l.Events) != 1 || l.Events[0].Line != 2 {
		t.Errorf("header %+v, events %+v", l.Header, l.Events)
	}
	_, err = Read(strings.NewReader("\xef\xbb\xbf{\"type\":\"header\",}"), "LOG")
	var e *Error
	if !errors.As(err, &e) || e.Col != 18 || e.Offset != 3+17 {
		t.Errorf("error %v: want column 18 at offset 20 (after the 3-byte BOM)", err)
	}
}

// TestResolveSuggests: a name that resolves to nothing gets the nearest
// known function of the same side as a "did you mean".
func TestResolveSuggests(t *testing.T) {
	fn := func(name string) *wit.Function { return &wit.Function{Name: name} }
	api := &wit.Interface{Name: "golem:component/api", Functions: []*wit.Function{fn("f1"), fn("f2"), fn("f3")}}
	clock := &wit.Interface{Name: "wasi:clocks/monotonic-clock@0.2.0", Functions: []*wit.Function{fn("now"), fn("resolution")}}
	w := &wit.World{
		Exports: []*wit.Item{{Name: api.Name, Kind: wit.ItemInterface, Interface: api}, {Name: "run", Kind: wit.ItemFunction, Function: fn("run")}},
		Imports: []*wit.Item{{Name: clock.Name, Kind: wit.ItemInterface, Interface: clock}},
	}
	for _, tc := range []struct {
		name    string
		imports bool
		want    string // "" for no suggestion
	}{
		{"golem:component/api#f7", false, "golem:component/api#f1"},
		{"golem:component/apj#f2", false, "golem:component/api#f2"},
		{"golem:componnt/api#f3", false, "golem:component/api#f3"},
		{"f3", false, "golem:component/api#f3"},
		{"rnu", false, "run"},
		{"wasi:clocks/monotonic-clock@0.2.0#nw", true, "wasi:clocks/monotonic-clock@0.2.0#now"},
		{"wasi:clock/monotonic-clock#now", true, "wasi:clocks/monotonic-clock@0.2.0#now"},
		{"golem:component/api#completely-different", false, ""},
		{"golem:component/api#ff1", false, "golem:component/api#f1"},
		{"golem:component/api#get", false, ""}, // nothing near
		{"golem:componnt/api#zzz", false, ""},
		{"f1", true, ""},                            // imports only: no export is suggested
		{"golem:component/api@0.2.0#f1", false, ""}, // version-incompatible: no typo
	} {
		_, err := Resolve(w, tc.name, tc.imports)
		var re *ResolveError
		if !errors.As(err, &re) {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if re.Suggestion != tc.want {
			t.Errorf("Resolve(%q): suggestion %q, want %q (%s)", tc.name, re.Suggestion, tc.want, re.Msg)
		}
		if want := "; did you mean " + tc.want + "?"; tc.want != "" && !strings.HasSuffix(re.Msg, want) {
			t.Errorf("Resolve(%q): message %q does not end with %q", tc.name, re.Msg, want)
		}
	}
}

// BenchmarkSuggest finds the nearest of 500 qualified names (a large
// world's exports) for a misspelt one.
func BenchmarkSuggest(b *testing.B) {
	var known []string
	for i := 0; i < 50; i++ {
		for j := 0; j < 10; j++ {
			known = append(known, JoinName("pkg:iface/api-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+"@1.0.0", "function-"+string(rune('a'+j))))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if Suggest("pkg:iface/api-xxb@1.0.0#functon-c", known) == "" {
			b.Fatal("no suggestion")
		}
	}
}
