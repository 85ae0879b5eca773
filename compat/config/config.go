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
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/wfcompat/wfcompat/analyze"
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
	// Ignore lists suppressions: a subject (the string form: every
	// finding at it, whatever the rule), or an entry {rule, subject,
	// reason, until}.
	Ignore []IgnoreEntry `yaml:"ignore"`
	// IgnoreOnly drops a rule's findings at the given subjects.
	IgnoreOnly map[string][]string `yaml:"ignore_only"`
	// Severity overrides rules' default severities (error, warning, info).
	Severity map[string]compat.Severity `yaml:"severity"`
	// CallbackImports are extra callback-registering imports for the
	// in-flight mode, as MODULE.NAME:ARG[,ARG] (like --callback-import,
	// which adds to them).
	CallbackImports []string `yaml:"callback_imports"`
	// Platform names the host the new build will run on (compat.Platforms:
	// golem, ic); --platform replaces it. New imports are judged against
	// its host set.
	Platform string `yaml:"platform"`
	// HostProvides adds host patterns (compat.Host) to the platform's, or
	// declares the host alone.
	HostProvides []string `yaml:"host_provides"`
	// Logs are glob patterns of recorded event logs (relative to the
	// file's directory) that diff runs to prove replay, snapshot and
	// restart (LogPaths).
	Logs []string `yaml:"logs"`
	// WITFeatures, when present, are the only @unstable features WIT
	// inputs are read with, as the build enables them ([] enables none);
	// absent (nil), every feature is (analyze.WITFeatures).
	// --wit-features and --all-wit-features replace it.
	WITFeatures *[]string `yaml:"wit_features"`
	// Dir is the directory of the file the configuration was loaded from
	// ("" for Parse), which relative Logs patterns start from.
	Dir string `yaml:"-"`
	// Path is the file the configuration was read from (the name given
	// to Parse).
	Path string `yaml:"-"`
	// logsAt are where the Logs patterns are in the file, for LogPaths'
	// errors (nil when not read by Parse).
	logsAt []position
}

// IgnoreEntry is one entry of ignore:. The string form "SUBJECT" is
// {subject: SUBJECT}; an entry names a rule, a subject or both, says why
// (reason) and may expire (until, YYYY-MM-DD: the last day it applies).
type IgnoreEntry struct {
	Rule    string `yaml:"rule"`
	Subject string `yaml:"subject"`
	Reason  string `yaml:"reason"`
	Until   string `yaml:"until"`
	// Line is the entry's line in the file (0 when not read from YAML).
	Line int `yaml:"-"`
}

// UnmarshalYAML reads the string form or the mapping form.
func (e *IgnoreEntry) UnmarshalYAML(n *yaml.Node) error {
	e.Line = n.Line
	if n.Kind == yaml.ScalarNode {
		e.Subject = n.Value
		return nil
	}
	type plain IgnoreEntry
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*e = IgnoreEntry(p)
	e.Line = n.Line
	return nil
}

// until parses Until ("" is the zero time).
func (e IgnoreEntry) until() (time.Time, error) {
	if e.Until == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, e.Until)
	if err != nil {
		return time.Time{}, fmt.Errorf("until: %q is not a date YYYY-MM-DD", e.Until)
	}
	return t, nil
}

// Host returns the host c declares (platform, if not "", replacing c's
// platform: key), or nil when it declares none.
func (c *Config) Host(platform string) (*compat.Host, error) {
	var provides []string
	if c != nil {
		if platform == "" {
			platform = c.Platform
		}
		provides = c.HostProvides
	}
	return compat.NewHost(platform, provides)
}

// Policy returns the rule part of c, for compat.Options.
func (c *Config) Policy() compat.Policy {
	if c == nil {
		return compat.Policy{}
	}
	p := compat.Policy{Except: c.Except, IgnoreOnly: c.IgnoreOnly, Severity: c.Severity}
	for _, e := range c.Ignore {
		until, _ := e.until() // checked by Parse
		where := ""
		if c.Path != "" && e.Line > 0 {
			where = fmt.Sprintf("%s:%d", c.Path, e.Line)
		}
		p.Suppress = append(p.Suppress, compat.Suppression{Rule: e.Rule, Subject: e.Subject, Reason: e.Reason, Until: until, Where: where})
	}
	return p
}

// MaxSize bounds the size of a configuration file.
const MaxSize = 1 << 20

// Parse reads a configuration. Unknown keys, unknown modes, rules (those
// of rules; nil is compat.BaseRegistry), platforms and severities are
// errors; name prefixes every message. A problem at a node of the file
// (a key, a value, a list item) is an *Error naming its line and column,
// several are Errors (all of one kind: unknown keys, then values of the
// wrong kind, then bad values); a YAML syntax error names its line.
func Parse(name string, data []byte, rules *compat.Registry) (*Config, error) {
	var c Config
	if err := checkText(data); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var root yaml.Node
	docs := yaml.NewDecoder(bytes.NewReader(data))
	if err := docs.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, fixLine(err, data))
	}
	// A second document would be ignored, and with it every check it
	// turns on (an empty one, a trailing "---", holds none).
	for {
		var next yaml.Node
		err := docs.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, fixLine(err, data))
		}
		if len(next.Content) > 0 && !isNull(next.Content[0]) {
			var ps problems
			ps.at(&next, "a second YAML document; a configuration is one")
			return nil, ps.result(name)
		}
	}
	keys := checkKeys(&root)
	if err := keys.result(name); err != nil {
		return nil, err
	}
	if rules == nil {
		rules = compat.BaseRegistry()
	}
	// Before the decoder, which takes quadratic time on large mappings
	// (shapes.go): the shape checks refuse those.
	shape := shapeErrors(&root, len(rules.Rules()))
	if err := shape.result(name); err != nil {
		return nil, err
	}
	// From the tree already read, not the text again: checkKeys has
	// refused unknown keys, and the decoder's type errors name the same
	// lines from the nodes.
	if root.Kind != 0 {
		if err := root.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s: %w", name, typeErrors(fixLine(err, data)))
		}
	}
	c.Path = name
	ps := c.validate(rules, &root)
	if err := ps.result(name); err != nil {
		return nil, err
	}
	c.logsAt = positionsOf(valueOf(topMapping(&root), "logs"))
	return &c, nil
}

// checkText refuses bytes that are not UTF-8 and control characters YAML
// does not allow, at their line and column (the YAML library names
// neither). Input that starts with a UTF-16 byte order mark is left to
// the library, which reads UTF-16.
func checkText(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return fmt.Errorf("yaml: line %d, column %d: invalid UTF-8 (offset 0x%x)", line, col, i)
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			return fmt.Errorf("yaml: line %d, column %d: control character %U is not allowed (offset 0x%x)", line, col, r, i)
		case r == '\n':
			line, col = line+1, 0
		}
		i += n
		col++ // in characters, as the YAML reader counts
	}
	return nil
}

// parserError matches the YAML parser's (not scanner's) syntax errors,
// which go.yaml.in/yaml/v3 reports one line early: it prints the 0-based
// line of the structure being parsed.
var parserError = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^yaml: line (\d+): (did not find expected .*)$`)
})

// fixLine corrects the line of a YAML parser error in data. (When the
// structure starts on the first line, the library reports the 0-based line
// of the end of input instead, hence the clamp to the last line.)
func fixLine(err error, data []byte) error {
	m := parserError().FindStringSubmatch(err.Error())
	if m == nil {
		return placeLineless(err, data)
	}
	n, _ := strconv.Atoi(m[1])
	lines := bytes.Count(bytes.TrimRight(data, "\n"), []byte("\n")) + 1
	return fmt.Errorf("yaml: line %d: %s", min(n+1, lines), m[2])
}

// placeLineless names the place of a YAML reader error that names none.
// An unknown anchor is placed nowhere by the reader: its reference (*name)
// is placed when the file holds it once. The reader prints a syntax
// error's line only when it is not the first (it holds 0-based lines and
// leaves out 0), so an error that line 1 alone gives too is at line 1 (as
// is an unknown anchor referenced there: the reader stops at the first).
// Anything else is left as it is.
func placeLineless(err error, data []byte) error {
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, "yaml: ")
	if !ok || strings.HasPrefix(rest, "line ") {
		return err
	}
	if m := unknownAnchor().FindStringSubmatch(rest); m != nil {
		ref := []byte("*" + m[1])
		var at []int
		for i := 0; len(at) < 2; {
			j := bytes.Index(data[i:], ref)
			if j < 0 {
				break
			}
			j += i
			end := j + len(ref)
			if (j == 0 || bytes.IndexByte([]byte(" \t\n[{,:-"), data[j-1]) >= 0) &&
				(end == len(data) || bytes.IndexByte([]byte(" \t\r\n]},"), data[end]) >= 0) {
				at = append(at, j)
			}
			i = end
		}
		if len(at) == 1 {
			line := bytes.Count(data[:at[0]], []byte("\n")) + 1
			col := utf8.RuneCount(data[bytes.LastIndexByte(data[:at[0]], '\n')+1:at[0]]) + 1
			return fmt.Errorf("yaml: line %d, column %d: %s", line, col, rest)
		}
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	var n yaml.Node
	if e := yaml.Unmarshal(first, &n); e != nil && e.Error() == msg {
		return fmt.Errorf("yaml: line 1: %s", rest)
	}
	return err
}

// unknownAnchor matches the YAML reader's error for an alias of no anchor.
var unknownAnchor = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
})

// Load reads the configuration file at path: a regular file (not a
// device, a FIFO or a directory) of at most MaxSize bytes.
func Load(path string, rules *compat.Registry) (*Config, error) {
	// The limit is MaxSize whatever --max-input-size says (the input
	// limit's own message would suggest raising that).
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() > MaxSize {
		return nil, &analyze.Error{Path: path, Err: fmt.Errorf("a configuration is at most %d bytes; this file has %d", MaxSize, st.Size())}
	}
	data, err := analyze.ReadInput(path, MaxSize)
	if err != nil {
		return nil, &analyze.Error{Path: path, Err: err}
	}
	c, err := Parse(path, data, rules)
	if c != nil {
		c.Dir = filepath.Dir(path)
	}
	return c, err
}

// FileNames are the names Discover looks for, in each directory.
var FileNames = []string{FileName, "wfcompat.yml"}

// Discover returns the configuration file that applies in dir:
// wfcompat.yaml or wfcompat.yml in dir or the nearest parent that has
// one, looking no further up than the repository root (the directory
// holding .git) or the file system root. It returns "" when there is none;
// both names in one directory is an error (which one is meant?).
func Discover(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find %s: %w", FileName, err)
	}
	for {
		var found []string
		for _, n := range FileNames {
			p := filepath.Join(dir, n)
			if _, err := os.Lstat(p); err == nil {
				found = append(found, p)
			} else if !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("find %s: %w", FileName, err)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 2:
			return "", fmt.Errorf("both %s and %s exist; keep one", found[0], found[1])
		}
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return "", nil // the repository root
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Find loads the configuration Discover finds from dir. It returns nil
// and no error when there is none.
func Find(dir string, rules *compat.Registry) (*Config, error) {
	path, err := Discover(dir)
	if err != nil || path == "" {
		return nil, err
	}
	return Load(path, rules)
}

// validate checks what decoding does not, each problem at the node of
// root (the parsed file) it is about.
func (c *Config) validate(rules *compat.Registry, root *yaml.Node) problems {
	var ps problems
	top := topMapping(root)
	switch c.Version {
	case "":
		c.Version = Version
	case Version:
	default:
		ps.at(valueOf(top, "version"), "version: unsupported version %q (want %s)", c.Version, Version)
	}
	modes := valueOf(top, "modes")
	for i, m := range c.Modes {
		if !slices.Contains(compat.AllModes(), m) {
			var names []string
			for _, k := range compat.AllModes() {
				names = append(names, string(k))
			}
			hint := ""
			if s := compat.DidYouMean(string(m), names); s != "" {
				hint = fmt.Sprintf("did you mean %q? ", s)
			}
			ps.at(itemOf(modes, i), "modes: unknown mode %q (%swant one of %v)", m, hint, compat.AllModes())
		}
	}
	before := len(ps.errs)
	c.validatePolicy(&ps, rules, top)
	if len(ps.errs) == before {
		// The policy's own check, should it know a problem the above
		// does not (it cannot place it).
		if err := c.Policy().Validate(rules); err != nil {
			ps.at(nil, "%v", err)
		}
	}
	before = len(ps.errs)
	if c.Platform != "" {
		if _, err := compat.ProfileByName(c.Platform); err != nil {
			ps.at(valueOf(top, "platform"), "platform: %w", err)
		}
	}
	provides := valueOf(top, "host_provides")
	for i, p := range c.HostProvides {
		if err := compat.ValidateHostPattern(p); err != nil {
			ps.at(itemOf(provides, i), "host_provides: %w", err)
		}
	}
	if _, err := c.Host(""); err != nil && len(ps.errs) == before {
		ps.at(nil, "platform/host_provides: %w", err)
	}
	imports := valueOf(top, "callback_imports")
	for i, ci := range c.CallbackImports {
		if _, err := callbacks.ParseCallbackImport(ci); err != nil {
			ps.at(itemOf(imports, i), "callback_imports: %w", err)
		}
	}
	if c.WITFeatures != nil {
		features := valueOf(top, "wit_features")
		for i, f := range *c.WITFeatures {
			if err := CheckWITFeature(f); err != nil {
				ps.at(itemOf(features, i), "wit_features: %w", err)
			}
		}
	}
	logs := valueOf(top, "logs")
	for i, p := range c.Logs {
		// A pattern's syntax is known now; the files it names, when the
		// logs run (LogPaths).
		if _, err := filepath.Match(p, ""); err != nil {
			ps.at(itemOf(logs, i), "logs: %q: %w", p, err)
		}
	}
	return ps
}

// validatePolicy checks the rule part (except, ignore, ignore_only,
// severity) as compat.Policy.Validate does, placing each problem.
func (c *Config) validatePolicy(ps *problems, rules *compat.Registry, top *yaml.Node) {
	if rules == nil {
		rules = compat.BaseRegistry()
	}
	var ids []string
	rule := func(n *yaml.Node, where, id string) {
		if _, ok := rules.Lookup(id); ok {
			return
		}
		if ids == nil {
			for _, r := range rules.Rules() {
				ids = append(ids, r.ID)
			}
		}
		ps.at(n, "%s: unknown rule %q (%s)", where, id, hint(func() string {
			if s := compat.DidYouMean(id, ids); s != "" {
				return fmt.Sprintf("did you mean %q?", s)
			}
			return "wfcompat rules lists them"
		}))
	}
	except := valueOf(top, "except")
	for i, id := range c.Except {
		rule(itemOf(except, i), "except", id)
	}
	ignore := valueOf(top, "ignore")
	for i, e := range c.Ignore {
		n := itemOf(ignore, i)
		if e.Rule == "" && strings.TrimSpace(e.Subject) == "" {
			ps.at(n, "ignore: an entry needs a rule, a subject or both")
		}
		if e.Rule != "" {
			rule(valueOf(n, "rule"), "ignore", e.Rule)
		}
		if _, err := e.until(); err != nil {
			ps.at(valueOf(n, "until"), "ignore: %w", err)
		}
	}
	only := valueOf(top, "ignore_only")
	onlyKeys := indexKeys(only)
	for _, id := range slices.Sorted(maps.Keys(c.IgnoreOnly)) {
		rule(onlyKeys.key(only, id), "ignore_only", id)
		subjects := onlyKeys.value(only, id)
		for i, s := range c.IgnoreOnly[id] {
			if strings.TrimSpace(s) == "" {
				ps.at(itemOf(subjects, i), "ignore_only.%s: empty subject", id)
			}
		}
	}
	severity := valueOf(top, "severity")
	severityKeys := indexKeys(severity)
	for _, id := range slices.Sorted(maps.Keys(c.Severity)) {
		rule(severityKeys.key(severity, id), "severity", id)
		switch sev := c.Severity[id]; sev {
		case compat.SeverityError, compat.SeverityWarning, compat.SeverityInfo:
		default:
			ps.at(severityKeys.value(severity, id), "severity.%s: unknown severity %q (want error, warning or info)", id, sev)
		}
	}
}

// CheckWITFeature checks that name can be the feature of a WIT feature
// gate (analyze.CheckWITFeature).
func CheckWITFeature(name string) error { return analyze.CheckWITFeature(name) }
