// Package frontend is tightlip's BuildKit gateway build function.
//
// It hands every build to BuildKit's own Dockerfile builder (frontend/dockerfile/builder), so that
// subrequests, multi-platform builds, named contexts and attestations behave exactly as with the stock
// frontend, and keeps one seam in front of it: the Dockerfile the build reads is given to an Analyzer,
// which may fail the build or return rewritten text that the builder converts instead.
package frontend

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/builder"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// LabelVersion is the image label carrying the version of the tightlip frontend that built the image.
const LabelVersion = "dev.tightlip.frontend.version"

// An Analyzer sees the Dockerfile of a build before BuildKit converts it. It returns the text the
// converter reads instead (the input itself when nothing changes) or an error that fails the build.
// Rewritten text must keep every line at its number, so that BuildKit's errors, warnings and source
// maps still point at the user's lines.
type Analyzer func(ctx context.Context, in *Input) ([]byte, error)

// Input is what an Analyzer is given.
type Input struct {
	// Filename is the Dockerfile's name in its context, as BuildKit reports it.
	Filename string
	// Dockerfile is the text as read from the build's dockerfile source.
	Dockerfile []byte
	// BuildArgs are the build arguments the client passed (name → value).
	BuildArgs map[string]string
}

// Options configure a Frontend.
type Options struct {
	// Version is stamped on every image as LabelVersion.
	Version string
	// Analyze runs before conversion; nil leaves the Dockerfile unchanged.
	Analyze Analyzer
}

// Frontend is a gateway build function with its options.
type Frontend struct {
	opts Options
}

// New returns a Frontend.
func New(opts Options) *Frontend {
	return &Frontend{opts: opts}
}

// Build is the gateway build function (grpcclient.RunFromEnvironment calls it).
func (f *Frontend) Build(ctx context.Context, c client.Client) (*client.Result, error) {
	c = &pinnedClient{Client: c, opts: f.frontendOpts(c.BuildOpts().Opts)}

	bc, err := dockerui.NewClient(c)
	if err != nil {
		return nil, err
	}
	src, err := bc.ReadEntrypoint(ctx, "Dockerfile")
	if err != nil {
		return nil, err
	}
	converted, err := f.analyze(ctx, src, c.BuildOpts().Opts)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(converted, src.SourceMap.Data) {
		return builder.Build(ctx, c)
	}
	head, err := src.SourceMap.Definition.Head()
	if err != nil {
		return nil, fmt.Errorf("locating the dockerfile source: %w", err)
	}
	return builder.Build(ctx, &servingClient{
		Client:     c,
		source:     head,
		filename:   src.SourceMap.Filename,
		dockerfile: converted,
	})
}

// frontendOpts returns the options upstream's builder sees. Setting "cmdline" pins the build to this
// frontend: upstream forwards to the image named by `# syntax=` or BUILDKIT_SYNTAX only when the option is
// absent, which is the case when tightlip runs as `gateway.v0 source=…` or is the org's default frontend.
func (f *Frontend) frontendOpts(in map[string]string) map[string]string {
	opts := maps.Clone(in)
	if opts == nil {
		opts = map[string]string{}
	}
	if _, ok := opts["cmdline"]; !ok {
		opts["cmdline"] = "tightlip"
	}
	if f.opts.Version != "" {
		opts["label:"+LabelVersion] = f.opts.Version
	}
	return opts
}

func (f *Frontend) analyze(ctx context.Context, src *dockerui.Source, opts map[string]string) ([]byte, error) {
	return f.analyzeText(ctx, src.SourceMap.Filename, src.SourceMap.Data, opts)
}

func (f *Frontend) analyzeText(ctx context.Context, filename string, dockerfile []byte, opts map[string]string) ([]byte, error) {
	if f.opts.Analyze == nil {
		return dockerfile, nil
	}
	in := &Input{
		Filename:   filename,
		Dockerfile: dockerfile,
		BuildArgs:  buildArgs(opts),
	}
	out, err := f.opts.Analyze(ctx, in)
	if err != nil {
		return nil, err
	}
	if got, want := bytes.Count(out, []byte("\n")), bytes.Count(in.Dockerfile, []byte("\n")); got != want {
		return nil, fmt.Errorf("internal error: the rewritten %s has %d lines instead of %d", in.Filename, got, want)
	}
	return out, nil
}

func buildArgs(opts map[string]string) map[string]string {
	const prefix = "build-arg:"
	args := map[string]string{}
	for k, v := range opts {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			args[name] = v
		}
	}
	return args
}
