package format

import (
	"strings"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// rulesDocURL is where docs/rules.md is published; a rule's help link is
// its anchor there (the lower-cased ID, as GitHub derives heading anchors).
const rulesDocURL = toolURI + "/blob/main/docs/rules.md"

// ruleHelpURI returns the link to rule id's entry in docs/rules.md.
func ruleHelpURI(id string) string {
	return rulesDocURL + "#" + strings.ToLower(id)
}

// lookupRule finds a rule in the registry of opts, else compat's base
// registry. (format cannot import compat/vercel, whose tests import
// format: callers pass wfcompat.Rules() for the Vercel rules.)
func lookupRule(opts Options, id string) (compat.Rule, bool) {
	if opts.Rules != nil {
		return opts.Rules.Lookup(id)
	}
	return compat.LookupRule(id)
}

// toolVersion is the version of wfcompat that made r: the report's, else
// the running build's.
func toolVersion(r *compat.Report) string {
	if r.ToolVersion != "" {
		return r.ToolVersion
	}
	return buildinfo.Read().Version
}
