package policy

import (
	"github.com/moby/patternmatcher"

	"github.com/tightlip/tightlip/rules"
	"github.com/tightlip/tightlip/shellflow"
)

// RulesConfig returns what the policy changes in the rules.
func (p *Policy) RulesConfig() (*rules.Config, error) {
	c := &rules.Config{RequireDigest: p.BaseImages.RequireDigest, OptionalSecrets: !p.RewriteRequired}
	if len(p.Names) > 0 {
		c.ExtraName = anyGlob(p.Names)
	}
	if len(p.AllowedNames) > 0 {
		c.AllowedName = anyGlob(p.AllowedNames)
	}
	for _, v := range p.Values {
		c.ExtraValues = append(c.ExtraValues, rules.ValueFormat{ID: v.ID, Description: v.Description, Pattern: v.Pattern})
	}
	if len(p.AllowedValues) > 0 {
		allowed := p.AllowedValues
		c.AllowedValue = func(v string) bool {
			for _, re := range allowed {
				if re.MatchString(v) {
					return true
				}
			}
			return false
		}
	}
	var err error
	if len(p.Files) > 0 {
		if c.ExtraFiles, err = patternmatcher.New(p.Files); err != nil {
			return nil, err
		}
	}
	if len(p.AllowedFiles) > 0 {
		if c.AllowedFiles, err = patternmatcher.New(p.AllowedFiles); err != nil {
			return nil, err
		}
	}
	for _, s := range p.StoreCommands {
		c.Stores = append(c.Stores, shellflow.StoreCommand{Words: s.Words, File: s.File, ValuedOptions: s.ValuedOptions})
	}
	if p.BaseImages.Allowed != nil {
		c.ImageAllowed = p.BaseImages.ImageAllowed
	}
	return c, nil
}

func anyGlob(gs []Glob) func(string) bool {
	return func(s string) bool {
		for _, g := range gs {
			if g.Match(s) {
				return true
			}
		}
		return false
	}
}
