package sarif

import (
	"net/url"
	"path/filepath"
	"strings"
)

// UnknownURI is the artifactLocation.uri of a result whose file is not
// known (an empty path). An empty uri would be a same-document reference
// (RFC 3986 §4.4), naming the SARIF log itself, and a location without a
// uri makes GitHub code scanning reject the whole upload ("expected
// artifact location"), so such results point at this relative reference
// instead.
const UnknownURI = "unknown"

// PathURI turns a file path into an artifactLocation.uri, a URI reference
// (RFC 3986) as SARIF 2.1.0 §3.4.3 requires:
//
//   - a relative path stays a relative reference, with forward slashes
//     ("build/new.wasm"); a first segment with a colon gets "./" so that it
//     is not read as a scheme ("./a:b.wasm");
//   - an absolute path becomes a file URI ("file:///abs/new.wasm"); so does
//     a Windows drive path ("C:\x\new.wasm" → "file:///C:/x/new.wasm") on
//     every host, since the report may have been written on Windows, and on
//     Windows a UNC path ("\\server\share\x" → "file://server/share/x");
//   - characters a path segment may not hold raw are percent-encoded as
//     UTF-8 bytes: space, "%", "#", "?", backslashes outside Windows paths,
//     control characters and non-ASCII ("dé.wasm" → "d%C3%A9.wasm");
//   - an empty path is UnknownURI.
//
// Backslashes separate directories only in Windows paths (on a Windows
// host, or after a drive letter); elsewhere a backslash is a character of
// the file name.
func PathURI(p string) string {
	return pathURI(p, filepath.Separator == '\\')
}

// pathURI is PathURI on a Windows host (windows) or any other.
func pathURI(p string, windows bool) string {
	if p == "" {
		return UnknownURI
	}
	if windows || driveAbs(p) {
		p = strings.ReplaceAll(p, `\`, "/")
	}
	if windows && strings.HasPrefix(p, "//?/") { // \\?\C:\x, \\?\UNC\server\share\x
		p = p[len("//?/"):]
		if rest, ok := strings.CutPrefix(p, "UNC/"); ok {
			p = "//" + rest
		}
	}
	switch {
	case driveAbs(p):
		return (&url.URL{Scheme: "file", Path: "/" + p}).String()
	case windows && strings.HasPrefix(p, "//"):
		host, rest, _ := strings.Cut(p[2:], "/")
		if !hostName(host) {
			// Not a name a URI authority can hold: the file:////server/share
			// form of RFC 8089 Appendix E.3.2, the server in the path.
			return (&url.URL{Scheme: "file", Path: p}).String()
		}
		return (&url.URL{Scheme: "file", Host: host, Path: "/" + rest}).String()
	case strings.HasPrefix(p, "/"):
		// POSIX leaves a leading "//" to the system; Linux and macOS read
		// it as "/", and "file:////x" would read as a UNC path.
		return (&url.URL{Scheme: "file", Path: "/" + strings.TrimLeft(p, "/")}).String()
	}
	return (&url.URL{Path: p}).String()
}

// driveAbs reports whether p starts with a drive letter and a separator
// (C:\ or C:/).
func driveAbs(p string) bool {
	return len(p) >= 3 && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z') && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// hostName reports whether a UNC server name can be a URI host as it is:
// letters, digits, '-', '.' and '_' (a NetBIOS or DNS name).
func hostName(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}
