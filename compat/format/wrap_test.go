package format

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// wrapRef is wrap and wrapIndented as they were first written (a line
// built word by word, the indentation added after): the reference the
// one-buffer wrapLead is checked against.
func wrapRef(s string, width int) []string {
	var lines []string
	for _, para := range strings.Split(clean(s), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line, n := words[0], utf8.RuneCountInString(words[0])
		for _, w := range words[1:] {
			wn := utf8.RuneCountInString(w)
			if n+1+wn > width {
				lines = append(lines, line)
				line, n = w, wn
				continue
			}
			line += " " + w
			n += 1 + wn
		}
		lines = append(lines, line)
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func wrapIndentedRef(s string, col int, prefix string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	pw := utf8.RuneCountInString(prefix)
	lines := wrapRef(s, max(20, textWidth-col-pw))
	out := make([]string, len(lines))
	for i, l := range lines {
		lead := strings.Repeat(" ", col+pw)
		if i == 0 {
			lead = strings.Repeat(" ", col) + prefix
		}
		out[i] = lead + l
	}
	return out
}

// TestWrap checks wrap and wrapIndented against the reference on texts
// made of words, spaces, newlines and wide runes, at several widths.
func TestWrap(t *testing.T) {
	texts := []string{"", " ", "\n", "a", "a\n", "a\n\n", "\na", "a  b\t c", "a\n\nb\n",
		strings.Repeat("word ", 40), strings.Repeat("x", 120) + " y", "é ü 中文 字 " + strings.Repeat("ñ", 30),
		"line one\r\nline two\x1b[31m red", "trailing spaces   \n  \n"}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "bb", "word", "longerword", " ", "  ", "\n", "\t", "é", "中文", strings.Repeat("z", 25)}
	for range 500 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		for _, width := range []int{1, 5, 20, 79, 98} {
			if got, want := wrap(s, width), wrapRef(s, width); !slices.Equal(got, want) {
				t.Errorf("wrap(%q, %d) = %q, want %q", s, width, got, want)
			}
		}
		for _, col := range []int{0, 2, 12, 90} {
			for _, prefix := range []string{"", "why: ", "affects: "} {
				if got, want := wrapIndented(s, col, prefix), wrapIndentedRef(s, col, prefix); !slices.Equal(got, want) {
					t.Errorf("wrapIndented(%q, %d, %q) = %q, want %q", s, col, prefix, got, want)
				}
			}
		}
	}
}
