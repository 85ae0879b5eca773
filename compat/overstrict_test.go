package compat

import "testing"

// overStrictCases are pairs that once got a verdict stricter than the
// Component Model supports (replay unsafe where no recorded value can tell
// the builds apart), each beside near misses that must stay as strict. The
// verdicts were decided from the canonical ABI and the event log's value
// encoding (WAVE: records name their fields, variants and enums their
// cases, flags their flags; no value names its type), not read off
// wfcompat's output. replay is never safe statically: at best unproven.
var overStrictCases = []falseSafeCase{
	// A world's types are imports: a component imports each with its
	// definition (semver-check: "type mismatch for import `t`"), so api
	// is unsafe and the modes that link the new build on the old host are
	// unproven; no import call or result carries the values of a type no
	// imported function uses.
	{name: "unused world type retyped", api: Unsafe, restart: Unproven, replay: Unproven,
		rules: []string{RuleImportWorldTypeChanged},
		old:   `type t = u32; export run: func();`,
		new:   `type t = u64; export run: func();`},
	{name: "world type only an export uses widened", api: Unsafe, restart: Unproven, replay: Unproven,
		rules: []string{RuleImportWorldTypeChanged, RuleIntegerWidened},
		old:   `type t = u32; export f: func(x: t);`,
		new:   `type t = u64; export f: func(x: t);`},
	{name: "world type only an export result uses widened", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportWorldTypeChanged, RuleResultTypeChanged},
		old:   `type t = u32; export f: func() -> t;`,
		new:   `type t = u64; export f: func() -> t;`},
	// Near misses: an imported function uses the type.
	{name: "world type an import param uses retyped", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportTypeChanged},
		old:   `type t = u32; import g: func(x: t); export run: func();`,
		new:   `type t = u64; import g: func(x: t); export run: func();`},
	{name: "world type an import uses through another type retyped", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportTypeChanged},
		old:   `type t = u32; type l = list<t>; import g: func(x: l); export run: func();`,
		new:   `type t = u64; type l = list<t>; import g: func(x: l); export run: func();`},
	{name: "world type an imported resource's method uses retyped", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportTypeChanged},
		old:   `type t = u32; resource r { m: func(x: t); } export run: func();`,
		new:   `type t = u64; resource r { m: func(x: t); } export run: func();`},

	// Only the type's name changed in an import's signature: the same
	// value type, lifted and lowered alike, recorded alike. The host's
	// interface is type-checked with its names, so api stays unsafe
	// (semver-check: "missing expected export `n`").
	{name: "import param aliased", api: Unsafe, restart: Unproven, replay: Unproven,
		rules: []string{RuleImportTypeRenamed},
		old:   `import host: interface { f: func(x: u32); } export run: func();`,
		new:   `import host: interface { type n = u32; f: func(x: n); } export run: func();`},
	{name: "world import param aliased", api: Unsafe, restart: Unproven, replay: Unproven,
		rules: []string{RuleImportTypeRenamed, RuleImportAdded},
		old:   `import f: func(x: u32); export run: func();`,
		new:   `type n = u32; import f: func(x: n); export run: func();`},
	{name: "import param record renamed", api: Unsafe, restart: Unproven, replay: Unproven,
		rules: []string{RuleImportTypeRenamed},
		old:   `import host: interface { record order { id: u64 } f: func(o: order); } export run: func();`,
		new:   `import host: interface { record purchase { id: u64 } f: func(o: purchase); } export run: func();`},
	{name: "import result record renamed", api: Unsafe, restart: Unproven, replay: Unproven,
		rules: []string{RuleImportTypeRenamed},
		old:   `import host: interface { record order { id: u64 } f: func() -> order; } export run: func();`,
		new:   `import host: interface { record purchase { id: u64 } f: func() -> purchase; } export run: func();`},
	{name: "import resource alias in a param", api: Unsafe, restart: Unproven, replay: Unproven,
		rules: []string{RuleImportTypeRenamed},
		old:   `import host: interface { resource r; f: func(x: borrow<r>); } export run: func();`,
		new:   `import host: interface { resource r; type s = r; f: func(x: borrow<s>); } export run: func();`},
	// Near misses: the values differ.
	{name: "import param alias retargeted", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportTypeChanged},
		old:   `import host: interface { type n = u32; f: func(x: n); } export run: func();`,
		new:   `import host: interface { type n = u64; f: func(x: n); } export run: func();`},
	{name: "import param record renamed and reordered", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportTypeChanged},
		old:   `import host: interface { record order { id: u64, n: u8 } f: func(o: order); } export run: func();`,
		new:   `import host: interface { record purchase { n: u8, id: u64 } f: func(o: purchase); } export run: func();`},
	{name: "import param record renamed, field renamed", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportTypeChanged},
		old:   `import host: interface { record order { id: u64 } f: func(o: order); } export run: func();`,
		new:   `import host: interface { record purchase { key: u64 } f: func(o: purchase); } export run: func();`},
	// Resources are nominal: another resource is another type, whatever
	// its name.
	{name: "import param resource swapped", api: Unsafe, restart: Unproven, replay: Unsafe,
		rules: []string{RuleImportTypeChanged},
		old:   `import host: interface { resource r; resource s; f: func(x: borrow<r>); } export run: func();`,
		new:   `import host: interface { resource r; resource s; f: func(x: borrow<s>); } export run: func();`},

	// An export's result: the recorded result compares equal with the
	// new build's when only the type's name changed. Callers link
	// exported types by name: api unsafe.
	{name: "export result record renamed", api: Unsafe, restart: Safe, replay: Unproven,
		rules: []string{RuleTypeRenamed},
		old:   `export api: interface { record order { id: u64 } place: func() -> order; }`,
		new:   `export api: interface { record purchase { id: u64 } place: func() -> purchase; }`},
	{name: "export result nested variant renamed", api: Unsafe, restart: Safe, replay: Unproven,
		rules: []string{RuleTypeRenamed},
		old:   `export api: interface { variant v { a(u32), b } f: func() -> list<v>; }`,
		new:   `export api: interface { variant w { a(u32), b } f: func() -> list<w>; }`},
	// Near misses: the result's values differ (layout, case names, case
	// order), or a handle names another resource.
	{name: "export result record renamed and reordered", api: Unsafe, restart: Safe, replay: Unsafe,
		rules: []string{RuleResultTypeChanged},
		old:   `export api: interface { record order { id: u64, n: u8 } place: func() -> order; }`,
		new:   `export api: interface { record purchase { n: u8, id: u64 } place: func() -> purchase; }`},
	{name: "export result enum renamed, case renamed", api: Unsafe, restart: Safe, replay: Unsafe,
		rules: []string{RuleResultTypeChanged},
		old:   `export api: interface { enum color { red, blue } f: func() -> color; }`,
		new:   `export api: interface { enum colour { red, azure } f: func() -> colour; }`},
	{name: "export result flags renamed, reordered", api: Unsafe, restart: Safe, replay: Unsafe,
		rules: []string{RuleResultTypeChanged},
		old:   `export api: interface { flags p { a, b } f: func() -> p; }`,
		new:   `export api: interface { flags q { b, a } f: func() -> q; }`},
	{name: "export result resource swapped", api: Unsafe, restart: Safe, replay: Unsafe,
		rules: []string{RuleResultTypeChanged},
		old:   `export api: interface { resource r; resource s; f: func() -> r; }`,
		new:   `export api: interface { resource r; resource s; f: func() -> s; }`},

	// Left strict: (a, b) to (b, c) is a chain of renames only if b
	// kept its meaning nowhere; read as "a dropped, c appended" (the same
	// text) the old a values reach b. Names are all there is to tell the
	// two apart, so the move stays unsafe.
	{name: "params shifted or renamed in a chain", api: Unsafe, restart: Unsafe, replay: Unsafe,
		rules: []string{RuleParamMoved},
		old:   `export api: interface { f: func(a: u32, b: u32); }`,
		new:   `export api: interface { f: func(b: u32, c: u32); }`},
}

// TestOverStrict checks the relaxed verdicts and their near misses.
func TestOverStrict(t *testing.T) { runVerdictCases(t, overStrictCases) }
