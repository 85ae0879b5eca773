package source

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestHelperWire runs fake helpers (shell scripts) to check the protocol
// as documented: the arguments of each kind of fetch, the version each is
// asked in, and that an answer in another version, or an old helper's
// refusal of version 2, is reported as such.
func TestHelperWire(t *testing.T) {
	digest := "sha256:" + strings.Repeat("ab", 32)
	for _, c := range []struct {
		name string
		// answer is the script's output after it saved its arguments.
		answer string
		fetch  func(h *helper, out string) error
		// args are the arguments the helper must get (FILE is the
		// output), want the error ("" for none).
		args, want string
	}{
		{name: "https", answer: `echo '{"protocol":2,"url":"https://example.com/a.wasm","digest":"` + digest + `","size":3,"path":"'"$7"'"}'`,
			fetch: func(h *helper, out string) error {
				res, err := h.FetchHTTP(context.Background(), HTTPRequest{URL: "https://example.com/a.wasm", MaxSize: 100, Output: out})
				if err == nil && (res.Digest != digest || res.Size != 3 || res.Path != out || res.Protocol != 2) {
					t.Errorf("result %+v", res)
				}
				return err
			},
			args: "fetch --protocol 2 --max-size 100 -o FILE -- https://example.com/a.wasm"},
		{name: "https with a digest", answer: `echo '{"protocol":2,"url":"u","digest":"` + digest + `","size":3,"path":"'"$7"'"}'`,
			fetch: func(h *helper, out string) error {
				_, err := h.FetchHTTP(context.Background(), HTTPRequest{URL: "https://example.com/a.wasm", Digest: digest, MaxSize: 100, Output: out})
				return err
			},
			args: "fetch --protocol 2 --max-size 100 -o FILE -- https://example.com/a.wasm#sha256=" + strings.Repeat("ab", 32)},
		{name: "oci stays in version 1", answer: `echo '{"protocol":1,"reference":"r","digest":"` + digest + `","size":3,"mediaType":"application/wasm","path":"'"$7"'"}'`,
			fetch: func(h *helper, out string) error {
				_, err := h.FetchOCI(context.Background(), OCIRequest{Reference: "example.com/acme/app:v1", MaxSize: 100, Output: out, Blobs: "/blobs"})
				return err
			},
			args: "fetch --protocol 1 --max-size 100 -o FILE --blobs /blobs -- example.com/acme/app:v1"},
		{name: "answer in another version", answer: `echo '{"protocol":1,"url":"u","digest":"` + digest + `","size":3,"path":"'"$7"'"}'`,
			fetch: func(h *helper, out string) error {
				_, err := h.FetchHTTP(context.Background(), HTTPRequest{URL: "https://example.com/a.wasm", MaxSize: 100, Output: out})
				return err
			},
			args: "fetch --protocol 2 --max-size 100 -o FILE -- https://example.com/a.wasm", want: "answered in protocol version 1, want 2: install the helper of this wfcompat's version"},
		{name: "an old helper", answer: `echo "wfcompat-oci: protocol version 2 is not spoken by this helper (it speaks 1): install the wfcompat-oci of your wfcompat's version" >&2; exit 2`,
			fetch: func(h *helper, out string) error {
				_, err := h.FetchHTTP(context.Background(), HTTPRequest{URL: "https://example.com/a.wasm", MaxSize: 100, Output: out})
				return err
			},
			args: "fetch --protocol 2 --max-size 100 -o FILE -- https://example.com/a.wasm", want: "protocol version 2 is not spoken by this helper (it speaks 1): install the wfcompat-oci of your wfcompat's version"},
	} {
		t.Run(c.name, func(t *testing.T) {
			argsFile := filepath.Join(t.TempDir(), "args")
			path := fakeHelper(t, "echo \"$@\" > '"+argsFile+"'\n"+c.answer+"\n")
			out := filepath.Join(t.TempDir(), "download")
			err := c.fetch(&helper{path: path}, out)
			if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
			b, _ := os.ReadFile(argsFile)
			if got := strings.ReplaceAll(strings.TrimSpace(string(b)), out, "FILE"); got != c.args {
				t.Errorf("arguments\n%s\nwant\n%s", got, c.args)
			}
		})
	}
}

// fakeHelper writes a shell script standing for the wfcompat-oci helper,
// body after its #! line, into a new temporary directory of t and returns
// its path. On Windows, which runs no shell scripts, it skips t.
func fakeHelper(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake helpers are shell scripts")
	}
	path := filepath.Join(t.TempDir(), HelperName)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
