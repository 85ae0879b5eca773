package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/externs"
)

func writeInspectText(b *strings.Builder, d *Inspection) {
	fmt.Fprintf(b, "path:    %s\nkind:    %s\nsize:    %d bytes\n", d.Path, d.Kind, d.Size)
	if d.SHA256 != "" {
		fmt.Fprintf(b, "sha256:  %s\n", d.SHA256)
	}
	if m := d.Manifest; m != nil {
		where := "the input is a manifest; the artifact itself is not at hand"
		if m.Embedded {
			where = "embedded, describing this binary"
		}
		fmt.Fprintf(b, "manifest: %s, version id %s (%s)\n", m.Schema, m.VersionID, where)
	}
	if f := d.WITFeatures; f != nil {
		// "none" alone: "only none" would name a feature called none.
		if len(*f) == 0 {
			b.WriteString("WIT features: none (items behind @unstable features are left out)\n")
		} else {
			fmt.Fprintf(b, "WIT features: only %s (items behind other @unstable features are left out)\n", strings.Join(*f, ","))
		}
	}
	writeItems(b, "imports", d.Imports)
	writeItems(b, "exports", d.Exports)
	if d.Core != nil {
		writeCore(b, d.Core, "")
	}
	if d.Callbacks != nil {
		if d.Core == nil {
			b.WriteString("\n")
		}
		writeCallbacks(b, d.Callbacks)
	} else if m := d.Manifest; m != nil && !m.Embedded && d.Kind == string(analyze.KindCore) {
		b.WriteString("\ncallbacks: not recorded in the manifest\n")
	}
	if d.CoreExterns != nil {
		writeCoreExterns(b, d.CoreExterns)
	} else if m := d.Manifest; m != nil && !m.Embedded && d.Kind == string(analyze.KindCore) {
		b.WriteString("\ncore externs: not recorded in the manifest\n")
	}
	if len(d.Modules) > 0 {
		fmt.Fprintf(b, "\ncore modules (%d):\n", len(d.Modules))
		for i := range d.Modules {
			m := &d.Modules[i]
			fmt.Fprintf(b, "  [%d] offset 0x%x, %d bytes, %d functions\n", m.Index, m.Offset, m.Size, m.Functions)
			writeRefs(b, "imports", m.Imports, "    ")
			writeRefs(b, "exports", m.Exports, "    ")
		}
	}
}

func writeItems(b *strings.Builder, title string, items []InspectItem) {
	fmt.Fprintf(b, "\n%s (%d):\n", title, len(items))
	for _, it := range items {
		fmt.Fprintf(b, "  %s (%s)\n", it.Name, it.Kind)
		if len(it.TypeNames) > 0 {
			// Definitions are in --json; the text form names them to stay short.
			writeWrapped(b, it.TypeNames, "    types: ", 100)
		}
		for _, f := range it.Functions {
			fmt.Fprintf(b, "    %s\n", f)
		}
	}
}

func writeRefs(b *strings.Builder, title string, refs []InspectCoreRef, indent string) {
	fmt.Fprintf(b, "%s%s (%d):\n", indent, title, len(refs))
	for _, r := range refs {
		name := quoteName(r.Name)
		if strings.HasSuffix(title, "imports") {
			name = quoteName(r.Module) + "." + name
		}
		line := indent + "  " + r.Kind + " " + name
		if r.Type != "" { // functions only: the other kinds' types are in their sections
			line += " " + r.Type
		}
		b.WriteString(line + "\n")
	}
}

func writeCore(b *strings.Builder, c *InspectCore, indent string) {
	fmt.Fprintf(b, "\n%score module: %d functions\n", indent, c.Functions)
	writeRefs(b, "core imports", c.Imports, indent)
	writeRefs(b, "core exports", c.Exports, indent)
	fmt.Fprintf(b, "%stables (%d):\n", indent, len(c.Tables))
	for _, t := range c.Tables {
		fmt.Fprintf(b, "%s  [%d] %s min %d%s%s%s\n", indent, t.Index, t.Type, t.Min, maxText(t.Max), exportText(t.Export), importedText(t.Imported))
	}
	fmt.Fprintf(b, "%selements (%d):\n", indent, len(c.Elements))
	for _, e := range c.Elements {
		where := e.Mode
		if e.Mode == "active" {
			start := "non-constant offset"
			if e.Start != nil {
				start = fmt.Sprintf("offset %d", *e.Start)
			}
			where = fmt.Sprintf("active table %d %s", e.Table, start)
		}
		fmt.Fprintf(b, "%s  [%d] %s, %d functions\n", indent, e.Index, where, len(e.Functions))
		names := make([]string, len(e.Functions))
		for i, f := range e.Functions {
			names[i] = funcLabel(f)
		}
		writeWrapped(b, names, indent+"    ", 100)
	}
	fmt.Fprintf(b, "%smemories (%d):\n", indent, len(c.Memories))
	for _, m := range c.Memories {
		fmt.Fprintf(b, "%s  [%d] min %d pages%s%s%s%s\n", indent, m.Index, m.Min, maxText(m.Max), mem64Text(m.Memory64), exportText(m.Export), importedText(m.Imported))
	}
	fmt.Fprintf(b, "%sglobals (%d):\n", indent, len(c.Globals))
	for _, g := range c.Globals {
		typ := g.Type
		if g.Mutable {
			typ = "(mut " + typ + ")" // the text format's global type, as diff writes it
		}
		fmt.Fprintf(b, "%s  [%d] %s%s%s\n", indent, g.Index, typ, exportText(g.Export), importedText(g.Imported))
	}
	if c.Start != nil {
		fmt.Fprintf(b, "%sstart: %s\n", indent, funcLabel(*c.Start))
	}
	fmt.Fprintf(b, "%scustom sections (%d):\n", indent, len(c.Customs))
	customs := append([]InspectCustom(nil), c.Customs...)
	sort.SliceStable(customs, func(i, j int) bool { return customs[i].Offset < customs[j].Offset })
	for _, cs := range customs {
		fmt.Fprintf(b, "%s  %-28s %8d bytes at 0x%x\n", indent, cs.Name, cs.Size, cs.Offset)
	}
}

// writeCoreExterns shows a core module's imported and exported memories,
// tables and globals as diff compares them, each written as diff's
// findings write it (externs.Extern.WAT).
func writeCoreExterns(b *strings.Builder, x *externs.Set) {
	width := "address width not recorded"
	if x.AddressWidth != 0 {
		width = fmt.Sprintf("address width %d", x.AddressWidth)
	}
	fmt.Fprintf(b, "\ncore externs (memories, tables and globals diff compares; %s):\n", width)
	fmt.Fprintf(b, "  imports (%d):\n", len(x.Imports))
	for _, e := range x.Imports {
		fmt.Fprintf(b, "    %s\n", e.WAT(true))
	}
	fmt.Fprintf(b, "  exports (%d):\n", len(x.Exports))
	for _, e := range x.Exports {
		fmt.Fprintf(b, "    %s\n", e.WAT(false))
	}
}

func funcLabel(f InspectFunc) string {
	if f.Name != "" {
		return fmt.Sprintf("%d:%s", f.Index, f.Name)
	}
	return fmt.Sprintf("%d", f.Index)
}

func writeWrapped(b *strings.Builder, words []string, indent string, width int) {
	line := indent
	for i, w := range words {
		sep := ", "
		if i == len(words)-1 {
			sep = ""
		}
		if len(line) > len(indent) && len(line)+len(w)+len(sep) > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		line += w + sep
	}
	if len(line) > len(indent) {
		b.WriteString(line + "\n")
	}
}

func maxText(max *uint64) string {
	if max == nil {
		return ""
	}
	return fmt.Sprintf(" max %d", *max)
}

func exportText(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" exported as %q", name)
}

func importedText(imported bool) string {
	if imported {
		return " (imported)"
	}
	return ""
}

// quoteName shows empty or unusual core names (components' shim modules
// import from "" and export "0", "1", ...) unambiguously.
func quoteName(s string) string {
	if s == "" || strings.ContainsAny(s, " .\"\t\n") {
		return strconv.Quote(s)
	}
	return s
}

func writeCallbacks(b *strings.Builder, an *callbacks.Analysis) {
	if len(an.Imports) == 0 {
		b.WriteString("callbacks: none (no callback-registering import)\n")
		return
	}
	fmt.Fprintf(b, "callbacks (%d):\n", len(an.Callbacks))
	for _, c := range an.Callbacks {
		fmt.Fprintf(b, "  %s %s: table %d slot %d -> %s %s\n", c.Import, c.Role, c.Table, c.Slot, c.Label(), c.Type)
		sites := make([]string, len(c.Sites))
		for i, s := range c.Sites {
			sites[i] = fmt.Sprintf("%s@0x%x", callbacks.FuncLabel(s.Func, s.Name), s.Off)
		}
		writeWrapped(b, sites, "      sites: ", 100)
	}
	for _, u := range an.Unresolved {
		fmt.Fprintf(b, "  unresolved %s %s in %s at 0x%x: %s\n", u.Import, u.Role, callbacks.FuncLabel(u.Func, u.Name), u.Off, u.Why)
	}
}

// mem64Text marks a 64-bit memory (memory64) in the text report.
func mem64Text(is64 bool) string {
	if is64 {
		return ", 64-bit (memory64)"
	}
	return ""
}
