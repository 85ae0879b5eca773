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
		msg := fmt.Sprintf("unknown key %q%s", k.Value, where)
		if s := compat.DidYouMean(k.Value, known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += " (known keys: " + strings.Join(known, ", ") + ")"
		}
		ps.at(k, "%s", msg)
	}
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
			if e = deref(e); e == nil || e.Kind != yaml.MappingNode {
				continue
			}
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

// typeNames say in the configuration's words what a Go type holds.
var typeNames = map[string]string{
	"[]compat.Mode":              "a list of modes",
	"compat.Mode":                "a mode",
	"[]string":                   "a list of strings",
	"*[]string":                  "a list of strings",
	"string":                     "a string",
	"bool":                       "true or false",
	"map[string][]string":        "a mapping of rule IDs to lists of subjects",
	"map[string]compat.Severity": "a mapping of rule IDs to severities",
	"compat.Severity":            "a severity",
	"[]config.IgnoreEntry":       "a list of subjects or {rule, subject, reason, until} entries",
	"config.plain":               "a subject or a {rule, subject, reason, until} entry",
	"config.Config":              "a mapping of keys (version, modes, ignore, ...)",
}

// yamlTags name YAML node kinds.
var yamlTags = map[string]string{
	"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean",
	"seq": "a list", "map": "a mapping", "null": "nothing", "timestamp": "a date",
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
		want, got := typeNames[sm[4]], yamlTags[sm[2]]
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
