package rewrite

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/internal/jsontext"
)

// LockSchema identifies the lockfile layout (docs/lockfile.md).
const LockSchema = "wfcompat.lock/v1"

// Lock records, per table, which callback each pinned slot holds. It is
// meant to be committed beside the build and grows across releases: a
// slot, once given to a callback, stays reserved for it, because a response
// to a call made by any earlier release may still arrive there.
type Lock struct {
	Schema string      `json:"schema"`
	Tables []LockTable `json:"tables"`
}

// LockTable holds the pinned slots of one table.
type LockTable struct {
	Table uint32 `json:"table"`
	// Export is the name the table was last exported under ("" if internal).
	Export string     `json:"export,omitempty"`
	Slots  []LockSlot `json:"slots"`
}

// LockSlot is one pinned slot and the callback roles registered at it.
type LockSlot struct {
	Slot      uint32         `json:"slot"`
	Callbacks []LockCallback `json:"callbacks"`
}

// LockCallback identifies a callback: the registering import and argument
// role, and the function's name, fingerprint and signature in the latest
// build pinned.
type LockCallback struct {
	Import      string         `json:"import"`
	Role        callbacks.Role `json:"role"`
	Name        string         `json:"name,omitempty"`
	Fingerprint string         `json:"fingerprint"`
	// Type is the function's signature ("(func (param i32))"), which the
	// host's call of the slot must match: pin warns when the build's
	// callback for the slot has another. "" in a lock written before the
	// lock recorded signatures.
	Type string `json:"type,omitempty"`
}

// LockFromAnalysis returns the lock describing where a's callbacks are. It
// fails if a has unresolved callbacks: a lock must not miss a slot.
func LockFromAnalysis(a *callbacks.Analysis) (*Lock, error) {
	if len(a.Unresolved) > 0 {
		return nil, unresolvedError(a.Unresolved, "cannot take callback slots from a module")
	}
	l := &Lock{Schema: LockSchema, Tables: []LockTable{}}
	for i := range a.Callbacks {
		c := &a.Callbacks[i]
		l.add(c.Table, c.Slot, identity(c))
	}
	// The analysis knows what the element segments put in each slot. A
	// slot the module writes at run time, or of a table filled outside it,
	// may have held another function when a call was made: a lock taken
	// from it could pin the wrong one.
	for _, lt := range l.Tables {
		t := a.Table(lt.Table)
		if t == nil {
			continue
		}
		if t.Imported {
			return nil, errorAt(-1, "cannot take callback slots from a module that imports its callback table %d: code outside the module may change the slots at any time", lt.Table)
		}
		slots := make([]uint32, len(lt.Slots))
		for k, s := range lt.Slots {
			slots[k] = s.Slot
		}
		if ws := t.WritesTo(slots); len(ws) > 0 {
			w := ws[0]
			what := "may write any slot"
			if w.Known {
				what = fmt.Sprintf("writes slots %d..%d", w.Start, w.End-1)
			}
			return nil, errorAt(int64(w.Off), "cannot take callback slots from a module that writes its callback table at run time: %s on table %d in %s %s, which include callback slots, so a call may have named a slot holding another function",
				w.Op, lt.Table, callbacks.FuncLabel(w.Func, ""), what)
		}
	}
	for i := range l.Tables {
		if t := a.Table(l.Tables[i].Table); t != nil {
			l.Tables[i].Export = t.Export
		}
	}
	l.sort()
	return l, nil
}

// add records cb at slot s of table t, replacing the entry for the same
// import and role.
func (l *Lock) add(t, s uint32, cb LockCallback) {
	lt := l.table(t, true)
	i := slices.IndexFunc(lt.Slots, func(x LockSlot) bool { return x.Slot == s })
	if i < 0 {
		lt.Slots = append(lt.Slots, LockSlot{Slot: s})
		i = len(lt.Slots) - 1
	}
	ls := &lt.Slots[i]
	for k := range ls.Callbacks {
		if ls.Callbacks[k].Import == cb.Import && ls.Callbacks[k].Role == cb.Role {
			ls.Callbacks[k] = cb
			return
		}
	}
	ls.Callbacks = append(ls.Callbacks, cb)
}

func (l *Lock) table(t uint32, create bool) *LockTable {
	for i := range l.Tables {
		if l.Tables[i].Table == t {
			return &l.Tables[i]
		}
	}
	if !create {
		return nil
	}
	l.Tables = append(l.Tables, LockTable{Table: t, Slots: []LockSlot{}})
	return &l.Tables[len(l.Tables)-1]
}

func (l *Lock) sort() {
	slices.SortFunc(l.Tables, func(a, b LockTable) int { return cmp.Compare(a.Table, b.Table) })
	for i := range l.Tables {
		lt := &l.Tables[i]
		slices.SortFunc(lt.Slots, func(a, b LockSlot) int { return cmp.Compare(a.Slot, b.Slot) })
		for k := range lt.Slots {
			slices.SortFunc(lt.Slots[k].Callbacks, func(a, b LockCallback) int {
				return cmp.Or(cmp.Compare(a.Import, b.Import), cmp.Compare(a.Role, b.Role))
			})
		}
	}
}

// Clone returns a deep copy of l.
func (l *Lock) Clone() *Lock {
	c := &Lock{Schema: l.Schema, Tables: make([]LockTable, len(l.Tables))}
	for i, t := range l.Tables {
		t.Slots = slices.Clone(t.Slots)
		for k := range t.Slots {
			t.Slots[k].Callbacks = slices.Clone(t.Slots[k].Callbacks)
		}
		c.Tables[i] = t
	}
	return c
}

// Marshal returns the lockfile text: indented JSON in a fixed key order,
// slots sorted, with a final newline, so that diffs stay small.
func (l *Lock) Marshal() []byte {
	c := l.Clone()
	c.Schema = LockSchema
	c.sort()
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return append(b, '\n')
}

// lockErrorAt is a lockfile syntax error at byte offset off of b, with its
// line and column: "parse lockfile: offset 0x1a (line 2, column 7): …".
func lockErrorAt(b []byte, off int64, err error) error {
	off = min(max(off, 0), int64(len(b)))
	line := bytes.Count(b[:off], []byte("\n")) + 1
	col := off - int64(bytes.LastIndexByte(b[:off], '\n')+1) + 1
	return fmt.Errorf("parse lockfile: offset 0x%x (line %d, column %d): %w", off, line, col, err)
}

// lastKey returns the offset of the last object key name in b, or def
// when there is none.
func lastKey(b []byte, name string, def int64) int64 {
	at := int64(-1)
	for from := 0; from < len(b); {
		i := jsontext.KeyOffset(b[from:], name)
		if i < 0 {
			break
		}
		at, from = int64(from+i), from+i+1
	}
	if at < 0 {
		return def
	}
	return at
}

// ParseLock parses a lockfile and checks it.
func ParseLock(b []byte) (*Lock, error) {
	var l Lock
	if i := jsontext.InvalidUTF8(b); i >= 0 {
		return nil, lockErrorAt(b, int64(i), errors.New("invalid UTF-8 (a lockfile is UTF-8 JSON text)"))
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&l); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		off := d.InputOffset()
		switch {
		case errors.As(err, &se):
			off = se.Offset
			if strings.HasPrefix(se.Error(), "invalid character") {
				off-- // the offset counts the offending byte
			}
		case errors.As(err, &te):
			off = jsontext.ValueStart(b, te.Offset, te.Value)
		case strings.HasPrefix(err.Error(), `json: unknown field "`):
			// encoding/json stops after the object that has the field: the
			// field is that key's last occurrence before there.
			if name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field ")); uerr == nil {
				off = lastKey(b[:min(off, int64(len(b)))], name, off)
			}
		case errors.Is(err, io.EOF):
			err = errors.New("empty lockfile")
		case errors.Is(err, io.ErrUnexpectedEOF):
			off, err = int64(len(b)), errors.New("truncated")
		}
		return nil, lockErrorAt(b, off, err)
	}
	if rest := bytes.TrimLeft(b[d.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, lockErrorAt(b, int64(len(b)-len(rest)), errors.New("data after the lock"))
	}
	if l.Schema != LockSchema {
		return nil, fmt.Errorf("lockfile schema %q, want %q", l.Schema, LockSchema)
	}
	seenT := map[uint32]bool{}
	for _, t := range l.Tables {
		if seenT[t.Table] {
			return nil, fmt.Errorf("lockfile lists table %d twice", t.Table)
		}
		seenT[t.Table] = true
		seenS := map[uint32]bool{}
		for _, s := range t.Slots {
			if seenS[s.Slot] {
				return nil, fmt.Errorf("lockfile lists slot %d of table %d twice", s.Slot, t.Table)
			}
			seenS[s.Slot] = true
			if len(s.Callbacks) == 0 {
				return nil, fmt.Errorf("lockfile slot %d of table %d has no callbacks", s.Slot, t.Table)
			}
			for _, c := range s.Callbacks {
				if c.Import == "" || c.Role == "" {
					return nil, fmt.Errorf("lockfile slot %d of table %d: callback without import or role", s.Slot, t.Table)
				}
			}
		}
	}
	if l.Tables == nil {
		l.Tables = []LockTable{}
	}
	l.sort()
	return &l, nil
}
