package source

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that what it accepts is
// consistent with the syntax of its kind.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"-", "a.wasm", "git:main:a.wasm", "git:HEAD~1:wit/", "oci://ghcr.io/a/b:v1",
		"oci://localhost:5000/a@sha256:" + strings.Repeat("0", 64), "https://x/y#sha256=" + strings.Repeat("a", 64), "http://x", "git::", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			if !strings.Contains(err.Error(), s) && s != "" {
				t.Fatalf("error %q does not name the source %q", err, s)
			}
			return
		}
		if r.Raw != s {
			t.Fatalf("Raw = %q, want %q", r.Raw, s)
		}
		switch r.Kind {
		case KindStdin:
			if s != "-" {
				t.Fatalf("stdin from %q", s)
			}
		case KindGit:
			if r.Rev == "" || "git:"+r.Rev+":"+r.Path != s {
				t.Fatalf("git %+v from %q", r, s)
			}
		case KindOCI:
			if r.Image == "" || "oci://"+r.Image != s {
				t.Fatalf("oci %+v from %q", r, s)
			}
		case KindHTTP:
			if !strings.HasPrefix(r.URL, "https://") || r.Digest != "" && len(r.Digest) != len("sha256:")+64 {
				t.Fatalf("https %+v from %q", r, s)
			}
		case KindFile:
			if r.Path != s || strings.HasPrefix(s, "git:") || strings.HasPrefix(s, "oci://") || strings.HasPrefix(s, "http") && strings.Contains(s, "://") && (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) {
				t.Fatalf("file %+v from %q", r, s)
			}
		default:
			t.Fatalf("kind %q", r.Kind)
		}
	})
}

// FuzzHelperOutput checks that reading the helper's output never panics,
// and that what it accepts is one line of JSON in the protocol version
// asked for: 1 for an OCI fetch, 2 for an https download.
func FuzzHelperOutput(f *testing.F) {
	for _, s := range []string{
		`{"protocol":1,"reference":"r","digest":"sha256:` + strings.Repeat("0", 64) + `","size":8,"mediaType":"application/wasm","path":"/x"}` + "\n",
		`{"protocol":2,"url":"https://example.com/a.wasm","digest":"sha256:` + strings.Repeat("0", 64) + `","size":8,"path":"/x"}` + "\n",
		`{"protocol":1,"manifest":"AAEC"}`, `{"protocol":2}`, `{"protocol":3}`, `{}`, "{}\n{}", `{"protocol":1,"manifest":"!"}`, "", "null", `[1]`, `{"size":"8"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range []struct {
			protocol int
			res      helperAnswer
		}{
			{helperProtocolOCI, &OCIResult{}},
			{helperProtocolHTTPS, &HTTPResult{}},
		} {
			if err := parseHelperOutput(b, c.protocol, c.res); err != nil {
				continue
			}
			if c.res.protocol() != c.protocol || bytes.Contains(bytes.TrimSpace(b), []byte("\n")) {
				t.Fatalf("accepted %q as %+v in protocol %d", b, c.res, c.protocol)
			}
		}
	})
}
