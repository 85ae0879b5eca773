package vercel

import (
	"errors"
	"unicode/utf8"
)

// checkUTF8 refuses bytes that are not UTF-8, at the first of them.
// encoding/json would read them as U+FFFD without a word: two builds
// naming a step with different invalid bytes would then look alike.
func checkUTF8(b []byte, name string) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return &Error{File: name, Offset: int64(i), src: b, Err: errors.New("invalid UTF-8 (JSON is UTF-8 text)")}
		}
		i += n
	}
	return nil
}
