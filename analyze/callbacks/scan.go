package callbacks

import (
	"fmt"
	"slices"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// Scan holds what the analysis's first pass reads from each function body
// of a module: the functions it calls, the functions it takes references
// to, the tables it calls through or reads, and whether it has other
// table instructions. These depend on nothing but the body's bytes, so the
// analysis of a module that shares bodies with an analyzed one (a
// rewrite's output and its input) can take them from the earlier Scan
// instead of decoding those bodies again: see Options.Record and
// Options.Reuse.
type Scan struct {
	m        *core.Module
	calls    []uint32 // call and return_call targets
	refs     []scanRef
	tables   []uint32 // table of each call_indirect, return_call_indirect and table.get
	tableOps []bool   // a body has table.set, .fill, .grow, .size, .init or .copy
	ends     []scanEnd
}

// scanRef is a ref.func: its offset from the start of the body, and its
// target.
type scanRef struct{ off, target uint32 }

// scanEnd is where the facts of one body end in Scan's slices.
type scanEnd struct{ calls, refs, tables int }

// Bodies returns the number of bodies the scan read.
func (s *Scan) Bodies() int { return len(s.ends) }

func (s *Scan) reset(m *core.Module) {
	*s = Scan{m: m, calls: s.calls[:0], refs: s.refs[:0], tables: s.tables[:0], tableOps: s.tableOps[:0], ends: s.ends[:0]}
	s.ends = slices.Grow(s.ends, len(m.Code))
	s.tableOps = slices.Grow(s.tableOps, len(m.Code))
}

// span returns the facts of body ci.
func (s *Scan) span(ci int) (calls []uint32, refs []scanRef, tables []uint32, tableOps bool) {
	var start scanEnd
	if ci > 0 {
		start = s.ends[ci-1]
	}
	end := s.ends[ci]
	return s.calls[start.calls:end.calls], s.refs[start.refs:end.refs], s.tables[start.tables:end.tables], s.tableOps[ci]
}

// same reports whether body ci of m is byte for byte body ci of the
// scanned module.
func (s *Scan) same(m *core.Module, ci int) bool {
	return s != nil && s.m != nil && ci < len(s.ends) && ci < len(s.m.Code) &&
		string(s.m.Code[ci].Body) == string(m.Code[ci].Body)
}

// read appends the facts of body c, decoding it with r.
func (s *Scan) read(r *core.InstrReader, c *core.Code) error {
	r.ResetCode(c)
	ops := false
	// r.Op and r.Current read the reader's instruction in place: copying
	// the whole Instr per instruction cost a third of the scan.
	for r.Next() {
		switch r.Op() {
		case core.OpCall, core.OpReturnCall:
			s.calls = append(s.calls, r.Current().Index)
		case core.OpRefFunc:
			in := r.Current()
			s.refs = append(s.refs, scanRef{off: in.Off - c.Start, target: in.Index})
		case core.OpCallIndirect, core.OpReturnCallIndirect:
			s.tables = append(s.tables, r.Current().Index2)
		case core.OpTableGet:
			s.tables = append(s.tables, r.Current().Index)
		case core.OpTableSet, core.OpTableFill, core.OpTableGrow, core.OpTableSize, core.OpTableInit, core.OpTableCopy:
			ops = true
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	s.close(ops)
	return nil
}

// copyFrom appends the facts of body ci of o.
func (s *Scan) copyFrom(o *Scan, ci int) {
	calls, refs, tables, ops := o.span(ci)
	s.calls = append(s.calls, calls...)
	s.refs = append(s.refs, refs...)
	s.tables = append(s.tables, tables...)
	s.close(ops)
}

func (s *Scan) close(ops bool) {
	s.tableOps = append(s.tableOps, ops)
	s.ends = append(s.ends, scanEnd{calls: len(s.calls), refs: len(s.refs), tables: len(s.tables)})
}

// scan returns the functions that call a member of set, and reports
// ref.func of members. The first round walks every body (or takes its
// facts from opts.Reuse): it counts indirect uses of each table, selects
// the functions with table instructions for simulation, and indexes every
// direct call and ref.func, so that later rounds (forwarders) are look-ups
// instead of walks.
func (z *analyzer) scan(set map[uint32]bool, first bool) ([]uint32, error) {
	if !first {
		return z.scanIndex(set), nil
	}
	m := z.m
	s := z.record
	if s == nil {
		s = &Scan{}
	}
	s.reset(m)
	var out []uint32
	z.callersOf = map[uint32][]uint32{}
	for ci := range m.Code {
		fn := z.nimp + uint32(ci)
		c := &m.Code[ci]
		if z.reuse.same(m, ci) {
			s.copyFrom(z.reuse, ci)
		} else if err := s.read(&z.r, c); err != nil {
			return nil, fmt.Errorf("function %d: %w", fn, err)
		}
		calls, refs, tables, want := s.span(ci)
		for _, x := range calls {
			if cs := z.callersOf[x]; len(cs) == 0 || cs[len(cs)-1] != fn {
				z.callersOf[x] = append(cs, fn)
			}
			if set[x] {
				want = true
				if x < z.nimp {
					z.addCaller(x, fn)
				}
			}
		}
		for _, rf := range refs {
			off := c.Start + rf.off
			z.refFuncs = append(z.refFuncs, refFunc{fn: fn, off: off, target: rf.target})
			if set[rf.target] {
				z.refFuncUnresolved(fn, off, rf.target)
			}
		}
		for _, t := range tables {
			z.indirect(t, fn)
		}
		if want {
			out = append(out, fn)
		}
	}
	return out, nil
}
