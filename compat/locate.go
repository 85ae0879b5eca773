package compat

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// location is where a value step points, as a finding subject, with the
// declarations to show on each side.
type location struct {
	subject  string
	old, new string
}

// locate turns a value step's path inside the types o and n (found at
// subject base, such as "pkg:ns/api#f1.param(order)") into a finding
// location. A step inside a named type is anchored at the innermost named
// definition on its path ("pkg:ns/types#order.field(qty)"), so that a change
// to a type several functions use is reported once; Old and New then show
// the definitions.
func locate(base string, o, n *wit.Type, path string) location {
	loc := location{subject: base + path}
	segs := splitPath(path)
	anchor := -1
	var ao, an *wit.Type
	ot, nt := o, n
	for i := 0; ; i++ {
		if ot.Named() && ot.Kind != wit.Own && ot.Kind != wit.Borrow {
			anchor, ao, an = i, ot, nt
		}
		if i == len(segs) {
			break
		}
		ot, nt = child(ot, segs[i]), child(nt, segs[i])
		if ot == nil {
			break
		}
	}
	if anchor < 0 {
		return loc
	}
	loc.subject = ownerSubject(ao.Owner) + "#" + ao.Name + strings.Join(segs[anchor:], "")
	loc.old = ao.DefinitionWIT()
	if an != nil {
		loc.new = an.DefinitionWIT()
	}
	return loc
}

// splitPath splits a value step path (".field(qty).elems[0].elem", the
// syntax of value.Step.Path) into segments,
// each with its leading dot.
func splitPath(p string) []string {
	var segs []string
	depth := 0
	start := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '(':
			depth++
		case ')':
			depth--
		case '.':
			if depth == 0 && i > start {
				segs = append(segs, p[start:i])
				start = i
			}
		}
	}
	if start < len(p) {
		segs = append(segs, p[start:])
	}
	return segs
}

// child returns the part of t a path segment names, or nil.
func child(t *wit.Type, seg string) *wit.Type {
	if t == nil {
		return nil
	}
	seg = strings.TrimPrefix(seg, ".")
	name, arg, _ := strings.Cut(strings.TrimSuffix(seg, ")"), "(")
	switch name {
	case "field":
		for _, f := range t.Fields {
			if f.Name == arg {
				return f.Type
			}
		}
	case "case":
		for _, c := range t.Cases {
			if c.Name == arg {
				return c.Type
			}
		}
	case "elem":
		return t.Elem
	case "ok":
		return t.Ok
	case "err":
		return t.Err
	default:
		if idx, ok := strings.CutPrefix(name, "elems["); ok {
			if i, err := strconv.Atoi(strings.TrimSuffix(idx, "]")); err == nil && i >= 0 && i < len(t.Elems) {
				return t.Elems[i]
			}
		}
	}
	return nil
}

// stepMessage says what a value step found, at subject.
func stepMessage(subject string, s value.Step) string {
	msg := s.Message
	if msg == "" {
		msg = fmt.Sprintf("%s (%s to %s)", s.Code, s.Old, s.New)
	}
	return subject + ": " + msg
}
