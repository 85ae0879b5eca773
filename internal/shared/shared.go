// Package shared locates the third-party test data kept outside the repository:
// the corpus of real binaries (Golem components, Internet Computer canisters) and the
// other projects' conformance suites. That data is never copied into this repository;
// tests and benchmarks read it at run time and skip, saying so, where it is absent.
//
// The directory is $WFCOMPAT_SHARED when set, else ../shared beside the module root
// (the layout CI and the development machines use).
package shared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the shared data directory and whether it exists.
func Dir() (string, bool) {
	if d := os.Getenv("WFCOMPAT_SHARED"); d != "" {
		return d, isDir(d)
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", false
	}
	// file is <module>/internal/shared/shared.go.
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	d := filepath.Join(filepath.Dir(root), "shared")
	return d, isDir(d)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Path returns the path of rel inside the shared directory, or skips tb (saying which
// file and why) when that path does not exist.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	d, ok := Dir()
	if !ok {
		tb.Skipf("third-party test data not available: %s is absent (set WFCOMPAT_SHARED)", filepath.Join(d, rel))
	}
	p := filepath.Join(d, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("third-party test data not available: %v", err)
	}
	return p
}

// Corpus returns the path of rel inside the shared corpus (for example
// "ic/wallet-0.7.0.wasm" or "golem-v1.1.0"), skipping tb when it is absent.
func Corpus(tb testing.TB, rel string) string {
	tb.Helper()
	return Path(tb, filepath.Join("corpus", rel))
}

// CorpusDir returns the shared corpus directory, whether or not it exists; test
// helpers that open files under it call Need first.
func CorpusDir() string {
	d, _ := Dir()
	return filepath.Join(d, "corpus")
}

// ConformanceDir returns the directory of the other projects' conformance suites.
func ConformanceDir() string {
	d, _ := Dir()
	return filepath.Join(d, "conformance")
}

// Need skips tb when path (a file or directory under the shared directory) is absent.
func Need(tb testing.TB, path string) {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("third-party test data not available: %v (set WFCOMPAT_SHARED)", err)
	}
}
