package value

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/internal/quote"
)

// Error is a syntax or type error in WAVE or JSON input. Its message is one
// line and names the byte offset where the problem starts.
type Error struct {
	// Format is "wave" or "json".
	Format string
	// Offset is the byte offset in the input.
	Offset int
	// Path locates the value in JSON input (like ".field(qty).elem"); "" for
	// the top and for WAVE, whose offsets are precise.
	Path string
	// Msg says what is wrong.
	Msg string
}

func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: %s: %s at byte %d", e.Format, quote.Cut(e.Path, 4*quote.Max), e.Msg, e.Offset)
	}
	return fmt.Sprintf("%s: %s at byte %d", e.Format, e.Msg, e.Offset)
}

func waveErr(off int, format string, args ...any) *Error {
	return &Error{Format: "wave", Offset: off, Msg: fmt.Sprintf(format, quote.Args(args)...)}
}

type tokKind uint8

const (
	tEOF tokKind = iota
	tBraceOpen
	tBraceClose
	tParenOpen
	tParenClose
	tBracketOpen
	tBracketClose
	tColon
	tComma
	tNumber // integer or float literal, or -inf
	tLabel  // label or keyword; text without '%', escaped when it had one
	tChar   // text is the decoded char
	tString // text is the decoded string (single-line or multiline)
)

type token struct {
	kind       tokKind
	start, end int
	text       string
	escaped    bool
}

// keyword reports whether the token is the unescaped keyword kw.
func (t *token) keyword(kw string) bool {
	return t.kind == tLabel && !t.escaped && t.text == kw
}

// isKeyword reports whether s is a WAVE keyword, which must be written with
// '%' where it names an enum or variant case.
func isKeyword(s string) bool {
	switch s {
	case "true", "false", "some", "none", "ok", "err", "inf", "nan":
		return true
	}
	return false
}

func (t *token) describe(src string) string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tNumber:
		return "number " + src[t.start:t.end]
	case tLabel:
		return "label " + quote.Cut(src[t.start:t.end], quote.Max)
	case tChar:
		return "char literal"
	case tString:
		return "string literal"
	}
	return fmt.Sprintf("%q", quote.Cut(src[t.start:t.end], quote.Max))
}

type lexer struct {
	src string
	pos int
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skip skips whitespace and // comments.
func (l *lexer) skip() {
	for l.pos < len(l.src) {
		switch c := l.src[l.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.pos++
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '/':
			if i := strings.IndexByte(l.src[l.pos:], '\n'); i >= 0 {
				l.pos += i
			} else {
				l.pos = len(l.src)
			}
		default:
			return
		}
	}
}

func (l *lexer) next() (token, error) {
	l.skip()
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tEOF, start: start, end: start}, nil
	}
	punct := func(k tokKind) (token, error) {
		l.pos++
		return token{kind: k, start: start, end: l.pos}, nil
	}
	c := l.src[start]
	switch {
	case c == '{':
		return punct(tBraceOpen)
	case c == '}':
		return punct(tBraceClose)
	case c == '(':
		return punct(tParenOpen)
	case c == ')':
		return punct(tParenClose)
	case c == '[':
		return punct(tBracketOpen)
	case c == ']':
		return punct(tBracketClose)
	case c == ':':
		return punct(tColon)
	case c == ',':
		return punct(tComma)
	case c == '-' || isDigit(c):
		return l.number()
	case c == '%' || isLower(c) || isUpper(c):
		return l.label()
	case c == '\'':
		return l.char()
	case c == '"':
		if strings.HasPrefix(l.src[start:], `"""`) {
			return l.multiline()
		}
		return l.string()
	}
	r, _ := utf8.DecodeRuneInString(l.src[start:])
	return token{}, waveErr(start, "invalid character %q", r)
}

// number lexes -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? or -inf,
// taking the longest match like wasm-wave's lexer.
func (l *lexer) number() (token, error) {
	s, start := l.src, l.pos
	i := start
	if s[i] == '-' {
		i++
		if strings.HasPrefix(s[i:], "inf") {
			l.pos = i + 3
			return token{kind: tNumber, start: start, end: l.pos, text: s[start:l.pos]}, nil
		}
		if i >= len(s) || !isDigit(s[i]) {
			return token{}, waveErr(start, "invalid number")
		}
	}
	if s[i] == '0' {
		i++
	} else {
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i += 2
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	l.pos = i
	return token{kind: tNumber, start: start, end: i, text: s[start:i]}, nil
}

// word lexes [a-z][a-z0-9]* | [A-Z][A-Z0-9]* (first) or [a-z0-9]+ | [A-Z0-9]+
// (later words) at i and returns the end, or i when there is none.
func word(s string, i int, first bool) int {
	j := i
	if !first {
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	if j < len(s) && isLower(s[j]) {
		for j < len(s) && (isLower(s[j]) || isDigit(s[j])) {
			j++
		}
	} else if j < len(s) && isUpper(s[j]) {
		for j < len(s) && (isUpper(s[j]) || isDigit(s[j])) {
			j++
		}
	}
	return j
}

func (l *lexer) label() (token, error) {
	s, start := l.src, l.pos
	i := start
	escaped := s[i] == '%'
	if escaped {
		i++
	}
	if i >= len(s) || !(isLower(s[i]) || isUpper(s[i])) {
		return token{}, waveErr(start, "invalid label")
	}
	nameStart := i
	i = word(s, i, true)
	for i+1 < len(s) && s[i] == '-' {
		j := word(s, i+1, false)
		if j == i+1 {
			break
		}
		i = j
	}
	l.pos = i
	return token{kind: tLabel, start: start, end: i, text: s[nameStart:i], escaped: escaped}, nil
}

// escape decodes the escape sequence at s[i] == '\\' and returns the rune
// and the sequence's length.
func escape(s string, i int) (rune, int, error) {
	if i+1 >= len(s) {
		return 0, 0, waveErr(i, "invalid escape")
	}
	switch s[i+1] {
	case '\\':
		return '\\', 2, nil
	case '\'':
		return '\'', 2, nil
	case '"':
		return '"', 2, nil
	case 't':
		return '\t', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 'u':
		j := i + 2
		if j >= len(s) || s[j] != '{' {
			return 0, 0, waveErr(i, "invalid escape: want \\u{...}")
		}
		j++
		var r uint64
		n := 0
		for ; j < len(s) && s[j] != '}'; j++ {
			d := hexDigit(s[j])
			if d < 0 || n == 6 {
				return 0, 0, waveErr(i, "invalid unicode escape")
			}
			r = r<<4 | uint64(d)
			n++
		}
		if j >= len(s) || n == 0 {
			return 0, 0, waveErr(i, "invalid unicode escape")
		}
		if !validScalar(r) {
			return 0, 0, waveErr(i, "invalid character escape: %#x is not a Unicode scalar value", r)
		}
		return rune(r), j + 1 - i, nil
	}
	return 0, 0, waveErr(i, "invalid escape")
}

func hexDigit(c byte) int {
	switch {
	case isDigit(c):
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (l *lexer) char() (token, error) {
	s, start := l.src, l.pos
	i := start + 1
	if i >= len(s) {
		return token{}, waveErr(start, "unterminated char literal")
	}
	var r rune
	switch s[i] {
	case '\\':
		var n int
		var err error
		if r, n, err = escape(s, i); err != nil {
			return token{}, err
		}
		i += n
	case '\'', '\n':
		return token{}, waveErr(start, "invalid char literal")
	default:
		var size int
		r, size = utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return token{}, waveErr(i, "invalid UTF-8")
		}
		i += size
	}
	if i >= len(s) || s[i] != '\'' {
		return token{}, waveErr(start, "invalid char literal: want exactly one character between quotes")
	}
	l.pos = i + 1
	return token{kind: tChar, start: start, end: l.pos, text: string(r)}, nil
}

// decodeText decodes the escapes of s (string contents) starting at byte
// offset base of the input. quote is the byte that may not appear raw ('"'
// for single-line strings, 0 for multiline lines).
func decodeText(s string, base int, quote byte) (string, error) {
	var b []byte
	seg := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			r, n, err := escape(s, i)
			if err != nil {
				err.(*Error).Offset += base
				return "", err
			}
			b = append(b, s[seg:i]...)
			b = utf8.AppendRune(b, r)
			i += n
			seg = i
		case c == '\n' || (quote != 0 && c == quote):
			return "", waveErr(base+i, "invalid string: unescaped %q", c)
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", waveErr(base+i, "invalid UTF-8")
			}
			i += size
		}
	}
	if b == nil {
		return s, nil
	}
	return string(append(b, s[seg:]...)), nil
}

func (l *lexer) string() (token, error) {
	s, start := l.src, l.pos
	i := start + 1
	for {
		if i >= len(s) || s[i] == '\n' {
			return token{}, waveErr(start, "unterminated string")
		}
		if s[i] == '"' {
			break
		}
		if s[i] == '\\' {
			i++ // the escaped byte never ends the string; escape() validates
		}
		i++
	}
	text, err := decodeText(s[start+1:i], start+1, '"')
	if err != nil {
		return token{}, err
	}
	l.pos = i + 1
	return token{kind: tString, start: start, end: l.pos, text: text}, nil
}

// multiline lexes `"""` NEWLINE lines INDENT `"""`: the closing delimiter's
// indentation is removed from every line, the first line break is not part
// of the value, nor is the last.
func (l *lexer) multiline() (token, error) {
	s, start := l.src, l.pos
	body := start + 3
	end := strings.Index(s[body:], `"""`)
	if end < 0 {
		return token{}, waveErr(start, `unterminated multiline string`)
	}
	content := s[body : body+end]
	l.pos = body + end + 3
	base := body
	if strings.HasPrefix(content, "\r") {
		content = content[1:]
		base++
	}
	lines := strings.Split(content, "\n")
	indent := lines[len(lines)-1]
	if strings.Trim(indent, " ") != "" {
		return token{}, waveErr(body+end, `invalid multiline string: closing """ must be on a line preceded only by spaces`)
	}
	if len(lines) < 2 || lines[0] != "" {
		return token{}, waveErr(body, `invalid multiline string: opening """ must be followed immediately by newline`)
	}
	var b strings.Builder
	off := base + 1
	for i, line := range lines[1 : len(lines)-1] {
		lineOff := off
		off += len(line) + 1
		rest, ok := strings.CutPrefix(line, indent)
		if !ok {
			return token{}, waveErr(lineOff, `invalid multiline string: lines must be indented at least as much as closing """`)
		}
		rest = strings.TrimSuffix(rest, "\r")
		text, err := decodeText(rest, lineOff+len(indent), 0)
		if err != nil {
			return token{}, err
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	return token{kind: tString, start: start, end: l.pos, text: b.String()}, nil
}
