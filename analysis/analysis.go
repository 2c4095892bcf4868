// Package analysis runs tightlip's analysis of one Dockerfile: it builds the model once, runs the
// rules on it and returns the findings. The frontend (inside a build) and the CLI (outside one) both
// call it, so both report the same findings.
package analysis

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/policy"
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
	// NamedContexts are the build's named contexts (--build-context) in BuildKit's form: NAME or
	// NAME::PLATFORM → docker-image://REF, local:NAME, … (rules.Options.NamedContexts).
	NamedContexts map[string]string
	// Rules are the rules to run; nil runs every rule.
	Rules []*rules.Rule
	// Rewrite turns credential build arguments that only RUN steps read into secret mounts (TL103's
	// fix) in Result.Dockerfile, keeping every line at its number, unless the policy turns it off.
	Rewrite bool
	// Policy is the build policy; nil is the embedded default.
	Policy *policy.Policy
	// Now decides which of the policy's exceptions have expired; zero is the current time.
	Now time.Time
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
	// Suppressed are the findings the policy's exceptions let through; each must be reported.
	Suppressed []policy.Suppressed
	// Notes are what the policy did that the user must be told: expired exceptions, directives that
	// do not turn tightlip rules off.
	Notes []policy.Note
	// Policy is the policy applied.
	Policy *policy.Policy
	// Config is what the policy changed in the rules.
	Config *rules.Config
}

// Masked returns the Dockerfile text with every credential value masked (see Mask), the policy's
// extra value formats included.
func (r *Result) Masked() []byte { return MaskConfig(r.File, r.Config) }

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
	pol := opts.Policy
	if pol == nil {
		pol = defaultPolicy()
	}
	cfg, err := pol.RulesConfig()
	if err != nil {
		return nil, fmt.Errorf("applying the build policy: %w", err)
	}
	res := &Result{File: file, Dockerfile: data, Policy: pol, Config: cfg}
	rs := opts.Rules
	if rs == nil {
		rs = rules.All()
	}
	rs, notes, quiet := checkDirectives(data, opts.BuildArgs, pol, rs)
	findings := rules.Run(file, rules.Options{Rules: rs, Context: opts.Context, Config: cfg, NamedContexts: opts.NamedContexts})
	if !quiet || len(findings) > 0 {
		res.Notes = notes
	}
	if !pol.Rewrite {
		findings = withoutRewrite(findings)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	out := pol.Apply(file, filename, findings, now)
	for i, fd := range out.Findings {
		if fd.Rule == rules.TL103 && fd.Severity == rules.Error && fd.Fix != nil && pol.Rewrite {
			// The policy makes TL103 an error (rules.TL103): no rewrite, and the message must say so.
			out.Findings[i] = unrewritten(fd, "the build policy makes this an error (rules.TL103) instead of rewriting it into a secret mount")
		}
	}
	res.Findings, res.Suppressed = out.Findings, out.Suppressed
	res.Notes = append(res.Notes, out.Notes...)
	if opts.Rewrite && pol.Rewrite {
		var err error
		if res.Dockerfile, res.Secrets, err = SecretMounts(data, res.Findings, rewrite.KeepLines); err != nil {
			return nil, err
		}
	}
	return res, nil
}

var defaultPolicy = sync.OnceValue(policy.DefaultPolicy)

// withoutRewrite turns the findings TL103 would rewrite into errors: the policy keeps credential build
// arguments out of builds instead of rewriting them.
func withoutRewrite(findings []rules.Finding) []rules.Finding {
	for i, fd := range findings {
		if fd.Rule == rules.TL103 && fd.Severity != rules.Error && fd.Fix != nil {
			fd.Severity = rules.Error
			findings[i] = unrewritten(fd, "the build policy turns tightlip's rewrite into a secret mount off (rewrite.enabled)")
		}
	}
	return findings
}

// unrewritten gives a TL103 finding that the build does not rewrite the message saying why and what to
// do instead.
func unrewritten(fd rules.Finding, why string) rules.Finding {
	fd.Message = fmt.Sprintf("build arg %s carries a credential, and %s: use RUN --mount=type=secret,id=%s,env=%s and build with --secret id=%s (`tightlip fix` makes the change)",
		fd.Subject, why, fd.Subject, fd.Subject, fd.Subject)
	return fd
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
