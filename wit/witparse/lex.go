package witparse

import (
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
	kind       tokKind
	start, end int32
}

// tokenize splits one source file into tokens, ending with tokEOF, in
// buf's storage (grown as needed).
// Whitespace is dropped; comments are kept as tokens, since every comment in
// front of an item is its documentation (as in wit-parser).
func tokenize(f *srcFile, buf []token) ([]token, error) {
	src := f.text
	if err := checkInput(f); err != nil {
		return buf, err
	}
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
		var k tokKind
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
			continue
		case c == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
			continue
		case c == '/':
			if i+1 < len(src) && src[i+1] == '/' {
				for i < len(src) && src[i] != '\n' {
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
						i++
					}
				}
			} else {
				i++
				k = tokSlash
				toks = append(toks, token{k, int32(start), int32(i)})
				continue
			}
			k = tokComment
		case c == '=':
			k, i = tokEquals, i+1
		case c == ',':
			k, i = tokComma, i+1
		case c == ':':
			k, i = tokColon, i+1
		case c == '.':
			k, i = tokPeriod, i+1
		case c == ';':
			k, i = tokSemicolon, i+1
		case c == '(':
			k, i = tokLParen, i+1
		case c == ')':
			k, i = tokRParen, i+1
		case c == '{':
			k, i = tokLBrace, i+1
		case c == '}':
			k, i = tokRBrace, i+1
		case c == '<':
			k, i = tokLT, i+1
		case c == '>':
			k, i = tokGT, i+1
		case c == '*':
			k, i = tokStar, i+1
		case c == '@':
			k, i = tokAt, i+1
		case c == '+':
			k, i = tokPlus, i+1
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
			if r, _ := utf8.DecodeRuneInString(src[i:]); i < len(src) && keylikeStart(r) {
				i = scanKeylike(src, i)
			}
			k = tokExplicitID
		case c == '"':
			return toks, f.errorf(start, "unterminated string literal")
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_':
			i = scanKeylike(src, i+1)
			k = tokID
		default:
			r, n := utf8.DecodeRuneInString(src[i:])
			if !keylikeStart(r) {
				return toks, f.errorf(start, "unexpected character %q", r)
			}
			i = scanKeylike(src, i+n)
			k = tokID
		}
		toks = append(toks, token{k, int32(start), int32(i)})
	}
	toks = append(toks, token{tokEOF, int32(len(src)), int32(len(src))})
	return toks, nil
}

func keylikeStart(r rune) bool { return unicode.IsLetter(r) || r == '_' }

func keylikeContinue(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func scanKeylike(src string, i int) int {
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
		i += n
	}
	return i
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
