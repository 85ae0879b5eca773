package vercel

import (
	"errors"

	"github.com/wfcompat/wfcompat/internal/jsontext"
)

// checkUTF8 refuses bytes that are not UTF-8, at the first of them.
// encoding/json would read them as U+FFFD without a word: two builds
// naming a step with different invalid bytes would then look alike.
func checkUTF8(b []byte, name string) error {
	if i := jsontext.InvalidUTF8(b); i >= 0 {
		return &Error{File: name, Offset: int64(i), src: b, Err: errors.New("invalid UTF-8 (JSON is UTF-8 text)")}
	}
	return nil
}
