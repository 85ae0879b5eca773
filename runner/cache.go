package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tetratelabs/wazero"
)

// Engine holds what instances share: the compilation cache. Instances
// made by one Engine reuse each other's compiled modules in memory, and
// with a cache directory, across processes.
type Engine struct {
	cache wazero.CompilationCache
	dir   string
}

// DefaultCacheDir returns the default compilation cache directory: wfcompat's
// directory under the user cache dir, per wazero version.
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "wfcompat", "wazero-v1.12.0"), nil
}

// NewEngine returns an engine caching compiled modules in dir ("" for
// DefaultCacheDir, "off" for memory only).
func NewEngine(dir string) (*Engine, error) {
	if dir == "off" {
		return &Engine{cache: wazero.NewCompilationCache()}, nil
	}
	if dir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			// No user cache dir (no HOME): cache in memory only.
			return &Engine{cache: wazero.NewCompilationCache()}, nil
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("compilation cache: %w", err)
	}
	c, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return nil, fmt.Errorf("compilation cache %s: %w", dir, err)
	}
	return &Engine{cache: c, dir: dir}, nil
}

// Dir returns the cache directory, "" when caching in memory only.
func (e *Engine) Dir() string { return e.dir }

// Close releases the in-memory cache.
func (e *Engine) Close(ctx context.Context) error { return e.cache.Close(ctx) }

func (e *Engine) runtime(ctx context.Context, o *Options) wazero.Runtime {
	pages := o.maxMemory() / 65536
	if pages > 65536 {
		pages = 65536
	}
	if pages == 0 {
		pages = 1
	}
	cfg := wazero.NewRuntimeConfig().
		WithCompilationCache(e.cache).
		WithMemoryLimitPages(uint32(pages)).
		// Interrupting running code (the timeout) needs wazero's
		// termination checks, which cost a goroutine per call into Wasm.
		WithCloseOnContextDone(o.timeout() > 0)
	return wazero.NewRuntimeWithConfig(ctx, cfg)
}
