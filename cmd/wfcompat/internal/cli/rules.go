package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/vercel"
	"github.com/wfcompat/wfcompat/eventlog"
)

// RulesSchema identifies the layout of `wfcompat rules --format json`.
const RulesSchema = "wfcompat.rules/v1"

// RulesOptions are the inputs of `wfcompat rules`.
type RulesOptions struct {
	IO     *IO
	Format string
	// IDs restricts the listing to these rules; empty lists all.
	IDs []string
}

// NewCmdRules builds `wfcompat rules`. runF replaces the command's logic in
// tests; nil runs runRules.
func NewCmdRules(io *IO, runF func(*RulesOptions) error) *cobra.Command {
	opts := &RulesOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "rules [RULE_ID...]",
		Short: "List the rules diff reports findings under",
		Long: `Rules lists every rule of wfcompat diff: its ID, default severity, what it
does to each upgrade mode (unsafe or unproven lower the verdict; listed
shows the finding without lowering it), why it matters, how to fix it (the
command, where wfcompat can do the fix), and a before/after example (WIT,
core-module WAT, or Vercel Workflow manifest JSON). The same
catalog generates docs/rules.md. The VERCEL_ rules are those of diff of two
Vercel Workflow DevKit build manifests.

Use the IDs in wfcompat.yaml (except, ignore, ignore_only, severity), the VERCEL_
rules included.`,
		Example: `  wfcompat rules
  wfcompat rules PARAM_RENAMED
  wfcompat rules CALLBACK_SLOT_MOVED
  wfcompat rules --format json | jq -r '.rules[].id'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			if runF != nil {
				return runF(opts)
			}
			return runRules(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json, markdown")
	return cmd
}

// allRules is the whole catalog, wfcompat.Rules: compat's rules, then the
// Vercel Workflow rules.
func allRules() []compat.Rule { return wfcompat.Rules().Rules() }

// vercelRulesIntro heads the Vercel section of docs/rules.md.
const vercelRulesIntro = "`wfcompat diff` of two Vercel Workflow DevKit build manifests (`.well-known/workflow/manifest.json`)\n" +
	"reports these rules, with the same formats, flags and exit codes as a diff of Wasm builds. Snapshot\n" +
	"and in-flight do not apply. The manifests carry no types, so the modes that depend on argument\n" +
	"shapes are at best unproven. All of `wfcompat.yaml`'s policy applies to them: `except`, `ignore`,\n" +
	"`ignore_only` and `severity` accept the VERCEL_ rules like any other.\n"

// RulesMarkdown renders the whole catalog as docs/rules.md.
func RulesMarkdown() string {
	return compat.CatalogMarkdown(compat.RuleSection{
		Title: "Vercel Workflow rules",
		Intro: vercelRulesIntro,
		Rules: vercel.Rules(),
		Lang:  "text",
	})
}

func runRules(opts *RulesOptions) error {
	rules := allRules()
	if len(opts.IDs) > 0 {
		all := rules
		rules = rules[:0:0]
		for _, id := range opts.IDs {
			i := slices.IndexFunc(all, func(r compat.Rule) bool { return r.ID == strings.ToUpper(id) })
			if i < 0 {
				ids := make([]string, len(all))
				for k, r := range all {
					ids[k] = r.ID
				}
				if s := eventlog.Suggest(strings.ToUpper(id), ids); s != "" {
					return inputError(fmt.Errorf("unknown rule %q; did you mean %s? (wfcompat rules lists them)", id, s))
				}
				return inputError(fmt.Errorf("unknown rule %q (wfcompat rules lists them)", id))
			}
			rules = append(rules, all[i])
		}
	}
	var b strings.Builder
	switch opts.Format {
	case "text":
		writeRulesText(&b, rules)
	case "json":
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		doc := struct {
			Schema string     `json:"schema"`
			Rules  []ruleJSON `json:"rules"`
		}{RulesSchema, make([]ruleJSON, len(rules))}
		for i, r := range rules {
			doc.Rules[i] = ruleJSON{Rule: r, Fix: compat.RuleFix(r.ID), HelpURI: ruleDocURL(r.ID)}
		}
		if err := enc.Encode(doc); err != nil {
			return err
		}
	case "markdown":
		if len(opts.IDs) > 0 {
			return inputError(fmt.Errorf("--format markdown renders the whole catalog; drop the rule IDs"))
		}
		b.WriteString(RulesMarkdown())
	default:
		return inputError(fmt.Errorf("unknown format %q (valid: text, json, markdown)", opts.Format))
	}
	_, err := io.WriteString(opts.IO.Out, b.String())
	return err
}

// ruleJSON is a rule of `wfcompat rules --format json`: the catalog entry,
// how to fix its findings, and its entry in docs/rules.md.
type ruleJSON struct {
	compat.Rule
	Fix     string `json:"fix"`
	HelpURI string `json:"help_uri"`
}

// rulesDocURL is where docs/rules.md is published; a rule's entry is its
// anchor there (the lower-cased ID, as GitHub derives heading anchors).
const rulesDocURL = "https://github.com/wfcompat/wfcompat/blob/main/docs/rules.md"

func ruleDocURL(id string) string { return rulesDocURL + "#" + strings.ToLower(id) }

func writeRulesText(b *strings.Builder, rules []compat.Rule) {
	for i, r := range rules {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "%s (%s)\n", r.ID, r.Severity)
		fmt.Fprintf(b, "  modes:  %s\n", compat.EffectsText(r.Effects))
		fmt.Fprintf(b, "  what:   %s\n", r.Purpose)
		fmt.Fprintf(b, "  why:    %s\n", r.Why)
		fmt.Fprintf(b, "  fix:    %s\n", compat.RuleFix(r.ID))
		fmt.Fprintf(b, "  docs:   %s\n", ruleDocURL(r.ID))
		b.WriteString("  before:\n")
		writeIndented(b, r.Example.Before, "    ")
		b.WriteString("  after:\n")
		writeIndented(b, r.Example.After, "    ")
	}
}

func writeIndented(b *strings.Builder, s, indent string) {
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(indent + line + "\n")
	}
}
