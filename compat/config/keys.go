package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/wfcompat/wfcompat/compat"
	"go.yaml.in/yaml/v3"
)

// yamlKeys returns the YAML keys of struct type t, in field order.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}

// The known keys, read from the struct tags when a file is first checked
// (not at start-up: most runs read no configuration).
var (
	configKeys = sync.OnceValue(func() []string { return yamlKeys(reflect.TypeOf(Config{})) })
	ignoreKeys = sync.OnceValue(func() []string { return yamlKeys(reflect.TypeOf(IgnoreEntry{})) })
)

// checkKeys reports the unknown keys of a parsed file, at the top level
// and in ignore: entries, each at its key with the known key it is
// probably a typo of.
func checkKeys(root *yaml.Node) problems {
	var ps problems
	top := topMapping(root)
	if top == nil {
		return ps // the decoder says what is wrong
	}
	unknown := func(k *yaml.Node, where string, known []string) {
		ps.at(k, "unknown key %q%s (%s)", k.Value, where, hint(func() string {
			if s := compat.DidYouMean(k.Value, known); s != "" {
				return fmt.Sprintf("did you mean %q?", s)
			}
			return "known keys: " + strings.Join(known, ", ")
		}))
	}
	// An entry is checked once, however many aliases (*name) repeat it:
	// its problems are at its own keys.
	seen := map[*yaml.Node]bool{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], deref(top.Content[i+1])
		if !contains(configKeys(), k.Value) {
			unknown(k, "", configKeys())
			continue
		}
		if k.Value != "ignore" || v == nil || v.Kind != yaml.SequenceNode {
			continue
		}
		for _, e := range v.Content {
			if e = deref(e); e == nil || e.Kind != yaml.MappingNode || seen[e] {
				continue
			}
			seen[e] = true
			for j := 0; j < len(e.Content); j += 2 {
				if !contains(ignoreKeys(), e.Content[j].Value) {
					unknown(e.Content[j], " in an ignore entry", ignoreKeys())
				}
			}
		}
	}
	return ps
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// typeMismatch matches one message of a yaml.TypeError.
var typeMismatch = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`line (\d+): cannot unmarshal !!(\w+)(?: ` + "`" + `([^` + "`" + `]*)` + "`" + `)? into (\S+)`)
})

// typeName says in the configuration's words what a Go type holds; ""
// for a type it does not know. (Switches, not maps: nothing is built at
// start-up, and most runs read no configuration.)
func typeName(goType string) string {
	switch goType {
	case "[]compat.Mode":
		return "a list of modes"
	case "compat.Mode":
		return "a mode"
	case "[]string", "*[]string":
		return "a list of strings"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "map[string][]string":
		return "a mapping of rule IDs to lists of subjects"
	case "map[string]compat.Severity":
		return "a mapping of rule IDs to severities"
	case "compat.Severity":
		return "a severity"
	case "[]config.IgnoreEntry":
		return "a list of subjects or {rule, subject, reason, until} entries"
	case "config.plain":
		return "a subject or a {rule, subject, reason, until} entry"
	case "config.Config":
		return "a mapping of keys (version, modes, ignore, ...)"
	}
	return ""
}

// yamlTag names a YAML node kind; "" for a tag it does not know.
func yamlTag(tag string) string {
	switch tag {
	case "str":
		return "a string"
	case "int", "float":
		return "a number"
	case "bool":
		return "a boolean"
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	case "null":
		return "nothing"
	case "timestamp":
		return "a date"
	}
	return ""
}

// typeErrors rewrites the messages of a yaml.TypeError without Go type
// names: "line 2: want a list of modes, got a string (api)". It is the
// fallback of shapeErrors, which places them at their columns: should
// the two ever disagree, the decoder's word stands.
func typeErrors(err error) error {
	te, ok := err.(*yaml.TypeError)
	if !ok {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		sm := typeMismatch().FindStringSubmatch(m)
		if sm == nil {
			msgs[i] = m
			continue
		}
		want, got := typeName(sm[4]), yamlTag(sm[2])
		if want == "" {
			want = "another kind of value"
		}
		if got == "" {
			got = "!!" + sm[2]
		}
		msgs[i] = fmt.Sprintf("line %s: want %s, got %s", sm[1], want, got)
		if sm[3] != "" {
			msgs[i] += fmt.Sprintf(" (%s)", sm[3])
		}
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}
