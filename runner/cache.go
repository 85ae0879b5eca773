package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/wfcompat/wfcompat/runner/component"
)

// Engine holds what instances share: the compilation cache. Instances
// made by one Engine reuse each other's compiled modules in memory, and
// with a cache directory, across processes.
type Engine struct {
	cache wazero.CompilationCache
	dir   string

	mu     sync.Mutex
	shared map[rtKey]*sharedRuntime
	n      uint64
}

// rtKey is what a runtime's configuration depends on (not the memory
// limit, which each instance's memLimit enforces).
type rtKey struct {
	sandboxed bool
}

// sharedRuntime is a wazero runtime that the engine's component instances
// of one configuration share, with the core modules compiled in it: a
// second instance of a component compiles nothing.
type sharedRuntime struct {
	rt       wazero.Runtime
	compiled component.CompileCache
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
	removeStaleTemps(dir, time.Now().Add(-staleTempAge))
	return &Engine{cache: c, dir: dir}, nil
}

// staleTempAge is how old a temporary file of the compilation cache must
// be before removeStaleTemps takes it for one an interrupted process left:
// wazero writes an entry in well under a second.
const staleTempAge = time.Hour

// removeStaleTemps removes the temporary files older than before that
// wazero's file cache left in dir's version directories (wazero-VERSION-
// ARCH-OS/KEY.RANDOM.tmp, written and renamed into place; a process
// interrupted in between leaves one behind, and nothing else ever removes
// it). Newer ones may be another process's entry being written. Errors
// are ignored: the cache works with or without them.
func removeStaleTemps(dir string, before time.Time) {
	versions, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, v := range versions {
		if !v.IsDir() || !strings.HasPrefix(v.Name(), "wazero-") {
			continue
		}
		sub := filepath.Join(dir, v.Name())
		entries, err := os.ReadDir(sub)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".tmp") {
				continue
			}
			if fi, err := e.Info(); err == nil && fi.ModTime().Before(before) {
				os.Remove(filepath.Join(sub, e.Name()))
			}
		}
	}
}

// Dir returns the cache directory, "" when caching in memory only.
func (e *Engine) Dir() string { return e.dir }

// Close releases the runtimes and the in-memory cache. Close the
// engine's instances first.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for k, s := range e.shared {
		errs = append(errs, s.rt.Close(ctx))
		delete(e.shared, k)
	}
	errs = append(errs, e.cache.Close(ctx))
	return errors.Join(errs...)
}

func key(o *Options) rtKey {
	return rtKey{sandboxed: o.timeout() > 0}
}

// limitPages is the memory limit in whole pages, at least 1, at most
// wasm's 65536.
func (o *Options) limitPages() uint64 {
	return min(max(o.maxMemory()/65536, 1), 65536)
}

func (e *Engine) newRuntime(ctx context.Context, k rtKey) wazero.Runtime {
	// No memory limit here: each instance's memLimit enforces
	// Options.MaxMemory, and knows when it refused a grow.
	cfg := wazero.NewRuntimeConfig().
		WithCompilationCache(e.cache).
		// Interrupting running code (the timeout) needs wazero's
		// termination checks, which cost a goroutine per call into Wasm.
		WithCloseOnContextDone(k.sandboxed)
	return wazero.NewRuntimeWithConfig(ctx, cfg)
}

// runtime returns a runtime of its own (core modules, whose WASI module
// has a fixed name).
func (e *Engine) runtime(ctx context.Context, o *Options) wazero.Runtime {
	return e.newRuntime(ctx, key(o))
}

// sharedFor returns the runtime the engine's component instances with
// options o share, and a fresh module name prefix.
func (e *Engine) sharedFor(ctx context.Context, o *Options) (*sharedRuntime, string) {
	k := key(o)
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.shared[k]
	if s == nil {
		s = &sharedRuntime{rt: e.newRuntime(ctx, k)}
		if e.shared == nil {
			e.shared = map[rtKey]*sharedRuntime{}
		}
		e.shared[k] = s
	}
	e.n++
	return s, "i" + strconv.FormatUint(e.n, 10) + "."
}
