package value

import (
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

func TestPath(t *testing.T) {
	p := Path{FieldSeg("items"), ElemSeg(), TupleSeg(1), CaseSeg("some"), OkSeg(), ErrSeg(), FlagSeg("read")}
	if got, want := p.String(), ".field(items).elem.elems[1].case(some).ok.err.flag(read)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	q := p[:2].With(FieldSeg("x"))
	if p[2].Kind != SegTuple || q.String() != ".field(items).elem.field(x)" {
		t.Errorf("With shared the backing array: %v / %v", p, q)
	}
	if (Path{}).String() != "" {
		t.Error("the top is not empty")
	}
	u8 := wit.Prim(wit.U8)
	rec := &wit.Type{Kind: wit.Record, Fields: []wit.Field{{Name: "a", Type: &wit.Type{Kind: wit.List, Elem: &wit.Type{Kind: wit.Tuple, Elems: []*wit.Type{u8, &wit.Type{Kind: wit.Result, Ok: u8}}}}}}}
	ty := rec
	for _, s := range (Path{FieldSeg("a"), ElemSeg(), TupleSeg(1), OkSeg()}) {
		ty = s.In(ty)
	}
	if ty != u8 {
		t.Errorf("In walked to %v", ty)
	}
	for _, s := range []Seg{FieldSeg("nope"), TupleSeg(3), CaseSeg("x"), FlagSeg("y")} {
		if s.In(rec) != nil {
			t.Errorf("%v found in a record without it", s)
		}
	}
}
