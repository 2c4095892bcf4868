package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/moby/patternmatcher"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/shellflow"
)

// Config is what a build policy changes in the rules (package policy makes one). The zero value is
// tightlip's built-in behaviour.
type Config struct {
	// ExtraName and AllowedName, when set, decide ARG/ENV names besides the built-in classifier
	// (credential.IsName): an allowed name is never a credential, an extra one always is.
	ExtraName, AllowedName func(name string) bool
	// ExtraValues are credential value formats found like the built-in token table (TL110).
	ExtraValues []ValueFormat
	// AllowedValue, when set, reports credential values that are not findings (test fixtures).
	AllowedValue func(value string) bool
	// ExtraFiles and AllowedFiles are .dockerignore-style patterns of files that are, or are never,
	// credential files.
	ExtraFiles, AllowedFiles *patternmatcher.PatternMatcher
	// Stores are credential-storing commands besides the built-in table (TL203).
	Stores []shellflow.StoreCommand
	// ImageAllowed, when set, reports whether a normalised image name may be used (TL401).
	ImageAllowed func(name string) bool
	// RequireDigest requires images to be pinned by digest (TL402).
	RequireDigest bool
	// OptionalSecrets makes the secret mounts of TL103's rewrite required=false.
	OptionalSecrets bool
}

// ValueFormat is a credential value format a policy adds.
type ValueFormat struct {
	ID, Description string
	Pattern         *regexp.Regexp
}

func (vf ValueFormat) name() string {
	if vf.Description != "" {
		return vf.Description
	}
	return "credential (" + vf.ID + ")"
}

// ValueSpans returns the byte ranges of s that the extra value formats match, for masking.
func (c *Config) ValueSpans(s string) [][]int {
	var out [][]int
	for _, vf := range c.ExtraValues {
		out = append(out, vf.Pattern.FindAllStringIndex(s, -1)...)
	}
	return out
}

// IsName reports whether an ARG or ENV name is a credential's under the configuration.
func (c *Config) IsName(name string) bool { return c.isName(name) }

// isName reports whether an ARG or ENV name is a credential's under the configuration.
func (c *Config) isName(name string) bool {
	if c.AllowedName != nil && c.AllowedName(name) {
		return false
	}
	return credential.IsName(name) || c.ExtraName != nil && c.ExtraName(name)
}

// classifyFile returns the kind of credential file p names under the configuration, or nil.
func (c *Config) classifyFile(p string) *credential.FileKind {
	if c.AllowedFiles != nil && matchFile(c.AllowedFiles, p) {
		return nil
	}
	if c.ExtraFiles != nil && matchFile(c.ExtraFiles, p) {
		return credential.PolicyFileKind("a credential file by the build policy (files.extra)")
	}
	return credential.ClassifyFile(p)
}

// matchFile matches a path, relative to the build context or absolute in the image, against
// .dockerignore-style patterns; an absolute path matches by its trailing elements too, so that a
// pattern "secrets/*.json" names /app/secrets/x.json.
func matchFile(pm *patternmatcher.PatternMatcher, p string) bool {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	for p != "" {
		if ok, _ := pm.MatchesOrParentMatches(p); ok {
			return true
		}
		_, rest, ok := strings.Cut(p, "/")
		if !ok {
			return false
		}
		p = rest
	}
	return false
}

// analyseAll reports whether every RUN must be analysed: the quick filter (worthAnalysing) knows
// only the built-in commands and files.
func (c *Config) analyseAll() bool { return len(c.Stores) > 0 || c.ExtraFiles != nil }

// allowedValue reports whether a value the policy lets through.
func (c *Config) allowedValue(v string) bool { return c.AllowedValue != nil && c.AllowedValue(v) }
