package manifest

import (
	"fmt"
	"strconv"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/manifest/internal/jsonpos"
)

var _ analyze.CoreExternsRecord = (*Manifest)(nil)

// RecordedCoreExterns returns the memories, tables and globals a core
// module's manifest records (core_externs), or nil when it records none:
// a v1 or v2 manifest, or a v3 one written before the record. nil means
// not known, so the checks they decide are unproven (compat.Options).
func (m *Manifest) RecordedCoreExterns() *externs.Set {
	if m.Artifact.Kind != KindCore {
		return nil
	}
	return m.CoreExterns
}

// coreExternsOf returns what Build records for a core module: in's
// record, or one made from its bytes.
func coreExternsOf(in Input) (*externs.Set, error) {
	if in.CoreExterns != nil || in.Bytes == nil {
		return in.CoreExterns, nil
	}
	a, err := analyze.Decode(in.Bytes)
	if err != nil {
		return nil, err
	}
	return a.CoreExterns, nil
}

// validateCoreExterns checks what the schema cannot say of core_externs:
// the address width, when recorded, is 32 or 64, each entry has the
// members its kind needs and no others, a maximum is not below the
// minimum, and exports have no module.
func validateCoreExterns(x *externs.Set) *jsonpos.Error {
	switch x.AddressWidth {
	case 0, externs.Width32, externs.Width64: // 0: not recorded
	default:
		return &jsonpos.Error{Path: "/core_externs/address_width", Msg: fmt.Sprintf("address width %d is neither 32 nor 64", x.AddressWidth)}
	}
	if x.Imports == nil || x.Exports == nil {
		return &jsonpos.Error{Path: "/core_externs", Msg: "core_externs needs imports and exports lists"}
	}
	for _, list := range []struct {
		name     string
		externs  []externs.Extern
		imported bool
	}{{"imports", x.Imports, true}, {"exports", x.Exports, false}} {
		for i, e := range list.externs {
			path := "/core_externs/" + list.name + "/" + strconv.Itoa(i)
			if msg := checkCoreExtern(e, list.imported); msg != "" {
				return &jsonpos.Error{Path: path, Msg: msg}
			}
		}
	}
	return nil
}

func checkCoreExtern(e externs.Extern, imported bool) string {
	if !imported && e.Module != "" {
		return "an export has no module"
	}
	switch e.Kind {
	case externs.Memory, externs.Table:
		if e.Min == nil {
			return fmt.Sprintf("a %s needs min", e.Kind)
		}
		if e.Max != nil && *e.Max < *e.Min {
			return fmt.Sprintf("max %d is below min %d", *e.Max, *e.Min)
		}
		if e.Mutable {
			return fmt.Sprintf("a %s is not mutable", e.Kind)
		}
		if e.Kind == externs.Memory && e.Type != "" {
			return "a memory has no type"
		}
		if e.Kind == externs.Table {
			if e.Type != "funcref" && e.Type != "externref" {
				return fmt.Sprintf("table element type %q is not funcref or externref", e.Type)
			}
			if e.Memory64 || e.Shared {
				return "a table is neither memory64 nor shared"
			}
		}
	case externs.Global:
		if e.Type == "" {
			return "a global needs type"
		}
		if e.Min != nil || e.Max != nil || e.Memory64 || e.Shared {
			return "a global has no limits, memory64 or shared"
		}
	default:
		return fmt.Sprintf("unknown kind %q", e.Kind)
	}
	return ""
}
