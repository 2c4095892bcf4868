// Package analysis runs tightlip's analysis of one Dockerfile: it builds the model once, runs the
// rules on it and returns the findings. The frontend (inside a build) and the CLI (outside one) both
// call it, so both report the same findings.
package analysis

import (
	"errors"
	"fmt"
	"slices"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rewrite"
	"github.com/tightlip/tightlip/rules"
)

// DocsBase is where the rule documentation is published; a rule's page is DocsBase + ID + ".md".
const DocsBase = "https://github.com/tightlip/tightlip/blob/main/docs/rules/"

// DocURL returns the URL of a rule's documentation.
func DocURL(r *rules.Rule) string { return DocsBase + r.ID + ".md" }

// Options configure an analysis.
type Options struct {
	// BuildArgs are the build arguments of the build (name → value); they take part in variable
	// expansion like --build-arg values do. Values are never reported.
	BuildArgs map[string]string
	// Context is the build context after .dockerignore, or nil when it is not available.
	Context rules.Context
	// Rules are the rules to run; nil runs every rule.
	Rules []*rules.Rule
	// Rewrite turns credential build arguments that only RUN steps read into secret mounts (TL103's
	// fix) in Result.Dockerfile, keeping every line at its number.
	Rewrite bool
}

// Result is the outcome of an analysis.
type Result struct {
	// File is the model of the Dockerfile.
	File *model.File
	// Findings are sorted by position.
	Findings []rules.Finding
	// Dockerfile is the text BuildKit should convert: the input unless a rewrite applies.
	Dockerfile []byte
	// Secrets are the build arguments the rewrite turned into secret mounts (the secret ids).
	Secrets []string
}

// Errors returns the findings that fail a build.
func (r *Result) Errors() []rules.Finding {
	var errs []rules.Finding
	for _, f := range r.Findings {
		if f.Severity == rules.Error {
			errs = append(errs, f)
		}
	}
	return errs
}

// Analyze parses the Dockerfile data (named filename) and runs the rules. A Dockerfile that does not
// parse returns BuildKit's parse error.
func Analyze(filename string, data []byte, opts Options) (*Result, error) {
	file, err := model.ParseArgs(filename, data, opts.BuildArgs)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	findings := rules.Run(file, rules.Options{Rules: opts.Rules, Context: opts.Context})
	res := &Result{File: file, Findings: findings, Dockerfile: data}
	if opts.Rewrite {
		var err error
		if res.Dockerfile, res.Secrets, err = SecretMounts(data, findings, rewrite.KeepLines); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// SecretMounts applies the rewrite of credential build arguments into secret mounts (the fixes of
// TL103's warnings) to data, and returns the new text and the names of the rewritten arguments.
func SecretMounts(data []byte, findings []rules.Finding, mode rewrite.Mode) ([]byte, []string, error) {
	rewritten := func(fd rules.Finding) bool { return fd.Rule == rules.TL103 && fd.Severity != rules.Error }
	out, err := rewrite.Apply(data, rewrite.Fixes(findings, rewritten), mode)
	if err != nil {
		return nil, nil, fmt.Errorf("rewriting build arguments into secret mounts: %w", err)
	}
	var names []string
	for _, fd := range findings {
		if fd.Fix != nil && rewritten(fd) && !slices.Contains(names, fd.Subject) {
			names = append(names, fd.Subject)
		}
	}
	return out, names, nil
}

// ParseError is returned for a Dockerfile that BuildKit's parser rejects.
type ParseError struct {
	Err error
}

func (e *ParseError) Error() string { return e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

// Range returns the location BuildKit's parser attached to the error, if any.
func (e *ParseError) Range() []parser.Range {
	var le *parser.LocationError
	if errors.As(e.Err, &le) {
		for _, l := range le.Locations {
			return l
		}
	}
	return nil
}
