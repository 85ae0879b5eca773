package ocifetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/source"
)

func digestOf(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

func TestFetch(t *testing.T) {
	reg := ocitest.NewRegistry(t)
	wasm := []byte("\x00asm\x0d\x00\x01\x00 component bytes")
	manifest := reg.Push("acme/app:v1", ocitest.WasmArtifact(t, wasm, source.MediaTypeWasm))
	otherManifest := reg.Push("acme/other:v1", ocitest.WasmArtifact(t, wasm, "application/octet-stream")) // single layer: accepted by its config
	ctx := context.Background()
	f := &Fetcher{}
	for _, c := range []struct {
		ref, manifest, mediaType string
		pinned                   bool
	}{
		{reg.Host + "/acme/app:v1", manifest, source.MediaTypeWasm, false},
		{reg.Host + "/acme/app@" + manifest, manifest, source.MediaTypeWasm, true},
		{reg.Host + "/acme/other:v1", otherManifest, "application/octet-stream", false},
	} {
		out := filepath.Join(t.TempDir(), "layer")
		res, err := f.FetchOCI(ctx, source.OCIRequest{Reference: c.ref, MaxSize: 1 << 20, Output: out})
		if err != nil {
			t.Errorf("%s: %v", c.ref, err)
			continue
		}
		if got, _ := os.ReadFile(out); !bytes.Equal(got, wasm) {
			t.Errorf("%s: wrote %q", c.ref, got)
		}
		if res.Path != out || res.Digest != digestOf(wasm) || res.Size != int64(len(wasm)) || res.MediaType != c.mediaType ||
			res.ManifestDigest != c.manifest || !strings.HasPrefix(res.Reference, reg.Host+"/acme/") {
			t.Errorf("%s: %+v", c.ref, res)
		}
		if c.pinned != (res.Manifest != nil) || c.pinned && digestOf(res.Manifest) != manifest {
			t.Errorf("%s: manifest returned: %v, want %v (pinned) with its digest", c.ref, res.Manifest != nil, c.pinned)
		}
		if n := testfiles.Names(t, filepath.Dir(out)); len(n) != 1 {
			t.Errorf("%s: output directory holds %v", c.ref, n)
		}
	}

	// A blob directory that holds the layer and the pinned manifest: the
	// layer is not downloaded, and a pinned reference needs no registry.
	blobs := t.TempDir()
	os.MkdirAll(filepath.Join(blobs, "sha256"), 0o755)
	put := func(b []byte) {
		os.WriteFile(filepath.Join(blobs, "sha256", strings.TrimPrefix(digestOf(b), "sha256:")), b, 0o644)
	}
	put(wasm)
	before := reg.BlobGets()
	out := filepath.Join(t.TempDir(), "layer")
	res, err := f.FetchOCI(ctx, source.OCIRequest{Reference: reg.Host + "/acme/app:v1", MaxSize: 1 << 20, Output: out, Blobs: blobs})
	if err != nil || res.Path != filepath.Join(blobs, "sha256", strings.TrimPrefix(digestOf(wasm), "sha256:")) {
		t.Fatalf("layer in blobs: %+v, %v", res, err)
	}
	if n := reg.BlobGets() - before; n != 0 {
		t.Errorf("%d blob downloads for a layer in the blob directory", n)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output written for a layer in the blob directory: %v", err)
	}
	pinned := source.OCIRequest{Reference: reg.Host + "/acme/app@" + manifest, MaxSize: 1 << 20, Output: out, Blobs: blobs}
	res, err = f.FetchOCI(ctx, pinned)
	if err != nil || res.Manifest == nil {
		t.Fatalf("pinned: %+v, %v", res, err)
	}
	put(res.Manifest)
	reg.Server.Close()
	if res, err := f.FetchOCI(ctx, pinned); err != nil || res.Digest != digestOf(wasm) || res.Manifest != nil {
		t.Errorf("pinned, registry gone: %+v, %v", res, err)
	}
	// A damaged blob is not used.
	os.WriteFile(filepath.Join(blobs, "sha256", strings.TrimPrefix(digestOf(wasm), "sha256:")), []byte("damaged"), 0o644)
	if _, err := f.FetchOCI(ctx, pinned); err == nil || !strings.Contains(err.Error(), "fetch wasm layer") {
		t.Errorf("damaged blob, registry gone: err = %v, want a download attempt", err)
	}
}

func TestFetchErrors(t *testing.T) {
	reg := ocitest.NewRegistry(t)
	reg.Push("acme/container:v1", ocitest.ContainerImage(t))
	big := bytes.Repeat([]byte("w"), 2000)
	reg.Push("acme/big:v1", ocitest.WasmArtifact(t, big, source.MediaTypeWasm))
	reg.Push("acme/app:v1", ocitest.WasmArtifact(t, []byte("\x00asm\x0d\x00\x01\x00"), source.MediaTypeWasm))
	ctx := context.Background()
	for _, c := range []struct {
		name, ref, want string
		tamper          bool
	}{
		{"not found", reg.Host + "/acme/app:v2", "fetch manifest:", false},
		{"container image", reg.Host + "/acme/container:v1", "a container image", false},
		{"bad name", reg.Host + "/Bad Name", "not an OCI reference", false},
		{"over the limit", reg.Host + "/acme/big:v1", "2000 bytes, larger than the limit of 1000", false},
		{"digest mismatch", reg.Host + "/acme/app:v1", "sha256 checksum", true},
	} {
		reg.Tamper(c.tamper)
		dir := t.TempDir()
		_, err := (&Fetcher{}).FetchOCI(ctx, source.OCIRequest{Reference: c.ref, MaxSize: 1000, Output: filepath.Join(dir, "layer")})
		t.Logf("%s: %v", c.name, err)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if n := testfiles.Names(t, dir); len(n) != 0 {
			t.Errorf("%s: left %v", c.name, n)
		}
	}
}

func TestWriteFile(t *testing.T) {
	content := []byte("layer bytes")
	want, _ := v1.NewHash(digestOf(content))
	for _, c := range []struct {
		name string
		in   []byte
		max  int64
		err  string
	}{
		{"ok", content, 100, ""},
		{"at the limit", content, int64(len(content)), ""},
		{"over the limit", content, int64(len(content)) - 1, "larger than 10 bytes"},
		{"other content", []byte("other bytes"), 100, "content has digest"},
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		err := writeFile(p, bytes.NewReader(c.in), c.max, want)
		if c.err == "" {
			if got, _ := os.ReadFile(p); err != nil || !bytes.Equal(got, content) {
				t.Errorf("%s: %q, %v", c.name, got, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.err)
		}
		if n := testfiles.Names(t, dir); len(n) != 0 {
			t.Errorf("%s: left %v", c.name, n)
		}
	}
}
