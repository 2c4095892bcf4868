package policy

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tightlip/tightlip/rules"
)

// Show writes the merged policy as YAML that Parse accepts, each setting followed by a comment
// naming the layer and line it comes from. now marks expired exceptions.
func (p *Policy) Show(w io.Writer, now time.Time) error {
	var b strings.Builder
	var layers []string
	for _, l := range p.Layers {
		layers = append(layers, l.String())
	}
	fmt.Fprintf(&b, "# The effective tightlip policy, merged from (last wins):\n")
	for i, l := range layers {
		fmt.Fprintf(&b, "#   %d. %s\n", i+1, l)
	}
	fmt.Fprintf(&b, "apiVersion: %s\n", APIVersion)

	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	origin := func(key string) string {
		if o, ok := p.Origins[key]; ok {
			return "\t# " + o.String()
		}
		return "\t# not set"
	}
	line := func(format string, args ...any) { fmt.Fprintf(tw, format+"\n", args...) }
	line("rules:")
	for _, r := range rules.All() {
		if sev, ok := p.Rules[r.ID]; ok {
			line("  %s: %s%s", r.ID, sev, origin("rules."+r.ID))
		} else {
			line("  %s: %s\t# the rule's own severity (%s)", r.ID, FromRules(r.Severity), r.Name)
		}
	}
	line("credentials:")
	line("  names:")
	globs := func(indent, key string, gs []Glob) {
		if len(gs) == 0 {
			line("%s%s: []", indent, key)
			return
		}
		line("%s%s:", indent, key)
		for _, g := range gs {
			line("%s  - %s\t# %s", indent, strconv.Quote(g.Text), g.Origin)
		}
	}
	globs("    ", "extra", p.Names)
	globs("    ", "allowed", p.AllowedNames)
	line("  values:")
	if len(p.Values) == 0 {
		line("    extra: []")
	} else {
		line("    extra:")
		for _, v := range p.Values {
			line("      - id: %s\t# %s", v.ID, v.Origin)
			line("        pattern: %s", strconv.Quote(v.Pattern.String()))
		}
	}
	if len(p.AllowedValues) == 0 {
		line("    allowed: []")
	} else {
		line("    allowed:")
		for _, a := range p.AllowedValues {
			s := strings.TrimSuffix(strings.TrimPrefix(a.String(), "^(?:"), ")$")
			line("      - %s\t# %s", strconv.Quote(s), a.Origin)
		}
	}
	line("files:")
	list := func(indent, key string, items []string) {
		if len(items) == 0 {
			line("%s%s: []%s", indent, key, origin("files."+key))
			return
		}
		var q []string
		for _, s := range items {
			q = append(q, strconv.Quote(s))
		}
		line("%s%s: [%s]%s", indent, key, strings.Join(q, ", "), origin("files."+key))
	}
	list("  ", "extra", p.Files)
	list("  ", "allowed", p.AllowedFiles)
	if len(p.StoreCommands) == 0 {
		line("storeCommands: []")
	} else {
		line("storeCommands:")
		for _, s := range p.StoreCommands {
			line("  - command: %s\t# %s", strconv.Quote(strings.Join(s.Words, " ")), s.Origin)
			line("    file: %s", strconv.Quote(s.File))
		}
	}
	line("rewrite:")
	line("  enabled: %t%s", p.Rewrite, origin("rewrite.enabled"))
	line("  required: %t%s", p.RewriteRequired, origin("rewrite.required"))
	line("baseImages:")
	if p.BaseImages.Allowed == nil {
		line("  # allowed: not set: any image may be used")
	} else {
		var q []string
		for _, s := range p.BaseImages.Allowed {
			q = append(q, strconv.Quote(s))
		}
		line("  allowed: [%s]%s", strings.Join(q, ", "), origin("baseImages.allowed"))
	}
	line("  requireDigest: %t%s", p.BaseImages.RequireDigest, origin("baseImages.requireDigest"))
	line("directives:")
	line("  checkSkip: %t%s", p.CheckSkip, origin("directives.checkSkip"))
	line("  syntax: %t%s", p.Syntax, origin("directives.syntax"))
	line("verification:")
	line("  mode: %s%s", strconv.Quote(string(p.Verification.Mode)), origin("verification.mode"))
	line("  budget: %s%s", p.Verification.Budget, origin("verification.budget"))
	line("  minLength: %d%s", p.Verification.MinLength, origin("verification.minLength"))
	if len(p.Exceptions) == 0 {
		line("exceptions: []")
	} else {
		line("exceptions:")
		for _, e := range p.Exceptions {
			state := ""
			if e.Expired(now) {
				state = ", EXPIRED: no longer applies"
			}
			line("  - rule: %s\t# %s%s", e.Rule, e.Origin, state)
			for _, s := range e.Selectors {
				if s.Key == "line" {
					line("    %s: %s", s.Key, s.Value)
				} else {
					line("    %s: %s", s.Key, strconv.Quote(s.Value))
				}
			}
			line("    reason: %s", strconv.Quote(e.Reason))
			line("    expires: %s", strconv.Quote(e.ExpiresText))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
