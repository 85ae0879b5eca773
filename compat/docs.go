package compat

import (
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// docs reports a documentation difference at subject (info only): the
// documentation of what (kind and name, as "function get") changed.
func (d *differ) docs(subject, kind, name, o, n string) {
	if sameDocs(o, n) {
		return
	}
	d.add(RuleDocsChanged, subject, fmt.Sprintf("the documentation of %s %s changed", kind, name), o, n)
}

// sameDocs reports whether documentation o and n are the same text, but
// for surrounding white space.
func sameDocs(o, n string) bool { return strings.TrimSpace(o) == strings.TrimSpace(n) }

// typeDocs compares the docs of a type definition and of its fields and
// cases matched by name.
func (d *differ) typeDocs(subject string, o, n *wit.TypeDef) {
	d.docs(subject, "type", o.Name, o.Docs, n.Docs)
	if o.Type == nil || n.Type == nil {
		return
	}
	for _, of := range o.Type.Fields {
		for _, nf := range n.Type.Fields {
			if of.Name == nf.Name && !sameDocs(of.Docs, nf.Docs) {
				d.docs(subject+".field("+of.Name+")", "field", of.Name+" of "+o.Name, of.Docs, nf.Docs)
			}
		}
	}
	for _, oc := range o.Type.Cases {
		for _, nc := range n.Type.Cases {
			if oc.Name == nc.Name && !sameDocs(oc.Docs, nc.Docs) {
				d.docs(subject+".case("+oc.Name+")", "case", oc.Name+" of "+o.Name, oc.Docs, nc.Docs)
			}
		}
	}
}
