package compat

import (
	"fmt"

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
func locate(base string, o, n *wit.Type, path value.Path) location {
	loc := location{subject: base + path.String()}
	anchor := -1
	var ao, an *wit.Type
	ot, nt := o, n
	for i := 0; ; i++ {
		if ot.Named() && ot.Kind != wit.Own && ot.Kind != wit.Borrow {
			anchor, ao, an = i, ot, nt
		}
		if i == len(path) {
			break
		}
		ot, nt = path[i].In(ot), path[i].In(nt)
		if ot == nil {
			break
		}
	}
	if anchor < 0 {
		return loc
	}
	loc.subject = ownerSubject(ao.Owner) + "#" + ao.Name + path[anchor:].String()
	loc.old = ao.DefinitionWIT()
	if an != nil {
		loc.new = an.DefinitionWIT()
	}
	return loc
}

// stepMessage says what a value step found, at subject.
func stepMessage(subject string, s value.Step) string {
	msg := s.Message
	if msg == "" {
		msg = fmt.Sprintf("%s (%s to %s)", s.Code, s.Old, s.New)
	}
	return subject + ": " + msg
}
