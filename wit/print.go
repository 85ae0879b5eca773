package wit

import (
	"strconv"
	"strings"
)

// WIT renders a type reference as it appears in a signature: the name of a
// named type, the structure of an anonymous one ("list<u8>", "tuple<u32, string>").
func (t *Type) WIT() string {
	var b strings.Builder
	writeTypeRef(&b, t)
	return b.String()
}

// String is WIT.
func (t *Type) String() string { return t.WIT() }

func writeTypeRef(b *strings.Builder, t *Type) {
	if t == nil {
		b.WriteString("_")
		return
	}
	if t.Name != "" {
		b.WriteString(ident(t.Name))
		return
	}
	writeTypeStructure(b, t)
}

// writeTypeStructure writes the anonymous form of t, ignoring its name.
func writeTypeStructure(b *strings.Builder, t *Type) {
	switch t.Kind {
	case List:
		b.WriteString("list<")
		writeTypeRef(b, t.Elem)
		if t.Len > 0 {
			b.WriteString(", ")
			b.WriteString(strconv.FormatUint(uint64(t.Len), 10))
		}
		b.WriteString(">")
	case Map:
		b.WriteString("map<")
		if t.Elem != nil && len(t.Elem.Elems) == 2 {
			writeTypeRef(b, t.Elem.Elems[0])
			b.WriteString(", ")
			writeTypeRef(b, t.Elem.Elems[1])
		}
		b.WriteString(">")
	case Option:
		b.WriteString("option<")
		writeTypeRef(b, t.Elem)
		b.WriteString(">")
	case Tuple:
		b.WriteString("tuple<")
		for i, e := range t.Elems {
			if i > 0 {
				b.WriteString(", ")
			}
			writeTypeRef(b, e)
		}
		b.WriteString(">")
	case Result:
		switch {
		case t.Ok == nil && t.Err == nil:
			b.WriteString("result")
		case t.Err == nil:
			b.WriteString("result<")
			writeTypeRef(b, t.Ok)
			b.WriteString(">")
		default:
			b.WriteString("result<")
			writeTypeRef(b, t.Ok)
			b.WriteString(", ")
			writeTypeRef(b, t.Err)
			b.WriteString(">")
		}
	case Own:
		// own<r> is written as the bare resource name in WIT.
		writeTypeRef(b, t.Elem)
	case Borrow:
		b.WriteString("borrow<")
		writeTypeRef(b, t.Elem)
		b.WriteString(">")
	case Future, Stream:
		b.WriteString(string(t.Kind))
		if t.Elem != nil {
			b.WriteString("<")
			writeTypeRef(b, t.Elem)
			b.WriteString(">")
		}
	case Record, Variant, Enum, Flags, Resource:
		// Only named in valid WIT; render the definition inline so nothing is lost.
		writeTypeDefBody(b, "", t, "")
	default:
		b.WriteString(string(t.Kind))
	}
}

// WIT renders the definition of a named type:
// "record order { id: u64, qty: u32 }" on several lines, or "type id = u64".
func (d *TypeDef) WIT() string {
	var b strings.Builder
	writeDocs(&b, d.Docs, "")
	writeTypeDefBody(&b, d.Name, d.Type, "")
	return b.String()
}

// DefinitionWIT renders t as a definition when it is named (see TypeDef.WIT)
// and as a reference otherwise.
func (t *Type) DefinitionWIT() string {
	if t == nil || t.Name == "" {
		return t.WIT()
	}
	return (&TypeDef{Name: t.Name, Type: t}).WIT()
}

func writeTypeDefBody(b *strings.Builder, name string, t *Type, indent string) {
	n := ident(name)
	if name == "" {
		n = "_"
	}
	if t == nil {
		b.WriteString("type " + n + " = _")
		return
	}
	inner := indent + "  "
	switch t.Kind {
	case Record:
		b.WriteString("record " + n + " {\n")
		for _, f := range t.Fields {
			writeDocs(b, f.Docs, inner)
			b.WriteString(inner + ident(f.Name) + ": ")
			writeTypeRef(b, f.Type)
			b.WriteString(",\n")
		}
		b.WriteString(indent + "}")
	case Variant:
		b.WriteString("variant " + n + " {\n")
		for _, c := range t.Cases {
			writeDocs(b, c.Docs, inner)
			b.WriteString(inner + ident(c.Name))
			if c.Type != nil {
				b.WriteString("(")
				writeTypeRef(b, c.Type)
				b.WriteString(")")
			}
			b.WriteString(",\n")
		}
		b.WriteString(indent + "}")
	case Enum, Flags:
		b.WriteString(string(t.Kind) + " " + n + " {\n")
		for _, l := range t.Labels {
			b.WriteString(inner + ident(l) + ",\n")
		}
		b.WriteString(indent + "}")
	case Resource:
		if t.Elem != nil {
			// An alias of a resource.
			b.WriteString("type " + n + " = ")
			writeTypeRef(b, t.Elem)
			return
		}
		b.WriteString("resource " + n)
	default:
		b.WriteString("type " + n + " = ")
		writeTypeStructure(b, t)
	}
}

// WIT renders the function as it appears in an interface:
// "f1: func(speed-ms: u64) -> string". Resource functions are rendered with
// their Component Model names ("[method]cart.add-item: func(self: borrow<cart>, ...)").
func (f *Function) WIT() string {
	var b strings.Builder
	b.WriteString(funcIdent(f.Name))
	b.WriteString(": ")
	if f.Async {
		b.WriteString("async ")
	}
	b.WriteString("func(")
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ident(p.Name))
		b.WriteString(": ")
		writeTypeRef(&b, p.Type)
	}
	b.WriteString(")")
	if f.Result != nil {
		b.WriteString(" -> ")
		writeTypeRef(&b, f.Result)
	}
	return b.String()
}

// WIT renders the interface with its named types and functions.
func (i *Interface) WIT() string {
	var b strings.Builder
	writeInterface(&b, "interface "+ident(ParseQName(i.Name).Interface), i, "")
	return b.String()
}

func writeInterface(b *strings.Builder, header string, i *Interface, indent string) {
	writeDocs(b, i.Docs, indent)
	inner := indent + "  "
	b.WriteString(indent + header + " {\n")
	for _, t := range i.Types {
		writeDocs(b, t.Docs, inner)
		b.WriteString(inner)
		writeTypeDefBody(b, t.Name, t.Type, inner)
		if t.Type == nil || (t.Type.Kind != Record && t.Type.Kind != Variant && t.Type.Kind != Enum && t.Type.Kind != Flags) {
			b.WriteString(";")
		}
		b.WriteString("\n")
	}
	for _, f := range i.Functions {
		writeDocs(b, f.Docs, inner)
		b.WriteString(inner + f.WIT() + ";\n")
	}
	b.WriteString(indent + "}")
}

// WIT renders the world: interfaces imported or exported by qualified name are
// written inline (as "import wasi:io/streams@0.2.0 { ... }" blocks, a
// readable listing rather than parseable WIT, since their definitions live in
// other packages).
func (w *World) WIT() string {
	var b strings.Builder
	writeDocs(&b, w.Docs, "")
	if w.Package != "" {
		b.WriteString("package " + w.Package + ";\n\n")
	}
	b.WriteString("world " + ident(w.Name) + " {\n")
	for _, dir := range []struct {
		kw    string
		items []*Item
	}{{"import", w.Imports}, {"export", w.Exports}} {
		for _, it := range dir.items {
			b.WriteString(it.WIT(dir.kw, "  "))
			b.WriteString("\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// WIT renders one world item after keyword ("import" or "export").
func (it *Item) WIT(keyword, indent string) string {
	var b strings.Builder
	switch it.Kind {
	case ItemInterface:
		if it.Interface != nil {
			writeInterface(&b, keyword+" "+it.Name, it.Interface, indent)
		} else {
			b.WriteString(indent + keyword + " " + it.Name + ";")
		}
	case ItemFunction:
		if it.Function != nil {
			b.WriteString(indent + keyword + " " + it.Function.WIT() + ";")
		}
	case ItemType:
		if it.Type != nil {
			b.WriteString(indent + keyword + " ")
			writeTypeDefBody(&b, it.Type.Name, it.Type.Type, indent)
			b.WriteString(";")
		}
	}
	return b.String()
}

func writeDocs(b *strings.Builder, docs, indent string) {
	if docs == "" {
		return
	}
	for _, line := range strings.Split(strings.TrimRight(docs, "\n"), "\n") {
		b.WriteString(indent + "/// " + line + "\n")
	}
}

// isKeyword reports whether s is a WIT keyword, which must be written
// with a leading '%' when used as an identifier. (A switch, not a map: a
// table built at start-up costs every run of the command, most of which
// never print WIT.)
func isKeyword(s string) bool {
	switch s {
	case "use", "type", "func", "u8", "u16", "u32", "u64",
		"s8", "s16", "s32", "s64", "f32", "f64", "float32",
		"float64", "char", "resource", "own", "borrow", "record",
		"flags", "variant", "enum", "bool", "string", "option",
		"result", "future", "stream", "list", "_", "as",
		"from", "static", "interface", "tuple", "import",
		"export", "world", "package", "constructor", "include",
		"with", "async", "error-context":
		return true
	}
	return false
}

func ident(s string) string {
	if isKeyword(s) {
		return "%" + s
	}
	return s
}

// funcIdent writes resource functions with their Component Model names
// unescaped, and escapes keywords among plain names.
func funcIdent(s string) string {
	if strings.HasPrefix(s, "[") {
		return s
	}
	return ident(s)
}
