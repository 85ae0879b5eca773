package assertformat

import (
	"bytes"
	"fmt"
	"strings"
)

// maxAnnotations is how many annotations of each kind (error, warning,
// notice) GitHub keeps per step; later ones are dropped silently.
const maxAnnotations = 10

// renderGitHub writes GitHub Actions workflow commands: an error
// annotation per failed input or log (and per problem of a Vercel run in
// flight) at the file and line that recorded it, a notice per problem of
// a finished run, then the summary as a plain log line. When a kind has
// more entries than GitHub keeps per step, the first nine are annotated
// and a tenth counts the rest by reason, so nothing is dropped without a
// trace. Values are escaped as the runner requires, and control
// characters are shown escaped first, so that no recorded name can start
// a workflow command of its own.
func renderGitHub(b *bytes.Buffer, r *report) {
	perKind := map[string][]entry{}
	for _, e := range r.entries() {
		kind := "error"
		if e.level == LevelNote {
			kind = "notice"
		}
		perKind[kind] = append(perKind[kind], e)
	}
	for _, kind := range []string{"error", "notice"} {
		es := perKind[kind]
		var rest []entry
		if len(es) > maxAnnotations {
			es, rest = es[:maxAnnotations-1], es[maxAnnotations-1:]
		}
		for _, e := range es {
			var props []string
			if e.file != "" {
				props = append(props, "file="+ghProperty(e.file))
				if e.line > 0 {
					props = append(props, fmt.Sprintf("line=%d", e.line))
				}
			}
			title := "wfcompat assert: " + e.reason
			if kind == "notice" {
				title += " (finished run, not replayed)"
			}
			props = append(props, "title="+ghProperty(title))
			msg := e.message
			if e.file == "" && e.caseName != "" {
				msg = e.caseName + ": " + msg
			}
			b.WriteString("::" + kind + " " + strings.Join(props, ",") + "::" + ghData(msg) + "\n")
		}
		if len(rest) > 0 {
			counts := map[string]int{}
			var order []string
			for _, e := range rest {
				if counts[e.reason] == 0 {
					order = append(order, e.reason)
				}
				counts[e.reason]++
			}
			var parts []string
			for _, reason := range order {
				parts = append(parts, fmt.Sprintf("%s ×%d", reason, counts[reason]))
			}
			fmt.Fprintf(b, "::%s title=%s::%s\n", kind, ghProperty(fmt.Sprintf("wfcompat assert: %d more", len(rest))),
				ghData(fmt.Sprintf("%d more not annotated (GitHub keeps %d %s annotations per step): %s. The full report: wfcompat assert %s --format text, or --output markdown=FILE for the step summary.",
					len(rest), maxAnnotations, kind, strings.Join(parts, ", "), r.command)))
		}
	}
	for _, n := range r.notes {
		fmt.Fprintf(b, "wfcompat assert: note: %s\n", ghLine(n))
	}
	fmt.Fprintf(b, "wfcompat assert %s: %s: %s\n", r.command, strings.ToUpper(r.outcome()), ghLine(r.summaryLine()))
}

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghData escapes the data (message) of a workflow command.
func ghData(s string) string { return ghDataEscaper.Replace(clean(s)) }

// ghProperty escapes a property value of a workflow command.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(clean(s)) }

// ghLine makes a plain log line that cannot be read as a workflow command:
// cleaned, and a leading "::" is broken.
func ghLine(s string) string {
	s = clean(s)
	if strings.HasPrefix(s, "::") {
		s = " " + s
	}
	return s
}
