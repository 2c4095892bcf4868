// Package analysis runs tightlip's analysis of one Dockerfile: it builds the model once, runs the
// rules on it and returns the findings. The frontend (inside a build) and the CLI (outside one) both
// call it, so both report the same findings.
package analysis

import (
	"errors"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
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
}

// Result is the outcome of an analysis.
type Result struct {
	// File is the model of the Dockerfile.
	File *model.File
	// Findings are sorted by position.
	Findings []rules.Finding
	// Dockerfile is the text BuildKit should convert: the input unless a rewrite applies.
	Dockerfile []byte
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
	return &Result{File: file, Findings: findings, Dockerfile: data}, nil
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
