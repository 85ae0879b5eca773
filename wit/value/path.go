package value

import (
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// SegKind is what a path segment steps into.
type SegKind uint8

// Segment kinds.
const (
	SegField SegKind = iota + 1 // a record field, by name: .field(qty)
	SegCase                     // a variant or enum case, by name: .case(ok)
	SegFlag                     // a flag, by name: .flag(read)
	SegElem                     // the element of a list, option, future or stream: .elem
	SegTuple                    // a tuple member, by index: .elems[1]
	SegOk                       // a result's ok payload: .ok
	SegErr                      // a result's err payload: .err
)

// Seg is one step of a Path into a type.
type Seg struct {
	Kind SegKind
	// Name is the field, case or flag name (SegField, SegCase, SegFlag).
	Name string
	// Index is the tuple member (SegTuple).
	Index int
}

// FieldSeg names a record field.
func FieldSeg(name string) Seg { return Seg{Kind: SegField, Name: name} }

// CaseSeg names a variant or enum case.
func CaseSeg(name string) Seg { return Seg{Kind: SegCase, Name: name} }

// FlagSeg names a flag.
func FlagSeg(name string) Seg { return Seg{Kind: SegFlag, Name: name} }

// ElemSeg names the element of a list, option, future or stream.
func ElemSeg() Seg { return Seg{Kind: SegElem} }

// TupleSeg names tuple member i.
func TupleSeg(i int) Seg { return Seg{Kind: SegTuple, Index: i} }

// OkSeg names a result's ok payload.
func OkSeg() Seg { return Seg{Kind: SegOk} }

// ErrSeg names a result's err payload.
func ErrSeg() Seg { return Seg{Kind: SegErr} }

// String renders the segment as in a finding subject: ".field(qty)".
func (s Seg) String() string {
	var sb strings.Builder
	switch s.Kind {
	case SegField:
		sb.WriteString(".field(" + s.Name + ")")
	case SegCase:
		sb.WriteString(".case(" + s.Name + ")")
	case SegFlag:
		sb.WriteString(".flag(" + s.Name + ")")
	case SegElem:
		sb.WriteString(".elem")
	case SegTuple:
		sb.WriteString(".elems[" + strconv.Itoa(s.Index) + "]")
	case SegOk:
		sb.WriteString(".ok")
	case SegErr:
		sb.WriteString(".err")
	}
	return sb.String()
}

// In returns the part of t the segment names (a field's, case's or
// member's type, an element or payload type), or nil: when t has no such
// part, or for a flag or a payload-less case, which have no type.
func (s Seg) In(t *wit.Type) *wit.Type {
	if t == nil {
		return nil
	}
	switch s.Kind {
	case SegField:
		return t.FieldType(s.Name)
	case SegCase:
		return t.CaseType(s.Name)
	case SegElem:
		return t.Elem
	case SegTuple:
		if s.Index >= 0 && s.Index < len(t.Elems) {
			return t.Elems[s.Index]
		}
	case SegOk:
		return t.Ok
	case SegErr:
		return t.Err
	}
	return nil
}

// Path locates a part of a value or type from the top: the segments in
// order. The empty path is the top. Its string form is the finding-subject
// syntax: ".field(qty).elems[0].elem".
type Path []Seg

// With returns p extended by s, sharing nothing with p.
func (p Path) With(s Seg) Path {
	q := make(Path, len(p)+1)
	copy(q, p)
	q[len(p)] = s
	return q
}

// String renders p as ".field(qty).elem"; "" for the top.
func (p Path) String() string {
	var b strings.Builder
	for _, s := range p {
		b.WriteString(s.String())
	}
	return b.String()
}
