package rewrite

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
)

// maxTableGrowth bounds how far Pin grows a table.
const maxTableGrowth = 1 << 20

// layout decides, per table, which slots get which function, where the
// displaced functions go, and checks that nothing at run time can undo it.
func (p *pinner) layout() error {
	for _, t := range slices.Sorted(maps.Keys(p.plans)) {
		tp := p.plans[t]
		tab := tp.table
		if len(tp.want) == 0 && len(tp.pendingNew) == 0 {
			continue
		}
		switch {
		case tab.Imported:
			return errorAt(-1, "table %d is imported: its slots are filled outside the module, so pinning callbacks in it cannot be done or proven here", t)
		case tab.Elem != core.FuncRef.String():
			return errorAt(-1, "table %d holds %s, not functions", t, tab.Elem)
		case tab.Unknown != "" && !tab.UnknownExprs:
			return errorAt(p.tableOff(t), "the initial contents of table %d are not known (%s), so a pinned slot could displace an unknown function", t, tab.Unknown)
		case uint64(len(tab.Entries)) != tab.Min:
			return errorAt(p.tableOff(t), "table %d has %d slots, more than pin models", t, tab.Min)
		}
		// Fresh slots lie beyond the table, every wanted slot and every slot
		// the lock reserves.
		fresh := tp.oldSize
		for s := range tp.want {
			fresh = max(fresh, uint64(s)+1)
		}
		if lt := p.lock.table(t, false); lt != nil {
			for _, s := range lt.Slots {
				fresh = max(fresh, uint64(s.Slot)+1)
			}
		}
		need := tp.oldSize
		alloc := func() (uint32, error) {
			if fresh >= tp.oldSize+maxTableGrowth || fresh > 0xFFFFFFFE {
				return 0, errorAt(p.tableOff(t), "pinning would grow table %d beyond %d slots", t, tp.oldSize+maxTableGrowth)
			}
			s := uint32(fresh)
			fresh++
			need = max(need, fresh)
			return s, nil
		}
		for _, n := range tp.pendingNew {
			s, err := alloc()
			if err != nil {
				return err
			}
			if err := p.want(tp, s, n, true); err != nil {
				return err
			}
			p.lock.add(t, s, identity(n))
		}
		for _, s := range slices.Sorted(maps.Keys(tp.want)) {
			f := tp.want[s]
			if uint64(s) >= tp.oldSize {
				if uint64(s)+1 > tp.oldSize+maxTableGrowth {
					return errorAt(p.tableOff(t), "slot %d of table %d is too far beyond the table's %d slots to pin", s, t, tp.oldSize)
				}
				tp.place[s] = placed{fn: f}
				need = max(need, uint64(s)+1)
				continue
			}
			en := tab.Entries[s]
			if en.Func == int64(f) {
				continue
			}
			if en.Func == callbacks.EntryUnknown && en.Expr == nil {
				return errorAt(p.tableOff(t), "slot %d of table %d, which pinning gives to %s, holds something pin cannot name: %s; refusing to pin", s, t, tp.why[s], tab.Reason(uint64(s)))
			}
			tp.place[s] = placed{fn: f}
			to, err := alloc()
			if err != nil {
				return err
			}
			tp.remap[s] = to
			// The displaced content moves exactly: the same element
			// expression, the same function, or an explicit null (a
			// table's initializer may fill grown slots otherwise).
			rel := Relocated{Table: t, Slot: s, To: to, Func: en.Func, Name: en.Name}
			switch {
			case en.Expr != nil:
				tp.place[to] = placed{expr: en.Expr}
				rel.Expr = exprString(en.Expr)
			case en.Func >= 0:
				tp.place[to] = placed{fn: uint32(en.Func)}
			default:
				tp.place[to] = placed{null: true}
			}
			p.res.Relocated = append(p.res.Relocated, rel)
		}
		tp.newSize = need
		tp.hasRemap = len(tp.remap) > 0 || tp.newSize > tp.oldSize
		if tp.newSize > tp.oldSize {
			p.res.Tables = append(p.res.Tables, TableChange{Table: t, From: tp.oldSize, To: tp.newSize})
		}
		if len(tp.place) > 0 {
			p.res.placed = true
		}
		if err := p.checkOps(tp); err != nil {
			return err
		}
	}
	return nil
}

// tableOff returns the offset of table t's definition, or -1.
func (p *pinner) tableOff(t uint32) int64 {
	if i := int(t) - p.m.ImportedTables(); i >= 0 && i < len(p.m.Tables) {
		return int64(p.m.Tables[i].Off)
	}
	for i := range p.m.Imports {
		if im := &p.m.Imports[i]; im.Kind == core.KindTable {
			if t == 0 {
				return int64(im.Off)
			}
			t--
		}
	}
	return -1
}

// exprString renders a constant expression for messages: "global.get 0".
func exprString(e *core.ConstExpr) string {
	var b strings.Builder
	for i, in := range e.Instrs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(in.Op.String())
		switch in.Op {
		case core.OpGlobalGet, core.OpRefFunc:
			fmt.Fprintf(&b, " %d", in.Index)
		case core.OpI32Const, core.OpI64Const:
			fmt.Fprintf(&b, " %d", in.I64)
		}
	}
	return b.String()
}

// checkOps refuses a module whose run-time table instructions could undo
// the pin or observe the change.
func (p *pinner) checkOps(tp *tablePlan) error {
	t := tp.table.Index
	pinned := slices.Sorted(maps.Keys(tp.want))
	moved := slices.Sorted(maps.Keys(tp.remap))
	where := func(op callbacks.TableOp) string {
		return fmt.Sprintf("%s on table %d in %s", op.Op, t, callbacks.FuncLabel(op.Func, p.m.FuncName(op.Func)))
	}
	slotList := func(ss []uint32) string {
		var b strings.Builder
		for i, s := range ss {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprint(&b, s)
		}
		return b.String()
	}
	for _, op := range tp.table.Ops {
		switch {
		case op.Op == "table.size" || op.Op == "table.grow":
			if tp.newSize != tp.oldSize {
				return errorAt(int64(op.Off), "%s observes the table's size, which pinning changes from %d to %d; refusing to pin", where(op), tp.oldSize, tp.newSize)
			}
		case !op.Known:
			verb := "write"
			if !op.Write {
				verb = "read"
			}
			return errorAt(int64(op.Off), "%s may %s any slot, so it could undo the pin of slot(s) %s; refusing to pin (only writes whose slots are constant can be proven harmless)", where(op), verb, slotList(pinned))
		case op.End > tp.oldSize && tp.newSize > tp.oldSize:
			return errorAt(int64(op.Off), "%s reaches slots %d..%d, beyond the table's %d slots that pinning extends; refusing to pin", where(op), op.Start, op.End-1, tp.oldSize)
		default:
			check := pinned
			if !op.Write {
				check = moved
			}
			for _, s := range check {
				if uint64(s) >= op.Start && uint64(s) < op.End {
					verb := "overwrites"
					if !op.Write {
						verb = "copies"
					}
					return errorAt(int64(op.Off), "%s %s slot %d, which pinning gives to %s; refusing to pin", where(op), verb, s, tp.why[s])
				}
			}
		}
	}
	return nil
}
