// Package frontend is tightlip's BuildKit gateway build function.
//
// It hands every build to BuildKit's own Dockerfile builder (frontend/dockerfile/builder), so that
// subrequests, multi-platform builds, named contexts and attestations behave exactly as with the stock
// frontend, and keeps one seam in front of it: the Dockerfile the build reads is given to an Analyzer,
// whose error findings fail the build, whose other findings become build warnings (and lint results),
// and whose rewritten text is what the builder converts.
package frontend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/builder"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/policy"
	"github.com/tightlip/tightlip/rules"
)

// LabelVersion is the image label carrying the version of the tightlip frontend that built the image.
const LabelVersion = "dev.tightlip.frontend.version"

// An Analyzer sees the Dockerfile of a build before BuildKit converts it. Its result's error findings
// fail the build; its Dockerfile (nil: unchanged) is what the converter reads, and must keep every line
// at its number so that BuildKit's errors, warnings and source maps still point at the user's lines.
// A Dockerfile that does not parse is reported with an *analysis.ParseError.
type Analyzer func(ctx context.Context, in *Input) (*analysis.Result, error)

// Input is what an Analyzer is given.
type Input struct {
	// Filename is the Dockerfile's name in its context, as BuildKit reports it.
	Filename string
	// Dockerfile is the text as read from the build's dockerfile source.
	Dockerfile []byte
	// BuildArgs are the build arguments the client passed (name → value).
	BuildArgs map[string]string
	// Context is the build's main context after .dockerignore, read from the client on first use.
	Context rules.Context
	// NamedContexts are the client's named contexts: NAME or NAME::PLATFORM → value, as in the
	// frontend options "context:NAME".
	NamedContexts map[string]string
	// Policy is the merged build policy.
	Policy *policy.Policy
}

// Analyze is tightlip's analysis, the default Analyzer: the rules, and the rewrite of credential build
// arguments into secret mounts.
func Analyze(_ context.Context, in *Input) (*analysis.Result, error) {
	return analysis.Analyze(in.Filename, in.Dockerfile, analysis.Options{
		BuildArgs:     in.BuildArgs,
		Context:       in.Context,
		NamedContexts: in.NamedContexts,
		Rewrite:       true,
		Policy:        in.Policy,
	})
}

// Options configure a Frontend.
type Options struct {
	// Version is stamped on every image as LabelVersion.
	Version string
	// Analyze runs before conversion; nil means Analyze.
	Analyze Analyzer
	// OrgPolicy is the organisation policy's path in the frontend's filesystem; "" means
	// policy.OrgPath. A missing file means there is no organisation policy.
	OrgPolicy string
	// Verification configures the search of the built image for the values of the build's secrets
	// (docs/verification.md). Mode, Budget and MinLength left zero come from the build policy's
	// verification settings.
	Verification Verification
}

// Frontend is a gateway build function with its options.
type Frontend struct {
	opts Options
}

// New returns a Frontend.
func New(opts Options) *Frontend {
	if opts.Analyze == nil {
		opts.Analyze = Analyze
	}
	return &Frontend{opts: opts}
}

// Build is the gateway build function (grpcclient.RunFromEnvironment calls it).
//
// Every error it returns carries a source (the masked Dockerfile, the policy file, or an empty one):
// upstream's builder, when it forwarded to tightlip from a `# syntax=` line, attaches the Dockerfile as
// written to an error without one, and clients print the lines around the syntax line, credentials
// included.
func (f *Frontend) Build(ctx context.Context, c client.Client) (*client.Result, error) {
	res, err := f.build(ctx, c)
	if err != nil && len(errdefs.Sources(err)) == 0 {
		err = errdefs.WithSource(err, &errdefs.Source{Info: &pb.SourceInfo{Filename: "Dockerfile"}})
	}
	return res, err
}

func (f *Frontend) build(ctx context.Context, c client.Client) (*client.Result, error) {
	if err := f.opts.Verification.Validate(); err != nil {
		return nil, err
	}
	self, _ := c.(selfReferencer)
	// The Dockerfile and the repository policy are read first: the policy decides whether the build
	// stays pinned to tightlip (directives.syntax).
	reader, err := dockerui.NewClient(c)
	if err != nil {
		return nil, err
	}
	src, err := reader.ReadEntrypoint(ctx, "Dockerfile")
	if err != nil {
		return nil, err
	}
	pol, err := f.loadPolicy(ctx, c, src)
	if err != nil {
		return nil, err
	}
	syntaxMsg, syntaxRanges := "", []parser.Range(nil)
	if !pol.Syntax {
		syntaxMsg, syntaxRanges = syntaxNote(c.BuildOpts().Opts, src.SourceMap.Data)
	}
	c = &pinnedClient{Client: c, opts: f.frontendOpts(c.BuildOpts().Opts, !pol.Syntax)}
	opts := c.BuildOpts().Opts

	bc, err := dockerui.NewClient(c)
	if err != nil {
		return nil, err
	}
	res, err := f.analyze(ctx, &Input{
		Filename:      src.SourceMap.Filename,
		Dockerfile:    src.SourceMap.Data,
		BuildArgs:     withPrefix(opts, "build-arg:"),
		Context:       newContextView(ctx, c, bc),
		NamedContexts: withPrefix(opts, "context:"),
		Policy:        pol,
	})
	var perr *analysis.ParseError
	if errors.As(err, &perr) {
		return upstreamParseError(ctx, c, opts, src, perr)
	}
	if err != nil {
		return nil, err
	}
	conv, err := f.converter(c, src, res)
	if err != nil {
		return nil, err
	}

	// The text that snippets show, with credential values masked, is made when a finding or an error
	// is shown: a clean build never needs it.
	shown := sync.OnceValue(func() []byte {
		if res.File == nil {
			return src.SourceMap.Data
		}
		return res.Masked()
	})
	notes := res.Notes
	if syntaxMsg != "" {
		notes = append(notes, policy.Note{Message: syntaxMsg, Range: firstRange(syntaxRanges)})
	}
	switch opts[requestID] {
	case "":
	case lint.RequestLint:
		return lintWithFindings(ctx, conv, src, shown(), res.Findings, notes)
	default: // outline, targets and the other subrequests answer from the converted text
		return builder.Build(ctx, conv)
	}
	if errs := res.Errors(); len(errs) > 0 {
		return nil, findingsError(src, shown(), errs, notes, res.Suppressed)
	}
	if err := refuseSecretBuildArgs(src, shown, res, opts); err != nil {
		return nil, err
	}
	for _, fd := range res.Findings {
		warn(ctx, src, shown(), fd)
	}
	for _, n := range notes {
		noteWarn(ctx, src, shown(), n)
	}
	for _, s := range res.Suppressed {
		suppressedWarn(ctx, src, shown(), s)
	}
	out, err := builder.Build(ctx, conv)
	if err != nil {
		return nil, err
	}
	if err := f.withPolicy(pol).verify(ctx, c, self, src, shown(), res, out); err != nil {
		return nil, err
	}
	return out, nil
}

const requestID = "requestid"

// withPolicy returns the frontend with the build policy's verification settings where its options
// leave them unset.
func (f *Frontend) withPolicy(pol *policy.Policy) *Frontend {
	g := *f
	v := &g.opts.Verification
	if v.Mode == "" {
		v.Mode = string(pol.Verification.Mode)
	}
	if v.Budget == 0 {
		v.Budget = pol.Verification.Budget
	}
	if v.MinLength == 0 {
		v.MinLength = pol.Verification.MinLength
	}
	return &g
}

// frontendOpts returns the options upstream's builder sees. Setting "cmdline" pins the build to this
// frontend: upstream forwards to the image named by `# syntax=` or BUILDKIT_SYNTAX only when the option is
// absent, which is the case when tightlip runs as `gateway.v0 source=…` (a client's or the daemon's choice).
func (f *Frontend) frontendOpts(in map[string]string, pin bool) map[string]string {
	opts := maps.Clone(in)
	if opts == nil {
		opts = map[string]string{}
	}
	if _, ok := opts["cmdline"]; !ok && pin {
		opts["cmdline"] = "tightlip"
	}
	if f.opts.Version != "" {
		opts["label:"+LabelVersion] = f.opts.Version
	}
	return opts
}

// analyze runs the analyzer and checks that a rewrite kept the lines where they were.
func (f *Frontend) analyze(ctx context.Context, in *Input) (*analysis.Result, error) {
	res, err := f.opts.Analyze(ctx, in)
	if err != nil {
		return nil, err
	}
	if res.Dockerfile == nil {
		res.Dockerfile = in.Dockerfile
	}
	if got, want := bytes.Count(res.Dockerfile, []byte("\n")), bytes.Count(in.Dockerfile, []byte("\n")); got != want {
		return nil, fmt.Errorf("internal error: the rewritten %s has %d lines instead of %d", in.Filename, got, want)
	}
	return res, nil
}

// converter returns the client upstream's builder converts with: c itself when the Dockerfile is
// unchanged, or a client that serves the rewritten text as the Dockerfile.
func (f *Frontend) converter(c client.Client, src *dockerui.Source, res *analysis.Result) (client.Client, error) {
	if bytes.Equal(res.Dockerfile, src.SourceMap.Data) {
		return c, nil
	}
	head, err := src.SourceMap.Definition.Head()
	if err != nil {
		return nil, fmt.Errorf("locating the dockerfile source: %w", err)
	}
	return &servingClient{Client: c, source: head, filename: src.SourceMap.Filename, dockerfile: res.Dockerfile}, nil
}

// upstreamParseError handles a Dockerfile the analysis cannot parse: upstream reports it exactly as the
// stock frontend does (and answers subrequests such as lint with it). A build never proceeds
// unanalysed: should upstream accept what the analysis refused, the build still fails.
func upstreamParseError(ctx context.Context, c client.Client, opts map[string]string, src *dockerui.Source, perr *analysis.ParseError) (*client.Result, error) {
	res, err := builder.Build(ctx, c)
	if err != nil || opts[requestID] != "" {
		return res, err
	}
	return nil, withSource(perr, src, src.SourceMap.Data, perr.Range())
}

// withPrefix returns the frontend options whose keys start with prefix ("build-arg:", "context:"),
// keyed by the rest of the key.
func withPrefix(opts map[string]string, prefix string) map[string]string {
	m := map[string]string{}
	for k, v := range opts {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			m[name] = v
		}
	}
	return m
}
