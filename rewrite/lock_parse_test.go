package rewrite

import (
	"strings"
	"testing"
)

// TestParseLockErrors: a malformed lockfile is refused with the offset,
// line and column of the fault. Found by the bad-input QA: syntax errors
// had no position, bytes that are not UTF-8 were read as U+FFFD, and data
// after the lock was ignored.
func TestParseLockErrors(t *testing.T) {
	const good = "{\n  \"schema\": \"wfcompat.lock/v1\",\n  \"tables\": []\n}\n"
	if _, err := ParseLock([]byte(good)); err != nil {
		t.Fatalf("the good lock: %v", err)
	}
	for _, tt := range []struct{ name, in, want string }{
		{"empty", "", "parse lockfile: offset 0x0 (line 1, column 1): empty lockfile"},
		{"syntax", strings.Replace(good, `"tables"`, `tables`, 1), "parse lockfile: offset 0x24 (line 3, column 3): invalid character 't' looking for beginning of object key string"},
		{"truncated", good[:20], "parse lockfile: offset 0x14 (line 2, column 19): truncated"},
		{"type", strings.Replace(good, `[]`, `7`, 1), "parse lockfile: offset 0x2e (line 3, column 13): json: cannot unmarshal number into Go struct field Lock.tables of type []rewrite.LockTable"},
		{"not utf-8", strings.Replace(good, "lock/v1", "lock/v1\xff", 1), "parse lockfile: offset 0x1f (line 2, column 30): invalid UTF-8 (a lockfile is UTF-8 JSON text)"},
		{"trailing data", good + "{}", "parse lockfile: offset 0x33 (line 5, column 1): data after the lock"},
		{"unknown field", strings.Replace(good, `"tables": []`, `"tables": [], "tabels": [], "x": 1`, 1), `parse lockfile: offset 0x32 (line 3, column 17): json: unknown field "tabels"`},
		{"unknown field, nested", `{"schema":"wfcompat.lock/v1","tables":[{"table":0,"slot":[]}]}`, `parse lockfile: offset 0x32 (line 1, column 51): json: unknown field "slot"`},
		{"not an object", "[]", "parse lockfile: offset 0x0 (line 1, column 1): json: cannot unmarshal array into Go value of type rewrite.Lock"},
	} {
		_, err := ParseLock([]byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.want)
		}
	}
}

// FuzzParseLock: any input parses, and then its Marshal parses back to
// the same text, or fails with one line; never a panic.
//
//	go test ./rewrite -run=^$ -fuzz=FuzzParseLock -parallel=1 -fuzztime=1m
func FuzzParseLock(f *testing.F) {
	f.Add([]byte("{\n  \"schema\": \"wfcompat.lock/v1\",\n  \"tables\": []\n}\n"))
	f.Add([]byte(`{"schema":"wfcompat.lock/v1","tables":[{"table":0,"slots":[{"slot":1,"callbacks":[{"import":"ic0.call_new","role":"reply","fingerprint":"sha256:1f93bb0343c31c7e0a1ba0f0b031a943"}]}]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := ParseLock(in)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		text := l.Marshal()
		l2, err := ParseLock(text)
		if err != nil {
			t.Fatalf("Marshal of a parsed lock does not parse: %v\n%s", err, text)
		}
		if string(l2.Marshal()) != string(text) {
			t.Fatalf("lock does not round-trip:\n%s\n%s", text, l2.Marshal())
		}
	})
}
