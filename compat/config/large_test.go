package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
)

// largeConfig returns a file of about size bytes: head, then item
// formatted with a counter until the size is reached, then tail.
func largeConfig(size int, head, item, tail string) []byte {
	var b strings.Builder
	b.WriteString(head)
	for i := 0; b.Len()+len(tail) < size-len(item)-8; i++ {
		if strings.Contains(item, "%d") {
			fmt.Fprintf(&b, item, i)
		} else {
			b.WriteString(item)
		}
	}
	b.WriteString(tail)
	return []byte(b.String())
}

// TestParseLarge: files of many keys, repeated or not, and of many
// aliases get their error at once. The YAML decoder compares every key of
// a mapping with every later one and formats a message per match, so a
// file of one key repeated took quadratic time and memory (a 1 MiB file
// never finished); now the shape checks refuse such files before it runs
// (shapes.go). The sizes are ones a linear reader takes in a moment and the
// old one did not finish; the time is BenchmarkParseLarge's.
func TestParseLarge(t *testing.T) {
	const size = 256 << 10
	var ruleMap strings.Builder
	for i, r := range compat.BaseRegistry().Rules() {
		if i > 0 {
			ruleMap.WriteString(", ")
		}
		ruleMap.WriteString(r.ID + ": info")
	}
	rules := len(compat.BaseRegistry().Rules())
	severity := largeConfig(size, "severity:\n", "  RULE_%d: info\n", "")
	tests := []struct {
		name      string
		src       []byte
		first     string // the first problem
		problems  int    // how many; 1 means a lone one
		truncated bool   // the message counts the rest
	}{
		{"a top-level key repeated", largeConfig(size, "", "modes: []\n", ""),
			`line 2, column 1: key "modes" is already defined at line 1, column 1`, 0, true},
		{"a rule ID repeated", largeConfig(size, "severity:\n", "  DOCS_CHANGED: info\n", ""),
			`line 3, column 3: key "DOCS_CHANGED" in severity is already defined at line 2, column 3`, 0, true},
		{"an ignore entry key repeated", largeConfig(size, "ignore:\n  - rule: DOCS_CHANGED\n", "    rule: DOCS_CHANGED\n", ""),
			`line 3, column 5: key "rule" in an ignore entry is already defined at line 2, column 5`, 0, true},
		{"many unknown top-level keys", largeConfig(size, "", "key%d: 1\n", ""),
			`line 1, column 1: unknown key "key0" (known keys: version, modes, require_proof, except, ignore, ignore_only, severity, callback_imports, platform, host_provides, logs, wit_features)`, 0, true},
		{"many rule IDs in severity", severity,
			fmt.Sprintf("line 2, column 3: severity: a mapping of %d rule IDs, but there are %d rules: some are not rules (wfcompat rules lists them)", bytes.Count(severity, []byte("\n"))-1, rules), 1, false},
		{"many rule IDs in ignore_only", largeConfig(size, "ignore_only:\n", "  RULE_%d: [a]\n", ""),
			"line 2, column 3: ignore_only: a mapping of ", 1, false},
		{"many unknown rules in except", largeConfig(size, "except:\n", "  - RULE_%d\n", ""),
			`line 2, column 5: except: unknown rule "RULE_0" (wfcompat rules lists them)`, 0, true},
		{"a mapping of many keys where a list belongs", largeConfig(size, "modes:\n", "  key%d: 1\n", ""),
			"line 2, column 3: modes: want a list of modes, got a mapping", 1, false},
		{"a mapping of many keys in an ignore entry", largeConfig(size, "ignore:\n  - rule:\n", "      key%d: 1\n", ""),
			"line 3, column 7: ignore: rule: want a string, got a mapping", 1, false},
		{"an ignore entry with many keys repeated by aliases", largeConfig(size, "ignore:\n  - &e {rule: DOCS_CHANGED, "+strings.Repeat("x: 1, ", 1000)+"y: 2}\n", "  - *e\n", ""),
			`line 2, column 29: unknown key "x" in an ignore entry (known keys: rule, subject, reason, until)`, 1001, true},
		{"merges of all rules repeated by aliases", largeConfig(size, "severity: {<<: [&m {"+ruleMap.String()+"}", ", *m", "]}\n"),
			"the file stands for more than 1048576 values through its aliases (*name); a configuration is refused beyond that", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("w.yaml", tt.src, nil)
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("Parse = %v, want Errors", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "w.yaml: ") || !strings.Contains(msg, tt.first) || strings.ContainsAny(msg, "\r\n") {
				t.Errorf("message %.300q..., want one line starting with %q", msg, tt.first)
			}
			if tt.problems > 0 && len(es) != tt.problems {
				t.Errorf("%d problems, want %d: %.300q...", len(es), tt.problems, msg)
			}
			more := fmt.Sprintf("; and %d more problems in w.yaml (the first %d shown)", len(es)-MaxShown, MaxShown)
			if tt.truncated != strings.HasSuffix(msg, more) || tt.truncated && strings.Count(msg, "w.yaml: line ") != MaxShown {
				t.Errorf("%d problems: message of %d bytes ending %q, want it to list %d and count the rest: %t",
					len(es), len(msg), msg[max(0, len(msg)-100):], MaxShown, tt.truncated)
			}
			for _, e := range es {
				if e.Line < 1 || e.Column < 1 {
					t.Fatalf("a problem at no position: %v", e)
				}
			}
		})
	}
}

// TestParseBounds: the bounds of the shape checks refuse no configuration
// that loads: a mapping of as many rule IDs as there are rules, merged
// into from a list, is read.
func TestParseBounds(t *testing.T) {
	var all strings.Builder
	n := 0
	for _, r := range compat.BaseRegistry().Rules() {
		fmt.Fprintf(&all, "  %s: info\n", r.ID)
		n++
	}
	src := "severity:\n" + all.String() + "ignore_only:\n  <<: [{DOCS_CHANGED: [a]}, {PARAM_RENAMED: [b]}]\n"
	c, err := Parse("w.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Severity) != n || len(c.IgnoreOnly) != 2 {
		t.Errorf("severity of %d rules, ignore_only of %d; want %d and 2", len(c.Severity), len(c.IgnoreOnly), n)
	}
	// One key more than there are rules is one that is not a rule.
	_, err = Parse("w.yaml", []byte("severity:\n"+all.String()+"  NOT_A_RULE: info\n"), nil)
	if want := fmt.Sprintf("w.yaml: line 2, column 3: severity: a mapping of %d rule IDs, but there are %d rules", n+1, n); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Parse = %v, want %q...", err, want)
	}
}

// TestErrorsHintsLazy: the "did you mean" hints of unknown names are
// worked out for the problems the message shows, not for every one (a
// hundred thousand unknown rule IDs took seconds of edit distances).
func TestErrorsHintsLazy(t *testing.T) {
	var ps problems
	calls := 0
	for i := range 1000 {
		ps.at(nil, "unknown %d (%s)", i, hint(func() string { calls++; return "did you mean x?" }))
	}
	msg := ps.result("w.yaml").Error()
	if calls != MaxShown {
		t.Errorf("%d hints worked out, want %d", calls, MaxShown)
	}
	if !strings.HasPrefix(msg, "w.yaml: unknown 0 (did you mean x?); ") || !strings.HasSuffix(msg, "; and 980 more problems in w.yaml (the first 20 shown)") {
		t.Errorf("message %q", msg)
	}
}

// BenchmarkParseLarge reads 1 MiB files that used to take quadratic time:
// a key repeated, and a mapping of many keys where a list belongs.
func BenchmarkParseLarge(b *testing.B) {
	for _, bc := range []struct{ name, head, item string }{
		{"repeated-key", "", "modes: []\n"},
		{"severity-unknown", "severity:\n", "  RULE_%d: info\n"},
		{"mapping-for-list", "modes:\n", "  key%d: 1\n"},
	} {
		src := largeConfig(MaxSize, bc.head, bc.item, "")
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse("w.yaml", src, nil); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
