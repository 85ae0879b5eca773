package compat

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/wit"
)

func aPrim(k wit.Kind) *wit.Type { return wit.Prim(k) }

func aFn(name string, result *wit.Type, params ...wit.Param) *wit.Function {
	if params == nil {
		params = []wit.Param{}
	}
	return &wit.Function{Name: name, Params: params, Result: result}
}

func aParam(name string, t *wit.Type) wit.Param { return wit.Param{Name: name, Type: t} }

func aIface(name string, fns ...*wit.Function) *wit.Item {
	return &wit.Item{Name: name, Kind: wit.ItemInterface, Interface: &wit.Interface{Name: name, Functions: fns}}
}

func aEnum(labels ...string) *wit.Type {
	return &wit.Type{Kind: wit.Enum, Name: "status", Owner: "shop:api/cart", Labels: labels}
}

func aDatetime() *wit.Type {
	return &wit.Type{Kind: wit.Record, Name: "datetime", Owner: "wasi:clocks/wall-clock@0.2.0", Fields: []wit.Field{
		{Name: "seconds", Type: aPrim(wit.U64)}, {Name: "nanoseconds", Type: aPrim(wit.U32)}}}
}

// assertWorlds are an old and a new build of a small shop worker.
func assertWorlds() (old, new *wit.World) {
	old = &wit.World{Name: "shop",
		Exports: []*wit.Item{aIface("shop:api/cart@1.0.0",
			aFn("add", aPrim(wit.U32), aParam("item", aPrim(wit.String)), aParam("qty", aPrim(wit.U8))),
			aFn("total", aPrim(wit.U32)),
			aFn("remove", nil, aParam("id", aPrim(wit.U32))),
			aFn("status", aEnum("open", "closed")),
			aFn("set-limit", nil, aParam("n", aPrim(wit.U16))),
		)},
		Imports: []*wit.Item{
			aIface("wasi:clocks/wall-clock@0.2.0", aFn("now", aDatetime())),
			aIface("acme:kv/store@1.0.0", aFn("get", &wit.Type{Kind: wit.Option, Elem: aPrim(wit.U16)}, aParam("key", aPrim(wit.String)))),
		},
	}
	new = &wit.World{Name: "shop",
		Exports: []*wit.Item{aIface("shop:api/cart@1.1.0",
			aFn("add", aPrim(wit.U32), aParam("item", aPrim(wit.String)), aParam("qty", aPrim(wit.U16))),
			aFn("total", aPrim(wit.U64)),
			aFn("status", aEnum("open", "closed", "archived")),
			aFn("set-limit", nil, aParam("n", aPrim(wit.U8))),
		)},
		Imports: []*wit.Item{
			aIface("wasi:clocks/wall-clock@0.2.0", aFn("now", aDatetime())),
			aIface("acme:kv/store@1.0.0", aFn("get", &wit.Type{Kind: wit.Option, Elem: aPrim(wit.U8)}, aParam("key", aPrim(wit.String)))),
		},
	}
	return old, new
}

func TestAssertInput(t *testing.T) {
	old, new := assertWorlds()
	for _, tc := range []struct {
		name     string
		old      *wit.World
		fn, args string
		ok       bool
		reason   string
		conv     string
		typedBy  string
	}{
		{"widened", old, "shop:api/cart@1.0.0#add", `("apple", 3)`, true, "", `("apple", 3)`, TypedByOld},
		{"unversioned name", old, "shop:api/cart#add", `("apple", 3)`, true, "", `("apple", 3)`, TypedByOld},
		{"removed", old, "shop:api/cart@1.0.0#remove", `(1)`, false, ReasonExportMissing, "", TypedByOld},
		{"bad args", old, "shop:api/cart@1.0.0#add", `(1, 2)`, false, ReasonArgsInvalid, "", TypedByOld},
		{"value too big for new", old, "shop:api/cart@1.0.0#set-limit", `(300)`, false, ReasonParamsIncompatible, "", TypedByOld},
		{"value fits new", old, "shop:api/cart@1.0.0#set-limit", `(7)`, true, "", `(7)`, TypedByOld},
		{"major version", old, "shop:api/cart@2.0.0#add", `("a", 1)`, false, ReasonVersionIncompatible, "", TypedByOld},
		{"no old: read against new", nil, "shop:api/cart@1.0.0#add", `("apple", 300)`, true, "", `("apple", 300)`, TypedByNew},
		{"no old: does not read", nil, "shop:api/cart@1.0.0#add", `("apple", 70000)`, false, ReasonArgsInvalid, "", TypedByNew},
		{"unknown to old", old, "shop:api/cart@1.0.0#nope", `()`, false, ReasonExportMissing, "", TypedByOld},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := AssertInput(Input{Source: "--args", Function: tc.fn, Args: tc.args}, tc.old, new)
			if r.OK != tc.ok || r.Reason != tc.reason || r.Converted != tc.conv || r.TypedBy != tc.typedBy {
				t.Errorf("AssertInput = %+v", r)
			}
			if !r.OK && (r.Message == "" || strings.Contains(r.Message, "\n")) {
				t.Errorf("message %q", r.Message)
			}
		})
	}
	r := AssertInput(Input{Function: "shop:api/cart@1.0.0#add", Args: `("apple", 3)`}, old, new)
	if r.Target != "shop:api/cart@1.1.0#add" || len(r.Conversions) != 1 || !strings.HasPrefix(r.Conversions[0], "param(qty):") {
		t.Errorf("widened input: target %q, conversions %q", r.Target, r.Conversions)
	}
}

const (
	oldSHA = "1111111111111111111111111111111111111111111111111111111111111111"
	newSHA = "2222222222222222222222222222222222222222222222222222222222222222"
)

func logText(t *testing.T, header eventlog.Header, lines ...string) string {
	t.Helper()
	header.Type, header.Schema = eventlog.TypeHeader, eventlog.Schema
	b, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n" + strings.Join(lines, "\n") + "\n"
}

func TestAssertEventLog(t *testing.T) {
	old, new := assertWorlds()
	const (
		addOK      = `{"type":"invoke","function":"shop:api/cart@1.0.0#add","params":"(\"apple\", 3)","result":"1"}`
		now        = `{"type":"import","function":"wasi:clocks/wall-clock@0.2.0#now","params":"()","result":"{seconds: 5, nanoseconds: 6}"}`
		get7       = `{"type":"import","function":"acme:kv/store@1.0.0#get","params":"(\"k\")","result":"some(7)"}`
		get300     = `{"type":"import","function":"acme:kv/store@1.0.0#get","params":"(\"k\")","result":"some(300)"}`
		total      = `{"type":"invoke","function":"shop:api/cart@1.0.0#total","params":"()","result":"5"}`
		totalTrap  = `{"type":"invoke","function":"shop:api/cart@1.0.0#total","params":"()","trap":"unreachable"}`
		remove     = `{"type":"invoke","function":"shop:api/cart@1.0.0#remove","params":"(1)","result":""}`
		upgrade    = `{"type":"upgrade","sha256":"` + newSHA + `","version_id":"v2","mode":"replay"}`
		upgradeX   = `{"type":"upgrade","sha256":"` + oldSHA + `","version_id":"v1b","mode":"replay"}`
		badResult  = `{"type":"invoke","function":"shop:api/cart@1.0.0#add","params":"(\"apple\", 3)","result":"\"x\""}`
		save       = `{"type":"snapshot","op":"save","function":"golem:api/save-snapshot@1.1.0#save","size":1}`
		snapshotUp = `{"type":"upgrade","sha256":"` + newSHA + `","version_id":"v2","mode":"snapshot"}`
		load       = `{"type":"snapshot","op":"load","function":"golem:api/load-snapshot@1.1.0#load","size":1}`
		restartUp  = `{"type":"upgrade","sha256":"` + newSHA + `","version_id":"v2","mode":"restart"}`
		restartX   = `{"type":"upgrade","sha256":"` + oldSHA + `","version_id":"v1b","mode":"restart"}`
	)
	h := eventlog.Header{SHA256: oldSHA, VersionID: "v1"}
	hw := eventlog.Header{SHA256: oldSHA, VersionID: "v1", World: old}
	for _, tc := range []struct {
		name    string
		log     string
		opts    LogOptions
		ok      bool
		line    int
		reason  string
		typedBy string
		notes   int
	}{
		{"compatible", logText(t, h, addOK, now, get7, totalTrap), LogOptions{Old: old, New: new}, true, 0, "", TypedByOld, 0},
		{"header world types", logText(t, hw, addOK, now, get7), LogOptions{New: new}, true, 0, "", TypedByOld, 0},
		{"import result narrowed", logText(t, h, addOK, now, get300), LogOptions{Old: old, New: new}, false, 4, ReasonResultIncompatible, TypedByOld, 0},
		{"export result changed", logText(t, h, addOK, total), LogOptions{Old: old, New: new}, false, 3, ReasonExportResultChanged, TypedByOld, 0},
		{"export removed", logText(t, hw, addOK, now, remove, total), LogOptions{New: new}, false, 4, ReasonExportMissing, TypedByOld, 0},
		{"result does not read", logText(t, h, badResult), LogOptions{Old: old, New: new}, false, 2, ReasonResultInvalid, TypedByOld, 0},
		{"after upgrade to new", logText(t, h, addOK, upgrade, total), LogOptions{Old: old, New: new, NewSHA256: newSHA}, true, 0, "", TypedByMixed, 0},
		{"after upgrade elsewhere", logText(t, h, addOK, upgradeX, total), LogOptions{Old: old, New: new, NewSHA256: newSHA}, true, 0, "", TypedByMixed, 1},
		{"recorded by new", logText(t, eventlog.Header{SHA256: newSHA, VersionID: "v2"}, total), LogOptions{New: new, NewSHA256: newSHA}, true, 0, "", TypedByNew, 0},
		{"untyped", logText(t, h, addOK, get300), LogOptions{New: new}, false, 3, ReasonResultIncompatible, TypedByNew, 1},
		{"untyped ok", logText(t, h, addOK, get7, total), LogOptions{New: new}, true, 0, "", TypedByNew, 1},
		// A continued log is checked after its last snapshot or restart
		// marker, as a replay starts there; a replay marker does not reset.
		{"continued by snapshot", logText(t, h, remove, save, snapshotUp, load, total), LogOptions{Old: old, New: new, NewSHA256: newSHA}, true, 0, "", TypedByNew, 1},
		{"continued by restart", logText(t, h, remove, restartUp, total), LogOptions{Old: old, New: new, NewSHA256: newSHA}, true, 0, "", TypedByNew, 1},
		{"fails after restart", logText(t, h, remove, restartUp, remove), LogOptions{Old: old, New: new, NewSHA256: newSHA}, false, 4, ReasonExportMissing, TypedByNew, 1},
		{"continued by replay", logText(t, h, remove, upgrade, total), LogOptions{Old: old, New: new, NewSHA256: newSHA}, false, 2, ReasonExportMissing, TypedByOld, 0},
		{"restart before replay", logText(t, h, remove, restartX, addOK, upgrade, total), LogOptions{Old: old, New: new, NewSHA256: newSHA}, true, 0, "", TypedByNew, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := AssertEventLog(eventlog.NewReader(strings.NewReader(tc.log), "LOG"), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK != tc.ok || r.Line != tc.line || r.Reason != tc.reason || r.TypedBy != tc.typedBy || len(r.Notes) != tc.notes || r.Log != "LOG" {
				t.Errorf("AssertEventLog = %+v", r)
			}
			if !r.OK && r.Message == "" {
				t.Error("no message")
			}
		})
	}
	if _, err := AssertEventLog(eventlog.NewReader(strings.NewReader(logText(t, h, `{"type":`)), "LOG"), LogOptions{New: new}); err == nil || !strings.HasPrefix(err.Error(), "LOG:2:") {
		t.Errorf("malformed log: %v", err)
	}
}

func TestLogInputs(t *testing.T) {
	old, new := assertWorlds()
	log := logText(t, eventlog.Header{SHA256: oldSHA, VersionID: "v1", World: old},
		`{"type":"invoke","function":"shop:api/cart@1.0.0#add","params":"(\"apple\", 3)","result":"1"}`,
		`{"type":"import","function":"acme:kv/store@1.0.0#get","params":"(\"k\")","result":"some(300)"}`,
		`{"type":"invoke","function":"shop:api/cart@1.0.0#remove","params":"(4)","pending":true}`)
	got, notes, err := LogInputs(eventlog.NewReader(strings.NewReader(log), "RUNS"), LogOptions{New: new})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Source, Converted, Reason string
		OK                        bool
	}
	var rows []row
	for _, r := range got {
		rows = append(rows, row{r.Source, r.Converted, r.Reason, r.OK})
	}
	want := []row{{"RUNS:2", `("apple", 3)`, "", true}, {"RUNS:4", "", ReasonExportMissing, false}}
	if diff := cmp.Diff(want, rows); diff != "" || len(notes) != 0 {
		t.Errorf("LogInputs (-want +got):\n%s\nnotes %q", diff, notes)
	}
}

// TestAssertEventLogOldDigest: a log whose header names another build
// than --old is an error naming both digests; a WIT --old (no digest)
// and a matching digest are not.
func TestAssertEventLogOldDigest(t *testing.T) {
	old, new := assertWorlds()
	log := logText(t, eventlog.Header{SHA256: oldSHA, VersionID: "v1"}, `{"type":"invoke","function":"shop:api/cart@1.0.0#total","params":"()","result":"5"}`)
	_, err := AssertEventLog(eventlog.NewReader(strings.NewReader(log), "LOG"), LogOptions{Old: old, OldSHA256: newSHA, New: new})
	var e *eventlog.Error
	if !errors.As(err, &e) || e.Line != 1 || !strings.Contains(err.Error(), oldSHA) || !strings.Contains(err.Error(), newSHA) || !strings.Contains(err.Error(), "--old") {
		t.Errorf("mismatched --old: %v", err)
	}
	if _, _, err := LogInputs(eventlog.NewReader(strings.NewReader(log), "LOG"), LogOptions{Old: old, OldSHA256: newSHA, New: new}); err == nil {
		t.Error("LogInputs: mismatched --old accepted")
	}
	// A log the new build recorded is typed by the new build, --old or not.
	byNew := logText(t, eventlog.Header{SHA256: newSHA, VersionID: "v2"}, `{"type":"invoke","function":"shop:api/cart@1.1.0#total","params":"()","result":"70000"}`)
	if r, err := AssertEventLog(eventlog.NewReader(strings.NewReader(byNew), "LOG"), LogOptions{Old: old, OldSHA256: oldSHA, New: new, NewSHA256: newSHA}); err != nil || !r.OK || r.TypedBy != TypedByNew {
		t.Errorf("log of the new build with --old: %v %+v", err, r)
	}
	for _, sha := range []string{oldSHA, ""} {
		if _, err := AssertEventLog(eventlog.NewReader(strings.NewReader(log), "LOG"), LogOptions{Old: old, OldSHA256: sha, New: new}); err != nil {
			t.Errorf("OldSHA256 %q: %v", sha, err)
		}
	}
}

// TestAssertResultChangedMessage: a result type that keeps its name but
// not its definition is shown by its definitions.
func TestAssertResultChangedMessage(t *testing.T) {
	old, new := assertWorlds()
	log := logText(t, eventlog.Header{SHA256: oldSHA, VersionID: "v1"}, `{"type":"invoke","function":"shop:api/cart@1.0.0#status","params":"()","result":"open"}`)
	r, err := AssertEventLog(eventlog.NewReader(strings.NewReader(log), "LOG"), LogOptions{Old: old, New: new})
	if err != nil {
		t.Fatal(err)
	}
	want := "the result type of shop:api/cart@1.1.0#status changed from enum status { open, closed } to enum status { open, closed, archived }"
	if r.Reason != ReasonExportResultChanged || !strings.HasPrefix(r.Message, want) {
		t.Errorf("message %q, want prefix %q", r.Message, want)
	}
}

// TestAssertResultRenamed: an export result that is the same value type
// under another type name reads and compares alike (WAVE names fields,
// never types); the same rename with the fields reordered does not.
func TestAssertResultRenamed(t *testing.T) {
	rec := func(name string, fields ...string) *wit.Type {
		r := &wit.Type{Kind: wit.Record, Name: name, Owner: "shop:api/cart"}
		for _, f := range fields {
			r.Fields = append(r.Fields, wit.Field{Name: f, Type: aPrim(wit.U32)})
		}
		return r
	}
	side := func(result *wit.Type) *wit.World {
		return &wit.World{Name: "shop", Exports: []*wit.Item{aIface("shop:api/cart", aFn("get", result))}}
	}
	line := `{"type":"invoke","function":"shop:api/cart#get","params":"()","result":"{id: 1, n: 2}"}`
	for _, tc := range []struct {
		name   string
		new    *wit.Type
		reason string // "" when the log is compatible
	}{
		{"renamed", rec("purchase", "id", "n"), ""},
		{"renamed and reordered", rec("purchase", "n", "id"), ReasonExportResultChanged},
		{"field renamed", rec("order", "id", "m"), ReasonExportResultChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := logText(t, eventlog.Header{SHA256: oldSHA, VersionID: "v1"}, line)
			r, err := AssertEventLog(eventlog.NewReader(strings.NewReader(log), "LOG"), LogOptions{Old: side(rec("order", "id", "n")), New: side(tc.new)})
			if err != nil {
				t.Fatal(err)
			}
			if r.Reason != tc.reason {
				t.Errorf("reason %q, want %q (%s)", r.Reason, tc.reason, r.Message)
			}
		})
	}
}
