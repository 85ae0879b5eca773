package config

import (
	"fmt"
	"path/filepath"
	"slices"
)

// LogPaths expands the logs: patterns (filepath.Match syntax, relative to
// the configuration file's directory) into the event-log files they name,
// sorted, without duplicates. A pattern that names no file is an error:
// a gate that silently runs no logs would prove nothing.
func (c *Config) LogPaths() ([]string, error) {
	if c == nil {
		return nil, nil
	}
	var out []string
	for _, p := range c.Logs {
		pat := p
		if !filepath.IsAbs(pat) && c.Dir != "" {
			pat = filepath.Join(c.Dir, pat)
		}
		m, err := filepath.Glob(pat)
		if err != nil {
			return nil, fmt.Errorf("logs: %q: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("logs: %q names no file", p)
		}
		out = append(out, m...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
