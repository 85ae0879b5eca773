package callbacks

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

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
	for r.SkipPlain(&scanStops); r.Next(); r.SkipPlain(&scanStops) {
		// r.Current reads the instruction in place: copying the whole
		// Instr per instruction cost a third of the scan.
		if s.note(r.Current(), c.Start) {
			ops = true
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	s.close(ops)
	return nil
}

// scanStops are the one-byte opcodes note records: read skips the
// others undecoded (SkipPlain). The two-byte table instructions (0xFC)
// are never skipped.
var scanStops = [256]bool{core.OpCall: true, core.OpReturnCall: true, core.OpRefFunc: true, core.OpCallIndirect: true,
	core.OpReturnCallIndirect: true, core.OpTableGet: true, core.OpTableSet: true}

// note records the facts of instruction in of the body that starts at
// offset start; it reports the table instructions that make the body's
// tableOps.
func (s *Scan) note(in *core.Instr, start uint32) bool {
	switch in.Op {
	case core.OpCall, core.OpReturnCall:
		s.calls = append(s.calls, in.Index)
	case core.OpRefFunc:
		s.refs = append(s.refs, scanRef{off: in.Off - start, target: in.Index})
	case core.OpCallIndirect, core.OpReturnCallIndirect:
		s.tables = append(s.tables, in.Index2)
	case core.OpTableGet:
		s.tables = append(s.tables, in.Index)
	case core.OpTableSet, core.OpTableFill, core.OpTableGrow, core.OpTableSize, core.OpTableInit, core.OpTableCopy:
		return true
	}
	return false
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
	whole := z.reuse != nil && z.reuse.m == m && z.reuse.Bodies() == len(m.Code)
	switch {
	case whole && s == nil:
		s = z.reuse // the scan of m itself: nothing to read or copy
	case s == nil:
		s = &Scan{}
		fallthrough
	default:
		s.reset(m)
	}
	nf := m.NumFuncs()
	inSet := make([]bool, nf)
	for x := range set {
		if int(x) < nf {
			inSet[x] = true
		}
	}
	var out []uint32
	for ci := range m.Code {
		fn := z.nimp + uint32(ci)
		c := &m.Code[ci]
		switch {
		case s == z.reuse:
		case z.reuse.same(m, ci):
			s.copyFrom(z.reuse, ci)
		default:
			if err := s.read(&z.r, c); err != nil {
				return nil, fmt.Errorf("function %d: %w", fn, err)
			}
		}
		calls, refs, tables, want := s.span(ci)
		for _, x := range calls {
			if int(x) < nf && inSet[x] {
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
	z.indexCallers(s, nf)
	return out, nil
}

// indexCallers builds the index callee → callers (each once, ascending)
// from the calls of s, in two passes over them instead of a map of
// growing slices; calls of functions out of range (malformed modules)
// are left out: nothing looks them up.
func (z *analyzer) indexCallers(s *Scan, nf int) {
	start := make([]int32, nf+1)
	last := make([]int32, nf) // 1 + the last caller counted, per callee
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			for x := 1; x <= nf; x++ {
				start[x] += start[x-1]
			}
			z.callerList = make([]uint32, start[nf])
			clear(last)
		}
		next := 0
		for ci := range s.ends {
			fn := int32(z.nimp) + int32(ci)
			end := s.ends[ci].calls
			for _, x := range s.calls[next:end] {
				if int(x) >= nf || last[x] == fn+1 {
					continue
				}
				last[x] = fn + 1
				if pass == 0 {
					start[x+1]++
				} else {
					z.callerList[start[x]] = uint32(fn)
					start[x]++
				}
			}
			next = end
		}
	}
	// The fill advanced start[x] to the end of x's callers: shift back.
	copy(start[1:], start[:nf])
	start[0] = 0
	z.callerStart = start
}

// callersOf returns the functions that call x, from the first scan.
func (z *analyzer) callersOf(x uint32) []uint32 {
	if int(x)+1 >= len(z.callerStart) {
		return nil
	}
	return z.callerList[z.callerStart[x]:z.callerStart[x+1]]
}

// ScanBuilder builds the Scan of a module from the instructions another
// pass decodes (validate.Observed), so that the analysis does not decode
// the bodies a second time: Analyze with Options.Reuse set to the built
// Scan reads no body. The pass may read runs of consecutive bodies in
// parallel: each run gets its ScanPart.
type ScanBuilder struct {
	m     *core.Module
	mu    sync.Mutex
	parts []*ScanPart
}

// NewScanBuilder returns a builder of the Scan of m.
func NewScanBuilder(m *core.Module) *ScanBuilder { return &ScanBuilder{m: m} }

// Part returns the recorder of the n bodies from code-section index
// first, which it must see in order, each followed by EndBody. It may be
// called from several goroutines; each part is used by one.
func (b *ScanBuilder) Part(first, n int) *ScanPart {
	p := &ScanPart{m: b.m, first: first, n: n, ci: first}
	b.mu.Lock()
	b.parts = append(b.parts, p)
	b.mu.Unlock()
	return p
}

// Scan joins the parts, which must cover every body of the module once,
// each seen to its end.
func (b *ScanBuilder) Scan() (*Scan, error) {
	b.mu.Lock()
	parts := slices.Clone(b.parts)
	b.mu.Unlock()
	// Empty runs first among those starting at the same body.
	slices.SortFunc(parts, func(x, y *ScanPart) int { return cmp.Or(x.first-y.first, x.n-y.n) })
	s := &Scan{}
	s.reset(b.m)
	for _, p := range parts {
		if p.first != s.Bodies() || p.ci != p.first+p.n || p.s.Bodies() != p.n {
			return nil, fmt.Errorf("internal error: the scan parts do not cover the bodies (part %d+%d saw %d, %d bodies joined)", p.first, p.n, p.s.Bodies(), s.Bodies())
		}
		base := scanEnd{calls: len(s.calls), refs: len(s.refs), tables: len(s.tables)}
		s.calls = append(s.calls, p.s.calls...)
		s.refs = append(s.refs, p.s.refs...)
		s.tables = append(s.tables, p.s.tables...)
		s.tableOps = append(s.tableOps, p.s.tableOps...)
		for _, e := range p.s.ends {
			s.ends = append(s.ends, scanEnd{calls: base.calls + e.calls, refs: base.refs + e.refs, tables: base.tables + e.tables})
		}
	}
	if s.Bodies() != len(b.m.Code) {
		return nil, fmt.Errorf("internal error: the scan parts cover %d of %d bodies", s.Bodies(), len(b.m.Code))
	}
	return s, nil
}

// ScanPart records the scan facts of a run of bodies from their
// instructions; it implements validate.Observer.
type ScanPart struct {
	m        *core.Module
	first, n int
	ci       int // the body being seen
	ops      bool
	s        Scan
}

// Observes reports the instructions the scan records.
func (p *ScanPart) Observes(op core.Opcode) bool {
	switch op {
	case core.OpCall, core.OpReturnCall, core.OpRefFunc, core.OpCallIndirect, core.OpReturnCallIndirect, core.OpTableGet,
		core.OpTableSet, core.OpTableFill, core.OpTableGrow, core.OpTableSize, core.OpTableInit, core.OpTableCopy:
		return true
	}
	return false
}

// Instr records one instruction of the current body.
func (p *ScanPart) Instr(in *core.Instr) {
	if p.s.note(in, p.m.Code[p.ci].Start) {
		p.ops = true
	}
}

// EndBody closes the current body.
func (p *ScanPart) EndBody() {
	p.s.close(p.ops)
	p.ops = false
	p.ci++
}

// Equal reports whether s and o hold the same facts (of the same number
// of bodies), whatever modules they were read from.
func (s *Scan) Equal(o *Scan) bool {
	return slices.Equal(s.calls, o.calls) && slices.Equal(s.refs, o.refs) && slices.Equal(s.tables, o.tables) &&
		slices.Equal(s.tableOps, o.tableOps) && slices.Equal(s.ends, o.ends)
}
