package witparse

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token. Keywords are identifiers (tokID) whose
// text is a keyword; an explicit identifier (%name) never is.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokComment
	tokID
	tokExplicitID
	tokInt
	tokEquals
	tokComma
	tokColon
	tokPeriod
	tokSemicolon
	tokLParen
	tokRParen
	tokLBrace
	tokRBrace
	tokLT
	tokGT
	tokArrow
	tokStar
	tokAt
	tokSlash
	tokPlus
	tokMinus
)

var tokNames = [...]string{
	tokEOF: "eof", tokComment: "a comment", tokID: "an identifier", tokExplicitID: "an '%' identifier",
	tokInt: "an integer", tokEquals: "'='", tokComma: "','", tokColon: "':'", tokPeriod: "'.'",
	tokSemicolon: "';'", tokLParen: "'('", tokRParen: "')'", tokLBrace: "'{'", tokRBrace: "'}'",
	tokLT: "'<'", tokGT: "'>'", tokArrow: "'->'", tokStar: "'*'", tokAt: "'@'", tokSlash: "'/'",
	tokPlus: "'+'", tokMinus: "'-'",
}

// isKeyword reports whether s is a keyword of WIT: identifiers with these
// spellings must be written %name to be used as names. (A switch: the
// compiler compares by length and bytes, with no hashing.)
func isKeyword(s string) bool {
	switch s {
	case "use", "type", "func", "u8", "u16", "u32", "u64",
		"s8", "s16", "s32", "s64", "f32", "f64", "char",
		"record", "resource", "own", "borrow", "flags", "variant",
		"enum", "bool", "string", "option", "result", "future",
		"stream", "error-context", "list", "map", "_", "as",
		"from", "static", "interface", "tuple", "import", "export",
		"world", "package", "constructor", "async", "include", "with":
		return true
	}
	return false
}

type token struct {
	kind tokKind
	// id is set on an identifier (tokID, tokExplicitID) whose name (the
	// text after any '%') validASCIIID accepts: the parser need not
	// validate it again. (It fits in the token's padding.)
	id         bool
	start, end int32
}

// errUnchecked is lex's word that it met what checkInput may refuse (a
// byte or code point outside what tokens are made of, in a comment): the
// input must be checked, and then lexed unchecked.
var errUnchecked = errors.New("input not checked")

// tokenize splits one source file into tokens, ending with tokEOF, in
// buf's storage (grown as needed).
// Whitespace is dropped; comments are kept as tokens, since every comment in
// front of an item is its documentation (as in wit-parser).
//
// It lexes and checks the input (checkInput) in one pass: what tokens are
// made of passes checkInput, so only comments need looking at byte by
// byte. When the pass fails (a lexing error, or a comment to check),
// checkInput's error, if any, comes first, as in wit-parser, which checks
// before it lexes.
func tokenize(f *srcFile, buf []token) ([]token, error) {
	toks, err := lex(f, buf, true)
	if err != nil {
		if cerr := checkInput(f); cerr != nil {
			return toks, cerr
		}
		if err == errUnchecked {
			toks, err = lex(f, toks, false)
		}
	}
	return toks, err
}

// lex is tokenize without checkInput. With check, it returns
// errUnchecked on meeting, in a comment, a byte or code point that
// checkInput may refuse (an ASCII control code, bytes not UTF-8, a code
// point not ASCII that refused reports), and in an identifier a code
// point refused reports (the others checkInput refuses are not letters,
// marks or digits: they end it, and start no token); such input is left
// to checkInput, then lexed without check.
func lex(f *srcFile, buf []token, check bool) ([]token, error) {
	src := f.text
	toks := buf[:0]
	if cap(toks) == 0 {
		toks = make([]token, 0, len(src)/4+2)
	}
	i := 0
	if len(src) >= 3 && src[:3] == "\ufeff" {
		i = 3
	}
	for i < len(src) {
		c := src[i]
		start := i
		// The commonest first, by table: whitespace, one-byte tokens,
		// identifiers. (The switch below tests its cases one by one.)
		switch lexClass[c] {
		case lexSpace:
			i++
			continue
		case lexPunct:
			toks = append(toks, token{kind: punctKind[c], start: int32(start), end: int32(i + 1)})
			i++
			continue
		case lexIDStart:
			var id, ok bool
			i, id, ok = scanID(src, i, check)
			if !ok {
				return toks, errUnchecked
			}
			toks = append(toks, token{kind: tokID, id: id, start: int32(start), end: int32(i)})
			continue
		}
		var k tokKind
		id := false
		switch {
		case c == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
			continue
		case c == '/':
			if i+1 < len(src) && src[i+1] == '/' {
				for i < len(src) && src[i] != '\n' {
					if check {
						n := commentChar(src, i)
						if n == 0 {
							return toks, errUnchecked
						}
						i += n
						continue
					}
					i++
				}
			} else if i+1 < len(src) && src[i+1] == '*' {
				i += 2
				depth := 1
				for depth > 0 {
					if i >= len(src) {
						return toks, f.errorf(start, "unterminated block comment")
					}
					switch {
					case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
						depth++
						i += 2
					case src[i] == '*' && i+1 < len(src) && src[i+1] == '/':
						depth--
						i += 2
					default:
						if check {
							n := commentChar(src, i)
							if n == 0 {
								return toks, errUnchecked
							}
							i += n
							continue
						}
						i++
					}
				}
			} else {
				i++
				k = tokSlash
				toks = append(toks, token{kind: k, start: int32(start), end: int32(i)})
				continue
			}
			k = tokComment
		case c == '-':
			if i+1 < len(src) && src[i+1] == '>' {
				k, i = tokArrow, i+2
			} else {
				k, i = tokMinus, i+1
			}
		case c >= '0' && c <= '9':
			for i < len(src) && src[i] >= '0' && src[i] <= '9' {
				i++
			}
			k = tokInt
		case c == '%':
			i++
			k = tokExplicitID
			if i >= len(src) {
				break
			}
			if c := src[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' {
				var ok bool
				i, id, ok = scanID(src, i, check)
				if !ok {
					return toks, errUnchecked
				}
			} else if r, n := utf8.DecodeRuneInString(src[i:]); keylikeStart(r) {
				if check && refused(r) {
					return toks, errUnchecked
				}
				var ok bool
				if i, ok = scanKeylike(src, i+n, check); !ok {
					return toks, errUnchecked
				}
			}
		case c == '"':
			return toks, f.errorf(start, "unterminated string literal")
		default:
			r, n := utf8.DecodeRuneInString(src[i:])
			if !keylikeStart(r) {
				return toks, f.errorf(start, "unexpected character %q", r)
			}
			if check && refused(r) {
				return toks, errUnchecked
			}
			var ok bool
			if i, ok = scanKeylike(src, i+n, check); !ok {
				return toks, errUnchecked
			}
			k = tokID
		}
		toks = append(toks, token{kind: k, id: id, start: int32(start), end: int32(i)})
	}
	toks = append(toks, token{kind: tokEOF, start: int32(len(src)), end: int32(len(src))})
	return toks, nil
}

// Classes of bytes for lex's first dispatch (lexClass): the rest
// (lexOther) go through its switch.
const (
	lexOther = iota
	lexSpace
	lexPunct   // a token of one byte (punctKind)
	lexIDStart // an ASCII letter or '_'
)

// lexClass and punctKind classify the bytes that start tokens.
var lexClass, punctKind = func() (cl [256]uint8, pk [256]tokKind) {
	cl[' '], cl['\t'], cl['\n'] = lexSpace, lexSpace, lexSpace
	const puncts = "=,:.;(){}<>*@+"
	kinds := [len(puncts)]tokKind{tokEquals, tokComma, tokColon, tokPeriod, tokSemicolon,
		tokLParen, tokRParen, tokLBrace, tokRBrace, tokLT, tokGT, tokStar, tokAt, tokPlus}
	for i := range len(puncts) {
		cl[puncts[i]], pk[puncts[i]] = lexPunct, kinds[i]
	}
	for c := 'a'; c <= 'z'; c++ {
		cl[c], cl[c-'a'+'A'] = lexIDStart, lexIDStart
	}
	cl['_'] = lexIDStart
	return cl, pk
}()

func keylikeStart(r rune) bool { return unicode.IsLetter(r) || r == '_' }

func keylikeContinue(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// scanKeylike returns the end of the identifier whose rest starts at i.
// With check, ok is false when the identifier holds a code point that
// refused reports.
func scanKeylike(src string, i int, check bool) (end int, ok bool) {
	for i < len(src) {
		c := src[i]
		if asciiClass[c] != 0 {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, n := utf8.DecodeRuneInString(src[i:])
		if !keylikeContinue(r) {
			break
		}
		if check && refused(r) {
			return i, false
		}
		i += n
	}
	return i, true
}

// scanID scans the identifier at i, whose first byte is an ASCII letter
// or '_', as scanKeylike does, and reports whether validASCIIID accepts
// it (valid), in the same pass.
func scanID(src string, i int, check bool) (end int, valid, ok bool) {
	start := i
	valid = true
	var word uint8 // as in validASCIIID
	for ; i < len(src); i++ {
		switch cl := asciiClass[src[i]]; cl {
		case chLower, chUpper:
			if word != 0 && word != cl {
				valid = false
			}
			word = cl
		case chDigit:
			if word == 0 {
				valid = false
			}
		case chDash:
			if word == 0 {
				valid = false
			}
			word = 0
		case chUnderscore:
			valid = false
		default:
			if src[i] >= utf8.RuneSelf {
				// Not ASCII: never a valid identifier.
				end, ok = scanKeylike(src, i, check)
				return end, false, ok
			}
			return i, valid && word != 0 && i > start, true
		}
	}
	return i, valid && word != 0 && i > start, true
}

// commentChar returns the length of the character at src[i] (in a
// comment) if checkInput lets it pass (printable ASCII, a tab, a line
// end, or a code point beyond ASCII that refused does not report), else
// 0.
func commentChar(src string, i int) int {
	if c := src[i]; c < utf8.RuneSelf {
		if ' ' <= c && c < 0x7f || c == '\t' || c == '\n' || c == '\r' {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(src[i:])
	if r == utf8.RuneError && n == 1 || refused(r) {
		return 0
	}
	return n
}

// checkInput rejects what wit-parser rejects before lexing: text that is
// not UTF-8 (first, wherever it is), bidirectional override code points,
// code points Unicode deprecates, control codes. One pass, eight bytes at
// a time where they are all printable ASCII.
func checkInput(f *srcFile) error {
	s := f.text
	bad, badRune := -1, rune(0) // the first code point refused
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			const ones, highs = 0x0101010101010101, 0x8080808080808080
			if (w-' '*ones)&^w&highs == 0 && (w+ones|w)&highs == 0 {
				i += 8 // no byte below ' ', none above '~'
				continue
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			if bad < 0 && (c < ' ' && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
				bad, badRune = i, rune(c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return f.errorf(i, "input is not valid UTF-8")
		}
		if bad < 0 && refused(r) {
			bad, badRune = i, r
		}
		i += n
	}
	if bad < 0 {
		return nil
	}
	switch r := badRune; r {
	case '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069':
		return f.errorf(bad, "input contains bidirectional override codepoint %U", r)
	case '\u0149', '\u0673', '\u0f77', '\u0f79', '\u17a3', '\u17a4', '\u17b4', '\u17b5':
		return f.errorf(bad, "codepoint %U is discouraged by Unicode", r)
	}
	return f.errorf(bad, "control code %U", badRune)
}

// refused reports whether checkInput refuses the code point r (not
// ASCII).
func refused(r rune) bool {
	switch r {
	case '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
		'\u0149', '\u0673', '\u0f77', '\u0f79', '\u17a3', '\u17a4', '\u17b4', '\u17b5':
		return true
	}
	return unicode.IsControl(r)
}

// Classes of ASCII characters in identifiers (asciiClass).
const (
	chLower = 1 << iota
	chUpper
	chDigit
	chDash
	chUnderscore
)

// asciiClass classifies the bytes that identifiers are made of (0 for
// the others).
var asciiClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = chLower
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = chUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = chDigit
	}
	t['-'], t['_'] = chDash, chUnderscore
	return t
}()

// validASCIIID is validateID's fast path: whether s is a valid
// identifier (the errors are validateID's to describe). Each word
// (between dashes) starts with a letter, and its letters are all lower
// or all upper case.
func validASCIIID(s string) bool {
	if s == "" {
		return false
	}
	var word uint8 // the case of the word's letters; 0 at a word's start
	for i := 0; i < len(s); i++ {
		switch cl := asciiClass[s[i]]; cl {
		case chLower, chUpper:
			if word != 0 && word != cl {
				return false
			}
			word = cl
		case chDigit:
			if word == 0 {
				return false
			}
		case chDash:
			if word == 0 {
				return false
			}
			word = 0
		default:
			return false
		}
	}
	return word != 0
}

// validateID checks an identifier: kebab-case words, each all lower case or
// all upper case ASCII letters and digits, starting with a letter.
func validateID(s string) error {
	if validASCIIID(s) {
		return nil
	}
	if s == "" {
		return fmt.Errorf("identifiers must have characters between '-'s")
	}
	part := 0
	for part <= len(s) {
		end := part
		for end < len(s) && s[end] != '-' {
			end++
		}
		w := s[part:end]
		if w == "" {
			return fmt.Errorf("identifiers must have characters between '-'s")
		}
		upper := false
		switch c := w[0]; {
		case c >= 'a' && c <= 'z':
		case c >= 'A' && c <= 'Z':
			upper = true
		default:
			r, _ := utf8.DecodeRuneInString(w)
			if c >= '0' && c <= '9' {
				return fmt.Errorf("identifier parts may not start with a digit: %q", s)
			}
			return fmt.Errorf("invalid character in identifier %q", r)
		}
		for _, r := range w {
			switch {
			case r >= '0' && r <= '9':
			case upper && r >= 'A' && r <= 'Z':
			case !upper && r >= 'a' && r <= 'z':
			default:
				return fmt.Errorf("invalid character in identifier %q", r)
			}
		}
		part = end + 1
	}
	return nil
}
