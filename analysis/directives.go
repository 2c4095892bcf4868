package analysis

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/policy"
	"github.com/tightlip/tightlip/rules"
)

// checkArg is the build argument that overrides the Dockerfile's `# check=` directive, as in BuildKit.
const checkArg = "BUILDKIT_DOCKERFILE_CHECK"

// checkDirectives applies `# check=skip=…` (or BUILDKIT_DOCKERFILE_CHECK) to tightlip's rules: when
// the policy allows it (directives.checkSkip), the skipped rules do not run; otherwise they run and a
// note says why the directive did not turn them off. Rules are named by ID or name; skip=all names
// every rule.
//
// A skip=all that the policy does not honour is reported only when tightlip finds something
// (quiet reports that): it is mostly written for BuildKit's own checks.
func checkDirectives(data []byte, args map[string]string, pol *policy.Policy, rs []*rules.Rule) (_ []*rules.Rule, _ []policy.Note, quiet bool) {
	text, where, rng := "", "", parser.Range{}
	if v, ok := args[checkArg]; ok {
		text, where = v, "the build argument "+checkArg
	} else if v, _, ranges, ok := parseCheckDirective(data); ok {
		text, where = v, "`# check="+v+"`"
		if len(ranges) > 0 {
			rng = ranges[0]
		}
	}
	if text == "" {
		return rs, nil, false
	}
	cfg, err := linter.ParseLintOptions(text)
	if err != nil {
		return rs, nil, false // BuildKit reports a malformed check option itself
	}
	skipped := func(r *rules.Rule) bool {
		return cfg.SkipAll || slices.ContainsFunc(cfg.SkipRules, func(s string) bool {
			return strings.EqualFold(s, r.ID) || strings.EqualFold(s, r.Name)
		})
	}
	var named []string
	for _, r := range rs {
		if skipped(r) && pol.RuleEnabled(r.ID) {
			named = append(named, r.ID)
		}
	}
	if len(named) == 0 {
		return rs, nil, false
	}
	list := strings.Join(named, ", ")
	if cfg.SkipAll {
		list = "all tightlip rules"
	}
	if pol.CheckSkip {
		note := policy.Note{Range: rng, Message: fmt.Sprintf("%s turns off %s, as the build policy allows (directives.checkSkip at %s)", where, list, pol.Origins["directives.checkSkip"])}
		return slices.DeleteFunc(slices.Clone(rs), skipped), []policy.Note{note}, false
	}
	if cfg.SkipAll {
		list = "tightlip's rules"
	}
	note := policy.Note{Range: rng, Message: fmt.Sprintf("%s does not turn off %s: the build policy does not let Dockerfile directives or build arguments skip them (directives.checkSkip, set by %s)",
		where, list, originOf(pol, "directives.checkSkip"))}
	return rs, []policy.Note{note}, cfg.SkipAll
}

// parseCheckDirective is parser.ParseDirective("check", data), which a Dockerfile without the word
// "check" (in any case: directive names are ASCII letters and digits, compared in lower case) cannot
// contain. Most Dockerfiles do not, and they skip the directive parser.
func parseCheckDirective(data []byte) (string, string, []parser.Range, bool) {
	if !containsFoldASCII(data, "check") {
		return "", "", nil, false
	}
	return parser.ParseDirective("check", data)
}

// containsFoldASCII reports whether data contains word, a lower-case ASCII word, in any ASCII case.
func containsFoldASCII(data []byte, word string) bool {
	for i := 0; i+len(word) <= len(data); i++ {
		if data[i]|0x20 == word[0] && bytes.EqualFold(data[i:i+len(word)], []byte(word)) {
			return true
		}
	}
	return false
}

func originOf(pol *policy.Policy, key string) string {
	if o, ok := pol.Origins[key]; ok {
		return o.String()
	}
	return "the embedded default"
}
