// Package value is wfcompat's one model of component values: what manifests,
// event logs, `assert input` and the wazero-based runner (which lifts and
// lowers values through the canonical ABI) all produce and consume. It reads
// and writes values in WAVE and JSON, and decides whether values of an old
// type convert to a new type.
//
// # Values
//
// A Value is a small struct: a kind, one 64-bit scalar, a string and child
// values. Values do not carry their type; every function that needs names
// (printing, parsing, conversion) takes the *wit.Type. The scalar holds:
//
//   - bool: 0 or 1; integers: two's complement, sign-extended for s8…s64;
//   - f32 and f64: their IEEE bits (NaN payloads are kept; Equal treats all
//     NaNs as equal, since the canonical ABI does not preserve payloads);
//   - char: the Unicode scalar value;
//   - variant and enum: the case index in the type's order; option: 0 none,
//     1 some; result: 0 ok, 1 err (Case returns it, Payload the payload);
//   - flags: a bit set, bit i for the type's i-th flag (at most 64 flags;
//     the Component Model allows 32);
//   - own, borrow, future, stream, error-context: the u32 handle number, as
//     the canonical ABI passes it (resources are opaque to this package).
//
// Strings hold their UTF-8 text. Children are the elements of list and
// tuple, the fields of a record in the type's field order, and the 0 or 1
// payload of variant, option and result. The runner builds values with the
// constructors (U32, Record, Variant, Some, Handle, Int/Uint by kind, …) and
// reads them with the accessors (Uint, Float, Case, Payload, Elems, Bits, …),
// which, like reflect.Value's, panic on a value of another kind. Check
// verifies that a value fits a type. Values are immutable and may share
// children.
//
// # WAVE
//
// ParseWAVE and FormatWAVE implement the WebAssembly Value Encoding of
// wasm-tools' wasm-wave crate (grammar: crates/wasm-wave/wave_ebnf.md), and
// pass its conformance cases (../shared/conformance/wasm-wave-ui): // comments; labels escaped
// with '%' (required for enum and variant cases named true, false, some,
// none, ok, err, inf or nan); char and string escapes \\ \' \" \t \n \r
// \u{hex}; multiline strings `"""` whose closing delimiter's indentation is
// removed from every line; floats as decimal literals with optional
// fraction and exponent, nan, inf, -inf (out-of-range literals round, to
// inf or 0); lists [..] and tuples (..) with optional trailing comma; records
// {name: value, ...} with option fields left out meaning none and {:} for
// no fields; flags {a, b} and {}; some(x), none, ok, ok(x), err, err(x);
// variant cases case(x) and bare enum cases. As in wasm-wave, some(x) may be
// written x and ok(x) x when x's type is not itself an option or result.
//
// The printed form is canonical and matches wasm-wave's writer: ", " and ": "
// separators, none-valued option fields of records left out, some(x) and
// ok(x) explicit, floats as the shortest decimal that reads back to the same
// value with no exponent (3.4028235e38 prints as 340282350000000000000000000000000000000),
// chars escaped as \u{hex} when they are control, non-printable or
// grapheme-extending characters (computed from Go's Unicode tables, which
// may differ from Rust's for characters new in a Unicode version; both forms
// parse).
//
// Where this package differs from wasm-wave:
//
//   - A record field the type does not have is an error (wasm-wave ignores
//     it, which would hide typos in manifests).
//   - Commas between record fields and between flags are required, as the
//     grammar says (wasm-wave's parser also accepts {a: 1 b: 2}).
//   - Handles (own, borrow, future, stream, error-context) are written as
//     their u32 number; WAVE has no syntax for them. Fixed-size lists are
//     lists whose length is checked.
//   - Parsing is driven by the type, so nesting depth is bounded by the
//     type's and no separate depth limit applies.
//   - Errors are *Error values: one line, with the byte offset where the
//     problem starts; their wording is this package's own.
//
// ParseCall reads a function call `name(arg, ...)` against a *wit.Function
// (the form of the conformance files; the name may be qualified,
// "ui:tests/ui.string@0.1.0", see SplitCallName); Call.WAVE prints it back
// and Call.Labeled prints `name(param: arg, ...)` as wasm-tools' tests do.
// ParseArgs and FormatArgs handle the bare argument tuple `(a, b)` of a
// CLI's --args. Trailing arguments of option type may be left out.
//
// # JSON
//
// ParseJSON and FormatJSON map values to JSON (JSON.md has the details and
// examples): bool as true/false; integers as numbers, decimal strings also
// accepted (for u64/s64 beyond 2^53); floats as numbers or "nan", "inf",
// "-inf"; char as a one-character string; string as string; list and tuple
// as arrays; record as an object keyed by field name in any order (missing
// option fields are none; unknown and duplicate keys are errors; output
// lists every field, none as null); variant as {"case": payload}, or
// "case" for a case without payload ({"case": null} is accepted too); enum
// as its case name; flags as an array of the set flags' names; option as
// null for none and the payload itself for some, except that an option
// whose payload is itself an option writes some(x) as {"some": x}, so that
// null always means the outer none (option<option<u8>>: none is null,
// some(none) is {"some": null}, some(some(5)) is {"some": 5}); result as
// {"ok": payload} or {"err": payload}, with null payload when the type has
// none ("ok" and "err" strings are accepted too); handles as numbers.
// ParseJSONArgs reads arguments as an array or an object by parameter name.
// Errors are *Error values with byte offset and the value's path.
//
// # Compatibility
//
// CheckTypes decides whether every value of an old type converts to a new
// type ("value-compatible") and records each conversion and problem with a
// stable code and path; Convert converts one value, and may succeed where
// the types are not compatible but the value fits (7 as u32 to u16);
// ConvertReport returns both, so a caller can tell the two apart. Converter
// compiles a type pair once for converting many values. Identical decides
// structural identity, type names included. The comparison and the value
// conversion share one walk of the types (see NewConverter), so they cannot
// disagree: a property test checks that every value of every accepted pair
// converts, and that every converted value checks against the new type.
package value
