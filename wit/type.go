package wit

// Lookups by name on a type's parts, for the packages that walk types
// (wit/value's conversion checks, compat's finding locations, manifest
// validation). Each returns -1 or nil when t is nil or has no such part.

// FieldIndex returns the index of record field name.
func (t *Type) FieldIndex(name string) int {
	if t == nil {
		return -1
	}
	for i, f := range t.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// FieldType returns the type of record field name.
func (t *Type) FieldType(name string) *Type {
	if i := t.FieldIndex(name); i >= 0 {
		return t.Fields[i].Type
	}
	return nil
}

// CaseIndex returns the index of variant case name.
func (t *Type) CaseIndex(name string) int {
	if t == nil {
		return -1
	}
	for i, c := range t.Cases {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// CaseType returns the payload type of variant case name (nil also for a
// case without payload).
func (t *Type) CaseType(name string) *Type {
	if i := t.CaseIndex(name); i >= 0 {
		return t.Cases[i].Type
	}
	return nil
}

// LabelIndex returns the index of enum case or flag name.
func (t *Type) LabelIndex(name string) int {
	if t == nil {
		return -1
	}
	for i, l := range t.Labels {
		if l == name {
			return i
		}
	}
	return -1
}
