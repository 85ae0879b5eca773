package config

import (
	"fmt"
	"path/filepath"
	"slices"
)

// LogPaths expands the logs: patterns (filepath.Match syntax, relative to
// the configuration file's directory) into the event-log files they name,
// sorted, without duplicates. A pattern that names no file is an error:
// a gate that silently runs no logs would prove nothing. An error is an
// *Error at the pattern's line and column (when Parse read it).
func (c *Config) LogPaths() ([]string, error) {
	if c == nil {
		return nil, nil
	}
	var out []string
	for i, p := range c.Logs {
		at := func(format string, args ...any) error {
			e := &Error{File: c.Path, Err: fmt.Errorf(format, args...)}
			if i < len(c.logsAt) {
				e.Line, e.Column = c.logsAt[i].line, c.logsAt[i].column
			}
			return e
		}
		pat := p
		if !filepath.IsAbs(pat) && c.Dir != "" {
			pat = filepath.Join(c.Dir, pat)
		}
		m, err := filepath.Glob(pat)
		if err != nil {
			return nil, at("logs: %q: %w", p, err)
		}
		if len(m) == 0 {
			return nil, at("logs: %q names no file", p)
		}
		out = append(out, m...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
