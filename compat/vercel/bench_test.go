package vercel

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLoadRuns reads the recorded local world (35 files, 3 runs).
func BenchmarkLoadRuns(b *testing.B) {
	dir := filepath.Join(devkit, "v1", "local-world")
	var size int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, _ error) error {
		if fi != nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, errs := LoadRuns([]string{dir}); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkAssertRun checks the recorded runs against a build.
func BenchmarkAssertRun(b *testing.B) {
	runs, errs := LoadRuns([]string{filepath.Join(devkit, "v1", "local-world")})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	m, err := ReadFile(filepath.Join(devkit, "builds", "v2-rename.manifest.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, r := range runs {
			_ = AssertRun(r, m)
		}
	}
}

// BenchmarkDecodeDevalue decodes a class instance payload.
func BenchmarkDecodeDevalue(b *testing.B) {
	in := []byte(`[["Instance",1],{"classId":2,"data":3},"class//./src/lib/money//Money",{"cents":4,"currency":5},1999,"USD"]`)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := DecodeDevalue(in); err != nil {
			b.Fatal(err)
		}
	}
}
