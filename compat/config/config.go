// Package config reads wfcompat.yaml, the project configuration of
// wfcompat diff: which modes gate the deploy, which findings to ignore and
// which rules to re-rate. Its shape follows the breaking section of
// buf.yaml (except, ignore, ignore_only); docs/config.md documents it.
//
// config only parses and validates; compat applies the rule part (as a
// compat.Policy) and the CLI the gating part.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/compat"
	"go.yaml.in/yaml/v3"
)

// FileName is the name wfcompat looks for in the current directory.
const FileName = "wfcompat.yaml"

// Version is the only configuration version this package reads.
const Version = "v1"

// Config is a parsed wfcompat.yaml.
type Config struct {
	// Version is "v1" (the default when absent).
	Version string `yaml:"version"`
	// Modes are the modes that gate the deploy; empty means every mode
	// that applies. The --mode flag replaces them.
	Modes []compat.Mode `yaml:"modes"`
	// RequireProof makes an unproven gating mode fail too, like
	// --require-proof.
	RequireProof bool `yaml:"require_proof"`
	// Except lists rules whose findings are dropped everywhere.
	Except []string `yaml:"except"`
	// Ignore lists subjects whose findings are dropped, whatever the rule.
	Ignore []string `yaml:"ignore"`
	// IgnoreOnly drops a rule's findings at the given subjects.
	IgnoreOnly map[string][]string `yaml:"ignore_only"`
	// Severity overrides rules' default severities (error, warning, info).
	Severity map[string]compat.Severity `yaml:"severity"`
	// CallbackImports are extra callback-registering imports for the
	// in-flight mode, as MODULE.NAME:ARG[,ARG] (like --callback-import,
	// which adds to them).
	CallbackImports []string `yaml:"callback_imports"`
}

// Policy returns the rule part of c, for compat.Options.
func (c *Config) Policy() compat.Policy {
	if c == nil {
		return compat.Policy{}
	}
	return compat.Policy{Except: c.Except, Ignore: c.Ignore, IgnoreOnly: c.IgnoreOnly, Severity: c.Severity}
}

// Parse reads a configuration. Unknown keys, unknown modes, rules and
// severities are errors; name prefixes every message.
func Parse(name string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

// Load reads the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Find loads dir/wfcompat.yaml. It returns nil and no error when there is
// no such file.
func Find(dir string) (*Config, error) {
	path := filepath.Join(dir, FileName)
	c, err := Load(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return c, err
}

func (c *Config) validate() error {
	var errs []error
	switch c.Version {
	case "":
		c.Version = Version
	case Version:
	default:
		errs = append(errs, fmt.Errorf("version: unsupported version %q (want %s)", c.Version, Version))
	}
	for _, m := range c.Modes {
		if !slices.Contains(compat.AllModes(), m) {
			errs = append(errs, fmt.Errorf("modes: unknown mode %q (want one of %v)", m, compat.AllModes()))
		}
	}
	if err := c.Policy().Validate(); err != nil {
		errs = append(errs, err)
	}
	for _, ci := range c.CallbackImports {
		if _, err := callbacks.ParseCallbackImport(ci); err != nil {
			errs = append(errs, fmt.Errorf("callback_imports: %w", err))
		}
	}
	return errors.Join(errs...)
}
