package format

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// renderGitHub writes one workflow command per finding,
//
//	::error file=NEW_PATH,title=RULE_ID::subject: message
//
// (::warning for warnings and unknown severities, ::notice for info), then
// one plain log line per mode verdict and a summary line. The verdict
// lines are not commands: GitHub caps annotations per step (10 errors, 10
// warnings), and the findings are what deserve them. Data is escaped as
// the runner requires (% \r \n), property values also : and ,.
// Verdict lines are cleaned like the text format.
func renderGitHub(b *bytes.Buffer, r *compat.Report, opts Options) error {
	for _, f := range r.Findings {
		cmd := "warning"
		switch f.Severity {
		case compat.SeverityError:
			cmd = "error"
		case compat.SeverityInfo:
			cmd = "notice"
		}
		var props []string
		if r.New.Path != "" {
			props = append(props, "file="+ghProperty(r.New.Path))
		}
		if f.Rule != "" {
			props = append(props, "title="+ghProperty(f.Rule))
		}
		msg := f.Message
		if f.Subject != "" {
			msg = f.Subject + ": " + msg
		}
		b.WriteString("::" + cmd)
		if len(props) > 0 {
			b.WriteString(" " + strings.Join(props, ","))
		}
		b.WriteString("::" + ghData(msg) + "\n")
	}

	views := modeViews(r, opts)
	for _, v := range views {
		line := fmt.Sprintf("wfcompat: %s%s", pad(string(v.mode)+":", modeWidth), verdictWord(v.res.Verdict))
		switch {
		case v.fails:
			line += " (fails the gate)"
		case !v.gating && v.res.Verdict != compat.NotApplicable:
			line += " (not gating)"
		}
		if n := len(v.res.Reasons); n > 0 && v.res.Verdict != compat.Safe {
			line += " - " + oneLine(v.res.Reasons[0].Message)
			if n > 1 {
				line += fmt.Sprintf(" (+%d more)", n-1)
			}
		}
		b.WriteString(line + "\n")
	}
	out := Evaluate(r, opts)
	fmt.Fprintf(b, "wfcompat: %s: %s; %s\n", strings.ToUpper(string(out)), headline(views, out), countFindings(r))
	return nil
}

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghData escapes the data (message) of a workflow command. Control
// characters other than CR, LF and tab are shown escaped first (as in
// the text format), so a message cannot color or rewrite the log.
func ghData(s string) string { return ghDataEscaper.Replace(ghClean(s)) }

// ghProperty escapes a property value of a workflow command.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(ghClean(s)) }

func ghClean(s string) string {
	return escapeControls(s, func(r rune) bool { return r != '\r' && needsEscape(r) })
}
