package value

// CheckArgsSyntax checks that src is a well-formed WAVE argument list
// `( ... )` without knowing the parameter types: every token lexes and
// every bracket closes in order. A CLI calls it first to tell a malformed
// --args (a usage error) from arguments that do not fit the signature (a
// failed check). Errors are *Error with the offset.
func CheckArgsSyntax(src string) error {
	l := &lexer{src: src}
	tok, err := l.next()
	if err != nil {
		return err
	}
	if tok.kind != tParenOpen {
		return waveErr(tok.start, "want \"(\" to start the argument list, found %s", tok.describe(src))
	}
	closer := map[tokKind]tokKind{tParenOpen: tParenClose, tBracketOpen: tBracketClose, tBraceOpen: tBraceClose}
	type open struct {
		kind tokKind
		at   int
	}
	stack := []open{{tok.kind, tok.start}}
	for len(stack) > 0 {
		if tok, err = l.next(); err != nil {
			return err
		}
		switch tok.kind {
		case tEOF:
			top := stack[len(stack)-1]
			return waveErr(tok.start, "input ends before the bracket opened at byte %d is closed", top.at)
		case tParenOpen, tBracketOpen, tBraceOpen:
			if len(stack) >= maxSyntaxDepth {
				return waveErr(tok.start, "nested more than %d deep", maxSyntaxDepth)
			}
			stack = append(stack, open{tok.kind, tok.start})
		case tParenClose, tBracketClose, tBraceClose:
			top := stack[len(stack)-1]
			if closer[top.kind] != tok.kind {
				return waveErr(tok.start, "%s does not close the bracket opened at byte %d", tok.describe(src), top.at)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if tok, err = l.next(); err != nil {
		return err
	}
	if tok.kind != tEOF {
		return waveErr(tok.start, "unexpected %s after the argument list", tok.describe(src))
	}
	return nil
}

// maxSyntaxDepth bounds nesting in CheckArgsSyntax, as the typed parser's
// types bound it there.
const maxSyntaxDepth = 256
