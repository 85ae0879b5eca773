package core

// Implementation limits. The core specification bounds counts only by
// u32; engines bound them further, and a module beyond these limits is
// refused by wasmparser, the validator of wasmtime (the engine of the
// Internet Computer and of Golem), and by the JavaScript embedding's
// limits. The decoder refuses such modules with the offset of the
// declaration, before anything allocates for them or hands them to an
// engine (wazero allocates a slot per declared local while compiling: 2^32
// locals exhaust memory).
const (
	MaxTypes           = 1_000_000  // entries of the type section
	MaxFuncParams      = 1_000      // parameters of a function type
	MaxFuncResults     = 1_000      // results of a function type
	MaxImports         = 100_000    // entries of the import section
	MaxFuncs           = 1_000_000  // functions, imported and defined
	MaxTables          = 100        // tables, imported and defined
	MaxMemories        = 100        // memories, imported and defined
	MaxGlobals         = 1_000_000  // globals, imported and defined
	MaxExports         = 100_000    // entries of the export section
	MaxElementSegments = 100_000    // element segments
	MaxDataSegments    = 100_000    // data segments
	MaxTableEntries    = 10_000_000 // initial size of a table
	MaxFuncLocals      = 50_000     // locals of a function, parameters included
)

// limit fails at off when n exceeds max.
func (d *decoder) limit(off int, n uint64, max uint64, what string) bool {
	if d.err == nil && n > max {
		d.failf(off, n, "%d %s exceed the implementation limit of %d (wasmparser, wasmtime)", n, what, max)
		return false
	}
	return d.err == nil
}
