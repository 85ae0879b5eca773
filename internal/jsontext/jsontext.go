// Package jsontext locates things in JSON text for error messages: the
// first byte that is not UTF-8 (encoding/json would read it as U+FFFD
// without a word), where a value encoding/json complains about starts, and
// where an object key is. The readers of JSON inputs (manifests, event
// logs, lockfiles, Vercel manifests, replay reports) share it, so their
// errors point at the same places.
package jsontext

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// InvalidUTF8 returns the offset of the first byte of b that is not part
// of valid UTF-8, or -1 when b is UTF-8.
func InvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// ValueStart returns where the JSON value of kind what ("number",
// "string", "array", "object", "bool"; json.UnmarshalTypeError's Value)
// that encoding/json reports at offset end starts: encoding/json gives the
// offset after a scalar, and after the opening bracket of an array or
// object.
func ValueStart(b []byte, end int64, what string) int64 {
	end = min(max(end, 0), int64(len(b)))
	switch {
	case what == "array" || what == "object":
		return max(end-1, 0)
	case end > 0 && b[end-1] == '"':
		for i := end - 2; i >= 0; i-- {
			if b[i] == '"' && (i == 0 || b[i-1] != '\\') {
				return i
			}
		}
		return 0
	}
	i := end - 1
	for i >= 0 && strings.IndexByte("0123456789+-.eEtruefalsn", b[i]) >= 0 {
		i--
	}
	return i + 1
}

// KeyOffset returns the offset of the first object key name in b (its
// opening quote), or -1 when there is none.
func KeyOffset(b []byte, name string) int {
	key, _ := json.Marshal(name)
	for off := 0; ; {
		i := bytes.Index(b[off:], key)
		if i < 0 {
			return -1
		}
		off += i
		if rest := bytes.TrimLeft(b[off+len(key):], " \t\r\n"); len(rest) > 0 && rest[0] == ':' {
			return off
		}
		off += len(key)
	}
}

// FirstValue returns the first JSON value in b, without what follows it,
// or nil when b does not start with one. Sniffers recognise a document by
// it, so that the document's parser, not a binary decoder, reports data
// after the value, with its position.
func FirstValue(b []byte) json.RawMessage {
	var v json.RawMessage
	if json.NewDecoder(bytes.NewReader(b)).Decode(&v) != nil {
		return nil
	}
	return v
}
