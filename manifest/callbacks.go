package manifest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
)

// Callbacks is the callback analysis of a core module (analyze/callbacks)
// and the profiles (callback-registering imports) it was run with: all the
// in-flight check reads, so that comparing manifests decides the in-flight
// mode as comparing the binaries does. The types mirror those of
// analyze/callbacks, whose JSON is not part of the manifest's contract;
// Analysis converts back.
type Callbacks struct {
	// Profiles are the callback-registering imports the analysis matched:
	// the Internet Computer's and any --callback-import.
	Profiles []Profile `json:"profiles"`
	// Imports are the registering imports the module has.
	Imports []RegImport `json:"imports"`
	// Forwarders are functions passing a parameter on as a callback.
	Forwarders []Forwarder `json:"forwarders"`
	// Callbacks are the resolved callbacks, ordered by table, slot, import
	// and role.
	Callbacks []Callback `json:"callbacks"`
	// Unresolved are the callback arguments not resolved to a slot.
	Unresolved []Unresolved `json:"unresolved"`
	// Tables are the module's tables with their initial contents.
	Tables []Table `json:"tables"`
	// PreUpgradeGuard, when not empty, says where the module refuses an
	// Internet Computer upgrade while it has outstanding callbacks (the
	// Motoko runtime's canister_pre_upgrade guard,
	// callbacks.Analysis.PreUpgradeGuard). Absent: no guard was found, or
	// the manifest was written before the field; either way an env the
	// analysis cannot classify leaves in-flight unproven.
	PreUpgradeGuard string `json:"pre_upgrade_guard,omitempty"`
}

// Profile is a callback-registering import (callbacks.Profile).
type Profile struct {
	Module string       `json:"module"`
	Name   string       `json:"name"`
	Table  uint32       `json:"table"`
	Args   []ProfileArg `json:"args"`
}

// ProfileArg is a callback parameter of a registering import: the
// parameter holding the table index, its role, and the parameter holding
// the env (-1 for none).
type ProfileArg struct {
	Index int    `json:"index"`
	Role  string `json:"role"`
	Env   int    `json:"env"`
}

// RegImport is a registering import present in the module.
type RegImport struct {
	Import  string       `json:"import"`
	Func    uint32       `json:"func"`
	Type    string       `json:"type"`
	Table   uint32       `json:"table"`
	Args    []ProfileArg `json:"args"`
	Callers []uint32     `json:"callers"`
}

// Forwarder is a function forwarding parameter Param to a callback
// argument of Import, translating values through Map.
type Forwarder struct {
	Func   uint32     `json:"func"`
	Name   string     `json:"name,omitempty"`
	Import string     `json:"import"`
	Role   string     `json:"role"`
	Param  int        `json:"param"`
	Map    []MapEntry `json:"map,omitempty"`
}

// MapEntry is one translation of a forwarder: From becomes To.
type MapEntry struct {
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
}

// Callback is a function registered as a callback at a table slot.
type Callback struct {
	// Import is the registering import ("ic0.call_new"), Role the
	// argument's role (reply, reject, cleanup, argN) and Arg its parameter.
	Import string `json:"import"`
	Role   string `json:"role"`
	Arg    int    `json:"arg"`
	Table  uint32 `json:"table"`
	Slot   uint32 `json:"slot"`
	// Func is the function at the slot, Name its name ("" if unknown),
	// Type its core signature.
	Func uint32 `json:"func"`
	Name string `json:"name,omitempty"`
	Type string `json:"type"`
	// Fingerprint identifies the function body across releases.
	Fingerprint string `json:"fingerprint"`
	// Sites are the calls that register it.
	Sites []Site `json:"sites"`
}

// Site is a call registering a callback.
type Site struct {
	Func uint32   `json:"func"`
	Name string   `json:"name,omitempty"`
	Off  uint32   `json:"off"`
	Via  []uint32 `json:"via,omitempty"`
	Env  *Env     `json:"env,omitempty"`
}

// Env is the evaluation of a callback's env argument.
type Env struct {
	// Kind is const, pointer or unknown.
	Kind   string `json:"kind"`
	Value  uint64 `json:"value,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Unresolved is a callback argument not resolved to a table slot.
type Unresolved struct {
	Import string `json:"import"`
	Role   string `json:"role"`
	Arg    int    `json:"arg"`
	Func   uint32 `json:"func"`
	Name   string `json:"name,omitempty"`
	Off    uint32 `json:"off"`
	Why    string `json:"why"`
}

// Table is a table of the module with what its slots initially hold.
type Table struct {
	Index    uint32 `json:"index"`
	Export   string `json:"export,omitempty"`
	Imported bool   `json:"imported,omitempty"`
	Elem     string `json:"elem"`
	Min      uint64 `json:"min"`
	Max      uint64 `json:"max,omitempty"`
	HasMax   bool   `json:"has_max,omitempty"`
	// Unknown says why the initial contents are not fully known.
	Unknown string `json:"unknown,omitempty"`
	// Ops are the instructions changing the table or reading its size.
	Ops []TableOp `json:"ops"`
	// Entries are the initial contents, one per slot from 0: a function
	// index, -1 for an empty slot, -2 for an unknown function.
	Entries []int64 `json:"entries"`
	// EntryNames name the functions of Entries that have a name, by index.
	EntryNames []FuncName `json:"entry_names"`
	// IndirectUses counts call_indirect, return_call_indirect and
	// table.get; IndirectFuncs are the functions containing them.
	IndirectUses  int      `json:"indirect_uses"`
	IndirectFuncs []uint32 `json:"indirect_funcs"`
}

// FuncName names a function.
type FuncName struct {
	Func uint32 `json:"func"`
	Name string `json:"name"`
}

// TableOp is an instruction that modifies a table or reads its size.
type TableOp struct {
	Op    string `json:"op"`
	Write bool   `json:"write"`
	Func  uint32 `json:"func"`
	Off   uint32 `json:"off"`
	Known bool   `json:"known,omitempty"`
	Start uint64 `json:"start,omitempty"`
	End   uint64 `json:"end,omitempty"`
}

// callbacksOf records an analysis made with profiles (nil: callbacks.IC0()).
func callbacksOf(a *callbacks.Analysis, profiles []callbacks.Profile) *Callbacks {
	if profiles == nil {
		profiles = callbacks.IC0()
	}
	c := &Callbacks{
		Profiles:   make([]Profile, 0, len(profiles)),
		Imports:    make([]RegImport, 0, len(a.Imports)),
		Forwarders: make([]Forwarder, 0, len(a.Forwarders)),
		Callbacks:  make([]Callback, 0, len(a.Callbacks)),
		Unresolved: make([]Unresolved, 0, len(a.Unresolved)),
		Tables:     make([]Table, 0, len(a.Tables)),

		PreUpgradeGuard: a.PreUpgradeGuard,
	}
	for _, p := range profiles {
		c.Profiles = append(c.Profiles, Profile{Module: p.Module, Name: p.Name, Table: p.Table, Args: profileArgs(p.Args)})
	}
	for _, im := range a.Imports {
		c.Imports = append(c.Imports, RegImport{Import: im.Import, Func: im.Func, Type: im.Type, Table: im.Table,
			Args: profileArgs(im.Args), Callers: nonNil(im.Callers)})
	}
	for _, f := range a.Forwarders {
		fw := Forwarder{Func: f.Func, Name: f.Name, Import: f.Import, Role: string(f.Role), Param: f.Param}
		for from, to := range f.Map {
			fw.Map = append(fw.Map, MapEntry{From: from, To: to})
		}
		slices.SortFunc(fw.Map, func(x, y MapEntry) int { return cmp.Compare(x.From, y.From) })
		c.Forwarders = append(c.Forwarders, fw)
	}
	for _, cb := range a.Callbacks {
		out := Callback{Import: cb.Import, Role: string(cb.Role), Arg: cb.Arg, Table: cb.Table, Slot: cb.Slot,
			Func: cb.Func, Name: cb.Name, Type: cb.Type, Fingerprint: cb.Fingerprint, Sites: make([]Site, 0, len(cb.Sites))}
		for _, s := range cb.Sites {
			site := Site{Func: s.Func, Name: s.Name, Off: s.Off, Via: s.Via}
			if s.Env != nil {
				site.Env = &Env{Kind: string(s.Env.Kind), Value: s.Env.Value, Detail: s.Env.Detail}
			}
			out.Sites = append(out.Sites, site)
		}
		c.Callbacks = append(c.Callbacks, out)
	}
	for _, u := range a.Unresolved {
		c.Unresolved = append(c.Unresolved, Unresolved{Import: u.Import, Role: string(u.Role), Arg: u.Arg,
			Func: u.Func, Name: u.Name, Off: u.Off, Why: u.Why})
	}
	for _, t := range a.Tables {
		out := Table{Index: t.Index, Export: t.Export, Imported: t.Imported, Elem: t.Elem, Min: t.Min, Max: t.Max,
			HasMax: t.HasMax, Unknown: t.Unknown, Ops: make([]TableOp, 0, len(t.Ops)), Entries: make([]int64, len(t.Entries)),
			EntryNames: []FuncName{}, IndirectUses: t.IndirectUses, IndirectFuncs: nonNil(t.IndirectFuncs)}
		for _, op := range t.Ops {
			out.Ops = append(out.Ops, TableOp{Op: op.Op, Write: op.Write, Func: op.Func, Off: op.Off, Known: op.Known, Start: op.Start, End: op.End})
		}
		named := map[int64]bool{}
		for s, en := range t.Entries {
			out.Entries[s] = en.Func
			if en.Name != "" && !named[en.Func] {
				named[en.Func] = true
				out.EntryNames = append(out.EntryNames, FuncName{Func: uint32(en.Func), Name: en.Name})
			}
		}
		slices.SortFunc(out.EntryNames, func(x, y FuncName) int { return cmp.Compare(x.Func, y.Func) })
		c.Tables = append(c.Tables, out)
	}
	return c
}

func profileArgs(args []callbacks.ProfileArg) []ProfileArg {
	out := make([]ProfileArg, 0, len(args))
	for _, a := range args {
		out = append(out, ProfileArg{Index: a.Index, Role: string(a.Role), Env: a.Env})
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Analysis returns the recorded analysis in the form analyze/callbacks
// produces it, for compat.Diff's in-flight check.
func (c *Callbacks) Analysis() *callbacks.Analysis {
	a := &callbacks.Analysis{Imports: []callbacks.RegImport{}, Callbacks: []callbacks.Callback{}, Unresolved: []callbacks.Unresolved{}, Tables: []callbacks.Table{},
		PreUpgradeGuard: c.PreUpgradeGuard}
	for _, im := range c.Imports {
		a.Imports = append(a.Imports, callbacks.RegImport{Import: im.Import, Func: im.Func, Type: im.Type, Table: im.Table,
			Args: analysisArgs(im.Args), Callers: slices.Clone(im.Callers)})
	}
	for _, f := range c.Forwarders {
		fw := callbacks.Forwarder{Func: f.Func, Name: f.Name, Import: f.Import, Role: callbacks.Role(f.Role), Param: f.Param}
		if len(f.Map) > 0 {
			fw.Map = map[uint64]uint64{}
			for _, e := range f.Map {
				fw.Map[e.From] = e.To
			}
		}
		a.Forwarders = append(a.Forwarders, fw)
	}
	for _, cb := range c.Callbacks {
		out := callbacks.Callback{Import: cb.Import, Role: callbacks.Role(cb.Role), Arg: cb.Arg, Table: cb.Table, Slot: cb.Slot,
			Func: cb.Func, Name: cb.Name, Type: cb.Type, Fingerprint: cb.Fingerprint, Sites: make([]callbacks.Site, 0, len(cb.Sites))}
		for _, s := range cb.Sites {
			site := callbacks.Site{Func: s.Func, Name: s.Name, Off: s.Off, Via: slices.Clone(s.Via)}
			if s.Env != nil {
				site.Env = &callbacks.Env{Kind: callbacks.EnvKind(s.Env.Kind), Value: s.Env.Value, Detail: s.Env.Detail}
			}
			out.Sites = append(out.Sites, site)
		}
		a.Callbacks = append(a.Callbacks, out)
	}
	for _, u := range c.Unresolved {
		a.Unresolved = append(a.Unresolved, callbacks.Unresolved{Import: u.Import, Role: callbacks.Role(u.Role), Arg: u.Arg,
			Func: u.Func, Name: u.Name, Off: u.Off, Why: u.Why})
	}
	for _, t := range c.Tables {
		out := callbacks.Table{Index: t.Index, Export: t.Export, Imported: t.Imported, Elem: t.Elem, Min: t.Min, Max: t.Max,
			HasMax: t.HasMax, Unknown: t.Unknown, Entries: make([]callbacks.Entry, len(t.Entries)),
			IndirectUses: t.IndirectUses, IndirectFuncs: slices.Clone(t.IndirectFuncs)}
		for _, op := range t.Ops {
			out.Ops = append(out.Ops, callbacks.TableOp{Op: op.Op, Write: op.Write, Func: op.Func, Off: op.Off, Known: op.Known, Start: op.Start, End: op.End})
		}
		names := make(map[int64]string, len(t.EntryNames))
		for _, n := range t.EntryNames {
			names[int64(n.Func)] = n.Name
		}
		for s, fn := range t.Entries {
			out.Entries[s] = callbacks.Entry{Func: fn}
			if fn >= 0 {
				out.Entries[s].Name = names[fn]
			}
		}
		a.Tables = append(a.Tables, out)
	}
	return a
}

func analysisArgs(args []ProfileArg) []callbacks.ProfileArg {
	out := make([]callbacks.ProfileArg, 0, len(args))
	for _, a := range args {
		out = append(out, callbacks.ProfileArg{Index: a.Index, Role: callbacks.Role(a.Role), Env: a.Env})
	}
	return out
}

// AnalysisProfiles returns the profiles the analysis was made with.
func (c *Callbacks) AnalysisProfiles() []callbacks.Profile {
	out := make([]callbacks.Profile, 0, len(c.Profiles))
	for _, p := range c.Profiles {
		out = append(out, callbacks.Profile{Module: p.Module, Name: p.Name, Table: p.Table, Args: analysisArgs(p.Args)})
	}
	return out
}

// SameProfiles reports whether two lists of profiles match the same
// callback arguments, in any order.
func SameProfiles(a, b []callbacks.Profile) bool {
	return slices.Equal(profileKeys(a), profileKeys(b))
}

// ProfilesText renders profiles for messages, in the --callback-import
// syntax: "ic0.call_new:4,6 ic0.call_on_cleanup:0 env.register:0".
func ProfilesText(ps []callbacks.Profile) string {
	var parts []string
	for _, p := range ps {
		args := make([]string, len(p.Args))
		for i, a := range p.Args {
			args[i] = strconv.Itoa(a.Index)
		}
		parts = append(parts, p.Import()+":"+strings.Join(args, ","))
	}
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), " ")
}

// ProfilesTexts renders two lists of profiles that SameProfiles tells
// apart, for a message saying so: in the --callback-import syntax, or,
// where that renders both alike (they differ in the roles or env
// arguments a manifest records), with the roles and env arguments too:
// "ic0.call_on_cleanup:0=reply/env1".
func ProfilesTexts(a, b []callbacks.Profile) (string, string) {
	ta, tb := ProfilesText(a), ProfilesText(b)
	if ta != tb {
		return ta, tb
	}
	return strings.Join(slices.Compact(profileKeys(a)), " "), strings.Join(slices.Compact(profileKeys(b)), " ")
}

func profileKeys(ps []callbacks.Profile) []string {
	keys := make([]string, 0, len(ps))
	for _, p := range ps {
		args := make([]string, len(p.Args))
		for i, a := range p.Args {
			args[i] = strconv.Itoa(a.Index)
			if a.Role != callbacks.ArgRole(a.Index) {
				args[i] += "=" + string(a.Role)
			}
			if a.Env >= 0 {
				args[i] += fmt.Sprintf("/env%d", a.Env)
			}
		}
		k := p.Import() + ":" + strings.Join(args, ",")
		if p.Table != 0 {
			k += fmt.Sprintf("@table%d", p.Table)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
