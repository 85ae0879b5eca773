package compat

import (
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// snapshotForm is the shape of Golem's snapshot functions at a golem:api
// version.
type snapshotForm int

const (
	// formBytes: save: func() -> list<u8>;
	// load: func(bytes: list<u8>) -> result<_, string>.
	formBytes snapshotForm = iota + 1
	// formRecord (1.5.0): save: func() -> snapshot;
	// load: func(snapshot: snapshot) -> result<_, string>, plain or async,
	// with record snapshot { payload: list<u8>, mime-type: string }.
	formRecord
)

func (f snapshotForm) String() string {
	if f == formRecord {
		return "the snapshot record (golem:api 1.5.0)"
	}
	return "list<u8> (golem:api 0.2.x to 1.3.0)"
}

// snapshotVersion returns the form of the save-snapshot and load-snapshot
// interfaces at a golem:api version; false for versions wfcompat does not
// recognize. (Switches and arrays in this file, not maps: nothing is built
// at start-up.)
func snapshotVersion(version string) (snapshotForm, bool) {
	switch version {
	case "0.2.0", "0.2.1", "0.2.2",
		"1.1.0-rc1",
		"1.1.0", "1.1.1", "1.1.2", "1.1.3",
		"1.1.4", "1.1.5", "1.1.6", "1.1.7",
		"1.2.0", "1.3.0":
		return formBytes, true
	case "1.5.0":
		return formRecord, true
	}
	return 0, false
}

// snapshotRole is one of the two halves of a snapshot-based update.
type snapshotRole struct {
	iface   string // "save-snapshot"
	fn      string // "save"
	side    string // "old" or "new"
	missing string // rule ID when absent
	// expected renders the expected function per form ("" for none).
	expected [formRecord + 1]string
}

var (
	saveRole = snapshotRole{
		iface: "save-snapshot", fn: "save", side: "old", missing: RuleSnapshotSaveMissing,
		expected: [formRecord + 1]string{
			formBytes:  "save: func() -> list<u8>;",
			formRecord: "save: func() -> snapshot; // or async func; record snapshot { payload: list<u8>, mime-type: string }",
		},
	}
	loadRole = snapshotRole{
		iface: "load-snapshot", fn: "load", side: "new", missing: RuleSnapshotLoadMissing,
		expected: [formRecord + 1]string{
			formBytes:  "load: func(bytes: list<u8>) -> result<_, string>;",
			formRecord: "load: func(snapshot: snapshot) -> result<_, string>; // or async func; record snapshot { payload: list<u8>, mime-type: string }",
		},
	}
)

// snapshot decides the snapshot mode: the old build must export Golem's
// save-snapshot, the new build load-snapshot, each at a recognized golem:api
// version with its exact signature. Even then the new build's load may
// refuse the bytes, which only running both proves: unproven at best.
func (d *differ) snapshot() {
	present := false
	for _, w := range []*wit.World{d.old, d.new} {
		for _, it := range w.Exports {
			if it.Kind != wit.ItemInterface {
				continue
			}
			if i := wit.ParseQName(it.Name).Interface; i == saveRole.iface || i == loadRole.iface {
				present = true
			}
		}
	}
	if !present {
		d.skip(ModeSnapshot, "neither build exports a save-snapshot or load-snapshot interface")
		return
	}
	save := d.snapshotSide(d.old, saveRole)
	load := d.snapshotSide(d.new, loadRole)
	if save.form == 0 || load.form == 0 {
		d.failedProof(ModeSnapshot, d.evidence)
		return
	}
	if save.form != load.form {
		d.add(RuleSnapshotFormatChanged, "golem:api/load-snapshot",
			fmt.Sprintf("the old build saves snapshots as %s and the new build loads %s", save.form, load.form),
			save.fn.WIT(), load.fn.WIT())
	}
	d.proof(ModeSnapshot, d.evidence,
		"both builds have the snapshot exports, but the new build's load-snapshot may still refuse the old build's snapshot; "+
			"only running save on the old build and load on the new one proves it (wfcompat upgrade --mode snapshot, or diff --log LOG)")
}

// snapshotFunc is a usable save or load function and its form.
type snapshotFunc struct {
	form snapshotForm // 0 when there is none
	fn   *wit.Function
}

// snapshotSide checks one side's export for role and returns the first
// usable function (possibly at an unknown version).
func (d *differ) snapshotSide(w *wit.World, role snapshotRole) (use snapshotFunc) {
	want := "golem:api/" + role.iface
	var others []string
	found := false
	for _, it := range w.Exports {
		if it.Kind != wit.ItemInterface {
			continue
		}
		q := wit.ParseQName(it.Name)
		if q.Interface != role.iface {
			continue
		}
		if q.Unversioned() != want {
			others = append(others, it.Name)
			continue
		}
		found = true
		if f := d.snapshotExport(it, q.Version, role); f.form != 0 && use.form == 0 {
			use = f
		}
	}
	if !found {
		msg := fmt.Sprintf("the %s build does not export %s; expected, for example, export %s@1.1.0 { %s }",
			role.side, want, want, role.expected[formBytes])
		if len(others) > 0 {
			msg += fmt.Sprintf(" (it exports %s, which Golem does not call)", strings.Join(others, ", "))
		}
		d.add(role.missing, want, msg, "", "")
	}
	return use
}

// snapshotExport checks one golem:api save-snapshot or load-snapshot export.
func (d *differ) snapshotExport(it *wit.Item, version string, role snapshotRole) snapshotFunc {
	subj := it.Name + "#" + role.fn
	if it.Interface == nil {
		d.note(ModeSnapshot, Unproven, fmt.Sprintf("the contents of %s are unknown and were not checked", it.Name))
		return snapshotFunc{}
	}
	f := lookupFunc(it.Interface, role.fn)
	decl := func() (string, string) {
		s := ""
		if f != nil {
			s = f.WIT()
		}
		if role.side == "old" {
			return s, ""
		}
		return "", s
	}
	oldDecl, newDecl := decl()
	known, isKnown := snapshotVersion(version)
	shape := snapshotShape(f, role)
	switch {
	case isKnown && shape == known:
		return snapshotFunc{known, f}
	case isKnown:
		d.add(RuleSnapshotSignatureMismatch, subj,
			fmt.Sprintf("%s (in the %s build) does not have the golem:api %s signature; expected %s", subj, role.side, version, role.expected[known]),
			oldDecl, newDecl)
		return snapshotFunc{}
	case shape != 0:
		d.add(RuleSnapshotVersionUnknown, it.Name,
			fmt.Sprintf("%s (in the %s build) has the shape of %s but golem:api version %q is not one wfcompat knows", it.Name, role.side, shape, version),
			oldDecl, newDecl)
		return snapshotFunc{shape, f}
	default:
		d.add(RuleSnapshotSignatureMismatch, subj,
			fmt.Sprintf("%s (in the %s build) has an unknown golem:api version %q and no known signature; expected %s or %s",
				subj, role.side, version, role.expected[formBytes], role.expected[formRecord]),
			oldDecl, newDecl)
		return snapshotFunc{}
	}
}

// snapshotShape returns the form f has for role, or 0 if it has neither.
func snapshotShape(f *wit.Function, role snapshotRole) snapshotForm {
	if f == nil {
		return 0
	}
	bytes := func(t *wit.Type) bool {
		return t != nil && t.Kind == wit.List && t.Len == 0 && t.Elem != nil && t.Elem.Kind == wit.U8
	}
	record := func(t *wit.Type) bool {
		return t != nil && t.Kind == wit.Record && len(t.Fields) == 2 &&
			t.Fields[0].Name == "payload" && bytes(t.Fields[0].Type) &&
			t.Fields[1].Name == "mime-type" && t.Fields[1].Type != nil && t.Fields[1].Type.Kind == wit.String
	}
	loadResult := func(t *wit.Type) bool {
		return t != nil && t.Kind == wit.Result && t.Ok == nil && t.Err != nil && t.Err.Kind == wit.String
	}
	if role.fn == "save" {
		if len(f.Params) != 0 {
			return 0
		}
		switch {
		case bytes(f.Result) && !f.Async:
			return formBytes
		case record(f.Result):
			return formRecord
		}
		return 0
	}
	if len(f.Params) != 1 || !loadResult(f.Result) {
		return 0
	}
	p := f.Params[0]
	switch {
	case p.Name == "bytes" && bytes(p.Type) && !f.Async:
		return formBytes
	case p.Name == "snapshot" && record(p.Type):
		return formRecord
	}
	return 0
}
