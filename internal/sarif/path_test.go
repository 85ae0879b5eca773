package sarif

import (
	"net/url"
	"strings"
	"testing"
)

func TestPathURI(t *testing.T) {
	for _, c := range []struct {
		name, in string
		windows  bool
		want     string
	}{
		{"empty", "", false, UnknownURI},
		{"empty on Windows", "", true, UnknownURI},
		{"relative", "build/counters.wasm", false, "build/counters.wasm"},
		{"dot relative", "./build/new.wasm", false, "./build/new.wasm"},
		{"parent relative", "../old/new.wasm", false, "../old/new.wasm"},
		{"space and comma", "build/new, v2/update-test.wasm", false, "build/new,%20v2/update-test.wasm"},
		{"percent", "100%.wasm", false, "100%25.wasm"},
		{"hash and question mark", "a#b?c.wasm", false, "a%23b%3Fc.wasm"},
		{"colon in first segment", "a:b.wasm", false, "./a:b.wasm"},
		{"colon in later segment", "x/a:b.wasm", false, "x/a:b.wasm"},
		{"non-ASCII", "déjà/世界.wasm", false, "d%C3%A9j%C3%A0/%E4%B8%96%E7%95%8C.wasm"},
		{"invalid UTF-8", "a\xffb.wasm", false, "a%FFb.wasm"},
		{"control character", "a\nb.wasm", false, "a%0Ab.wasm"},
		{"brackets and quotes", `[x] "y" 'z'.wasm`, false, "%5Bx%5D%20%22y%22%20%27z%27.wasm"},
		{"sub-delims kept", "a=b&c+d;e@f$g.wasm", false, "a=b&c+d;e@f$g.wasm"},
		{"absolute", "/abs/new.wit", false, "file:///abs/new.wit"},
		{"absolute with space and non-ASCII", "/home/é x/new.wasm", false, "file:///home/%C3%A9%20x/new.wasm"},
		{"absolute double slash", "//abs/new.wit", false, "file:///abs/new.wit"},
		{"backslash in a POSIX name", `a\b.wasm`, false, "a%5Cb.wasm"},
		{"drive path on a POSIX host", `C:\build\new.wasm`, false, "file:///C:/build/new.wasm"},
		{"drive path with forward slashes", "c:/build/new.wasm", false, "file:///c:/build/new.wasm"},
		{"drive path with space and non-ASCII", `D:\Users\Zoë\my build\new.wasm`, false, "file:///D:/Users/Zo%C3%AB/my%20build/new.wasm"},
		{"drive-relative path", "C:new.wasm", true, "./C:new.wasm"},
		{"Windows relative", `build\new.wasm`, true, "build/new.wasm"},
		{"Windows drive", `C:\x\new.wasm`, true, "file:///C:/x/new.wasm"},
		{"Windows root of the drive", `\x\new.wasm`, true, "file:///x/new.wasm"},
		{"UNC", `\\server\share\x\new.wasm`, true, "file://server/share/x/new.wasm"},
		{"UNC with an odd server name", `\\my server\share\new.wasm`, true, "file:////my%20server/share/new.wasm"},
		{"long drive path", `\\?\C:\x\new.wasm`, true, "file:///C:/x/new.wasm"},
		{"long UNC path", `\\?\UNC\server\share\new.wasm`, true, "file://server/share/new.wasm"},
	} {
		if got := pathURI(c.in, c.windows); got != c.want {
			t.Errorf("%s: pathURI(%q, %v) = %q, want %q", c.name, c.in, c.windows, got, c.want)
		}
	}
}

// checkURIRef fails t unless uri is a URI reference made of RFC 3986
// characters only, with every '%' starting an escape.
func checkURIRef(t *testing.T, uri string) *url.URL {
	t.Helper()
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		case c == '%' && i+2 < len(uri) && ishex(uri[i+1]) && ishex(uri[i+2]):
		default:
			t.Fatalf("%q: byte %#x at %d is not allowed in a URI reference", uri, c, i)
		}
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("%q: %v", uri, err)
	}
	return u
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f'
}

// FuzzPathURI: every path gives a URI reference of RFC 3986 characters
// that parses back to the path (POSIX host) or to a file URI.
func FuzzPathURI(f *testing.F) {
	for _, s := range []string{"", "build/new.wasm", "a:b", "/abs/x", "//x", `C:\x\y`, "100%#?", "déjà vu", "\xff", `\\s\h\x`, `\\?\UNC\s\x`} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, p string, windows bool) {
		uri := pathURI(p, windows)
		u := checkURIRef(t, uri)
		if p == "" {
			if uri != UnknownURI {
				t.Fatalf("empty path: %q", uri)
			}
			return
		}
		if windows {
			if u.Scheme != "" && u.Scheme != "file" {
				t.Fatalf("%q: scheme %q", uri, u.Scheme)
			}
			return
		}
		switch {
		case driveAbs(p):
			if want := "/" + strings.ReplaceAll(p, `\`, "/"); u.Scheme != "file" || u.Host != "" || u.Path != want {
				t.Fatalf("%q → %q: scheme %q, host %q, path %q, want file:// and %q", p, uri, u.Scheme, u.Host, u.Path, want)
			}
		case strings.HasPrefix(p, "/"):
			if want := "/" + strings.TrimLeft(p, "/"); u.Scheme != "file" || u.Host != "" || u.Path != want {
				t.Fatalf("%q → %q: scheme %q, host %q, path %q, want file:// and %q", p, uri, u.Scheme, u.Host, u.Path, want)
			}
		default:
			path := u.Path
			if !strings.HasPrefix(p, "./") {
				path = strings.TrimPrefix(path, "./")
			}
			if u.Scheme != "" || u.Host != "" || u.Opaque != "" || path != p {
				t.Fatalf("%q → %q: scheme %q, host %q, path %q, want the path back", p, uri, u.Scheme, u.Host, u.Path)
			}
		}
	})
}
